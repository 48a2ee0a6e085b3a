import { withDeadline } from '@cinemaabyss/shared/deadline';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { ShadowResult, Side, Surface } from '../figures/figuresRecorder';
import type { MigrationFigures } from '../figures/useMigrationFigures';
import { noisePath } from './compareAnswers';
import type { Difference } from './compareAnswers';
import type { MismatchStore, NewMismatch } from './mismatchStore';
import type { NoiseStore } from './noiseStore';

/** Marks a shadow call; a request carrying it is never shadowed again. */
export const SHADOW_HEADER = 'x-shadow-request';
/** Answers larger than this are not compared (counted `skipped`). */
export const MAX_SHADOW_BODY_BYTES = 1024 * 1024;

/** A migration's live shadow settings, read per request. */
export interface ShadowSettings {
  shadowPercent: number;
  /** The share (0–100) of shadowed requests whose serving side is asked twice to learn noise. */
  noisePercent: number;
  ignorePaths: readonly string[];
}

/** How one surface's answers are judged: what a failure is, how big one is, where two differ. */
export interface ShadowSurface<Answer> {
  surface: Surface;
  /** The side failed (a 5xx): an `error` result, not a comparison. */
  failed(answer: Answer): boolean;
  /** Its size in bytes, against MAX_SHADOW_BODY_BYTES. */
  size(answer: Answer): number;
  differences(served: Answer, other: Answer, ignorePaths: readonly string[]): Difference[];
}

/** One served request to compare with the other side. */
export interface ShadowJob<Answer> {
  servedSide: Side;
  /** What noise is learned per: a REST route (`GET /api/movies`) or a GraphQL operation. */
  route: string;
  served: Answer;
  servedMs: number;
  /** Asks the side that did not serve the request, as a shadow call. */
  callOtherSide(): Promise<Answer>;
  /** Asks the serving side again, as a shadow call, to learn what differs on its own. */
  callServedSide(): Promise<Answer>;
  /** The mismatch to keep when the two differ beyond noise. */
  mismatch(found: { differences: Difference[]; shadow: Answer; shadowMs: number }): NewMismatch;
}

/** What a surface's shadow comparison is given: the migration, its stores and its limits. */
export interface ShadowOptions {
  migration: string;
  settings: () => ShadowSettings | undefined;
  figures: Pick<MigrationFigures, 'shadow'>;
  mismatches: Pick<MismatchStore, 'record'>;
  noise: Pick<NoiseStore, 'learn' | 'noisyPaths'>;
  logger: Logger;
  /** Shadow calls in flight at once on this replica, per surface; beyond, requests are skipped. */
  maxInFlight: number;
  /** Each shadow call's own deadline. */
  timeoutMs: number;
  /** Observes what each comparison came to, and each shadow call's duration. */
  observe?: (event: { result: ShadowResult; side: Side; durationMs?: number }) => void;
  /** @default Math.random */
  random?: () => number;
}

export interface ShadowComparisonOptions<Answer> extends ShadowOptions {
  surface: ShadowSurface<Answer>;
}

const otherSide = (side: Side): Side => (side === 'old' ? 'new' : 'old');

/** A call that may fail or hang: undefined when it did, else its answer and duration. */
async function timed<T>(timeoutMs: number, call: () => Promise<T>) {
  const started = performance.now();
  try {
    const answer = await withDeadline(timeoutMs, call, 'the shadow call');
    return { answer, ms: performance.now() - started };
  } catch {
    return { answer: undefined, ms: performance.now() - started };
  }
}

/**
 * Shadow comparison, whatever the surface: a sampled share of a migration's reads is also asked
 * of the side that did not serve it, off the client's path, and the two answers compared. For
 * `noisePercent` of those the serving side is asked twice, as Diffy does: a path on which one
 * side disagrees with itself is noise, and differences there are not mismatches while it stays
 * noisy. The client's answer never waits and never changes; a failing shadow side is an `error`.
 */
export function createShadowComparison<Answer>({
  migration,
  surface,
  settings,
  figures,
  mismatches,
  noise,
  logger,
  maxInFlight,
  timeoutMs,
  observe,
  random = Math.random,
}: ShadowComparisonOptions<Answer>) {
  let inFlight = 0;

  function count(result: ShadowResult, side: Side, durationMs?: number) {
    figures.shadow({ migration, side, surface: surface.surface, result });
    observe?.({ result, side, durationMs });
  }

  const comparable = (answer: Answer | undefined): answer is Answer =>
    answer !== undefined &&
    !surface.failed(answer) &&
    surface.size(answer) <= MAX_SHADOW_BODY_BYTES;

  /** Asks the serving side again and marks what differs between its two answers as noise. */
  async function learnNoise(job: ShadowJob<Answer>, ignorePaths: readonly string[]) {
    const { answer } = await timed(timeoutMs, () => job.callServedSide());
    // A repeat that failed teaches nothing.
    if (!comparable(answer)) return;
    const paths = surface
      .differences(job.served, answer, ignorePaths)
      .map((d) => noisePath(d.path));
    if (paths.length > 0) noise.learn(migration, job.route, [...new Set(paths)]);
  }

  async function run(job: ShadowJob<Answer>, side: Side): Promise<void> {
    const current = settings();
    const ignorePaths = current?.ignorePaths ?? [];
    const learning =
      (current?.noisePercent ?? 0) > 0 && random() * 100 < (current?.noisePercent ?? 0);
    // Both calls at once: the repeat is learned before the pair is judged.
    const [shadowCall] = await Promise.all([
      timed(timeoutMs, () => job.callOtherSide()),
      learning ? learnNoise(job, ignorePaths) : undefined,
    ]);
    const { answer: shadow, ms: shadowMs } = shadowCall;
    if (shadow === undefined || surface.failed(shadow)) return count('error', side, shadowMs);
    if (surface.size(shadow) > MAX_SHADOW_BODY_BYTES) return count('skipped', side, shadowMs);
    const differences = surface.differences(job.served, shadow, ignorePaths);
    if (differences.length === 0) return count('match', side, shadowMs);
    const noisy = noise.noisyPaths(migration, job.route);
    const beyondNoise = differences.filter((d) => !noisy.has(noisePath(d.path)));
    if (beyondNoise.length === 0) return count('noise', side, shadowMs);
    count('mismatch', side, shadowMs);
    await mismatches
      .record(job.mismatch({ differences: beyondNoise, shadow, shadowMs }))
      .catch((err: unknown) =>
        logger.warn({ err: (err as Error).message, migration }, 'could not keep a mismatch'),
      );
  }

  return {
    /** Whether to shadow one more eligible request, at the migration's shadow share. */
    sampled(): boolean {
      const percent = settings()?.shadowPercent ?? 0;
      return percent > 0 && random() * 100 < percent;
    },

    /** Compares a served answer with the other side's, in the background. */
    compare(job: ShadowJob<Answer>): void {
      const side = otherSide(job.servedSide);
      if (inFlight >= maxInFlight) return count('skipped', side);
      inFlight += 1;
      // Started on the next turn of the event loop: the client's answer is written first.
      setImmediate(() => {
        if (!comparable(job.served)) {
          inFlight -= 1;
          return count(surface.failed(job.served) ? 'error' : 'skipped', side);
        }
        void run(job, side).finally(() => (inFlight -= 1));
      });
    },

    inFlight: () => inFlight,
  };
}

export type ShadowComparison<Answer> = ReturnType<typeof createShadowComparison<Answer>>;
