import { userBucket } from '../dial/userBucket';

export type MoviesBackend = 'movies' | 'monolith';

export interface MigrationRouterOptions {
  /** The `movies` migration's current share (0–100), read from the live dial per request. */
  moviesPercent: () => number;
  /** For anonymous requests. @default Math.random */
  random?: () => number;
}

export interface RoutingDecision {
  backend: MoviesBackend;
  /** True when the choice came from the user id, so the same user always gets it. */
  sticky: boolean;
}

/**
 * Chooses the backend of one /api/movies request. A named user's bucket is fixed, so raising
 * the percentage only ever moves users from the monolith to the movies service.
 */
export function createMigrationRouter({
  moviesPercent,
  random = Math.random,
}: MigrationRouterOptions) {
  return (userId: string | undefined): RoutingDecision => {
    const percent = moviesPercent();
    if (userId) {
      return { backend: userBucket(userId) < percent ? 'movies' : 'monolith', sticky: true };
    }
    return { backend: random() * 100 < percent ? 'movies' : 'monolith', sticky: false };
  };
}

export type MigrationRouter = ReturnType<typeof createMigrationRouter>;
