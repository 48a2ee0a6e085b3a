import { withDeadline } from '@cinemaabyss/shared/deadline';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { ShadowResult, Side } from '../figures/figuresRecorder';
import type { MigrationFigures } from '../figures/useMigrationFigures';
import type { BackendResponse } from '../rest/backendClient';
import { compareAnswers, parseBody } from './compareAnswers';
import type { MismatchStore } from './mismatchStore';

/** Marks a shadow call; a request carrying it is never shadowed again. */
export const SHADOW_HEADER = 'x-shadow-request';
/** Answers larger than this are not compared (counted `skipped`). */
export const MAX_SHADOW_BODY_BYTES = 1024 * 1024;

export interface RestShadowOptions {
  migration: string;
  /** The migration's live shadow settings, read per request. */
  settings: () => { shadowPercent: number; ignorePaths: readonly string[] } | undefined;
  figures: Pick<MigrationFigures, 'shadow'>;
  mismatches: Pick<MismatchStore, 'record'>;
  logger: Logger;
  /** Shadow calls in flight at once on this replica; beyond, requests are skipped. */
  maxInFlight: number;
  /** The shadow call's own deadline. */
  timeoutMs: number;
  /** Observes what each comparison came to, and each shadow call's duration. */
  observe?: (event: { result: ShadowResult; side: Side; durationMs?: number }) => void;
  /** @default Math.random */
  random?: () => number;
}

/** One served request the shadow compares against the other side. */
export interface ServedRequest {
  method: string;
  /** The request target, e.g. `/api/movies?id=1`. */
  path: string;
  userBucket: number | null;
  servedSide: Side;
  served: BackendResponse;
  servedMs: number;
  /** Sends the same request to the other side, marked with SHADOW_HEADER. */
  callOtherSide: () => Promise<BackendResponse>;
}

const otherSide = (side: Side): Side => (side === 'old' ? 'new' : 'old');

/**
 * Shadow comparison of the REST shim: a sampled share of a migration's GET/HEAD requests is also
 * sent to the side that did not serve it, off the client's path, and the two answers compared.
 * The client's answer never waits for it and never changes; a shadow side that fails, hangs or
 * answers 5xx is an `error` result, never a client error.
 */
export function createRestShadow({
  migration,
  settings,
  figures,
  mismatches,
  logger,
  maxInFlight,
  timeoutMs,
  observe,
  random = Math.random,
}: RestShadowOptions) {
  let inFlight = 0;

  function count(result: ShadowResult, side: Side, durationMs?: number) {
    figures.shadow({ migration, side, surface: 'rest', result });
    observe?.({ result, side, durationMs });
  }

  async function run(request: ServedRequest, side: Side): Promise<void> {
    const started = performance.now();
    let shadow: BackendResponse;
    try {
      shadow = await withDeadline(timeoutMs, () => request.callOtherSide(), 'the shadow call');
    } catch {
      return count('error', side, performance.now() - started);
    }
    const shadowMs = performance.now() - started;
    if (shadow.status >= 500) return count('error', side, shadowMs);
    if (shadow.body.length > MAX_SHADOW_BODY_BYTES) return count('skipped', side, shadowMs);
    // The common case, the same bytes, is a match without parsing either body.
    if (shadow.status === request.served.status && shadow.body.equals(request.served.body)) {
      return count('match', side, shadowMs);
    }
    const differences = compareAnswers(
      { status: request.served.status, body: parseBody(request.served.body.toString()) },
      { status: shadow.status, body: parseBody(shadow.body.toString()) },
      settings()?.ignorePaths ?? [],
    );
    if (differences.length === 0) return count('match', side, shadowMs);
    count('mismatch', side, shadowMs);
    await mismatches
      .record({
        migration,
        surface: 'rest',
        request: {
          method: request.method,
          path: request.path,
          userBucket: request.userBucket,
          servedSide: request.servedSide,
        },
        status: { served: request.served.status, shadow: shadow.status },
        latencyMs: { served: request.servedMs, shadow: shadowMs },
        differences,
      })
      .catch((err: unknown) =>
        logger.warn({ err: (err as Error).message, migration }, 'could not keep a mismatch'),
      );
  }

  return {
    /** Whether this request is one to shadow: a sampled GET/HEAD that is not a shadow call. */
    sampled(method: string, headers: Record<string, unknown>): boolean {
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (headers[SHADOW_HEADER] !== undefined) return false;
      const percent = settings()?.shadowPercent ?? 0;
      return percent > 0 && random() * 100 < percent;
    },

    /** Compares a served answer with the other side's, in the background. */
    compare(request: ServedRequest): void {
      const side = otherSide(request.servedSide);
      if (inFlight >= maxInFlight || request.served.body.length > MAX_SHADOW_BODY_BYTES) {
        return count('skipped', side);
      }
      inFlight += 1;
      // Started on the next turn of the event loop: the client's answer is written first.
      setImmediate(() => void run(request, side).finally(() => (inFlight -= 1)));
    },

    inFlight: () => inFlight,
  };
}

export type RestShadow = ReturnType<typeof createRestShadow>;
