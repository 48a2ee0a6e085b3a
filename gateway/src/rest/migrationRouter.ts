export type MoviesBackend = 'movies' | 'monolith';

export interface MigrationRouterOptions {
  gradualMigration: boolean;
  /** 0–100: share of /api/movies traffic for the movies service. */
  moviesPercent: number;
  /** For anonymous requests. @default Math.random */
  random?: () => number;
}

export interface RoutingDecision {
  backend: MoviesBackend;
  /** True when the choice came from the user id, so the same user always gets it. */
  sticky: boolean;
}

/** FNV-1a: a fast, stable 32-bit hash; the same id maps to the same bucket in every process. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The bucket (0–99) a user falls in; users with bucket < percent go to the movies service. */
export function userBucket(userId: string): number {
  return fnv1a(userId) % 100;
}

/**
 * Chooses the backend of one /api/movies request. A named user's bucket is fixed, so raising
 * the percentage only ever moves users from the monolith to the movies service.
 */
export function createMigrationRouter({
  gradualMigration,
  moviesPercent,
  random = Math.random,
}: MigrationRouterOptions) {
  return (userId: string | undefined): RoutingDecision => {
    if (!gradualMigration) return { backend: 'monolith', sticky: false };
    if (userId) {
      return { backend: userBucket(userId) < moviesPercent ? 'movies' : 'monolith', sticky: true };
    }
    return { backend: random() * 100 < moviesPercent ? 'movies' : 'monolith', sticky: false };
  };
}

export type MigrationRouter = ReturnType<typeof createMigrationRouter>;
