import type { Side } from '../figures/figuresRecorder';
import type { BackendResponse } from '../rest/backendClient';
import { compareAnswers, parseBody } from './compareAnswers';
import { SHADOW_HEADER, createShadowComparison } from './shadowComparison';
import type { ShadowOptions, ShadowSurface } from './shadowComparison';

export { MAX_SHADOW_BODY_BYTES, SHADOW_HEADER } from './shadowComparison';

export type RestShadowOptions = ShadowOptions;

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
  /** Sends the same request to the serving side again, marked with SHADOW_HEADER. */
  callServedSide: () => Promise<BackendResponse>;
}

/** REST answers: a 5xx is the side failing; the same status and bytes agree without parsing. */
const restSurface: ShadowSurface<BackendResponse> = {
  surface: 'rest',
  failed: (answer) => answer.status >= 500,
  size: (answer) => answer.body.length,
  differences(served, other, ignorePaths) {
    if (other.status === served.status && other.body.equals(served.body)) return [];
    return compareAnswers(
      { status: served.status, body: parseBody(served.body.toString()) },
      { status: other.status, body: parseBody(other.body.toString()) },
      ignorePaths,
    );
  },
};

/**
 * Shadow comparison of the REST shim: a sampled share of a migration's GET/HEAD requests is also
 * sent to the side that did not serve it, and the two answers compared (shadowComparison).
 * Noise is learned per route: the method and the path without its query.
 */
export function createRestShadow({ migration, settings, random, ...options }: RestShadowOptions) {
  const comparison = createShadowComparison({
    ...options,
    migration,
    settings,
    random,
    surface: restSurface,
  });

  return {
    /** Whether this request is one to shadow: a sampled GET/HEAD that is not a shadow call. */
    sampled(method: string, headers: Record<string, unknown>): boolean {
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (headers[SHADOW_HEADER] !== undefined) return false;
      return comparison.sampled();
    },

    /** Compares a served answer with the other side's, in the background. */
    compare(request: ServedRequest): void {
      comparison.compare({
        servedSide: request.servedSide,
        route: `${request.method} ${request.path.split('?')[0] ?? ''}`,
        served: request.served,
        servedMs: request.servedMs,
        callOtherSide: request.callOtherSide,
        callServedSide: request.callServedSide,
        mismatch: ({ differences, shadow, shadowMs }) => ({
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
        }),
      });
    },

    inFlight: comparison.inFlight,
  };
}

export type RestShadow = ReturnType<typeof createRestShadow>;
