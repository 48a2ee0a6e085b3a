import { AppError } from '@cinemaabyss/shared/http';

/*
 * Every failure the gateway itself reports, each an AppError (string code + HTTP status). On
 * /graphql, subgraph failures come back as Apollo's errors with `serviceName`; on the REST
 * shim, a backend's own answers pass through untouched and only these are the gateway's.
 */

/** Why a backend gave no response: 504 when it timed out, 502 when it could not be reached. */
export class BackendError extends AppError {
  override name = 'BackendError';
  constructor(
    readonly kind: 'timeout' | 'unreachable',
    readonly backend: string,
    cause: unknown,
  ) {
    super(
      kind === 'timeout' ? 'GATEWAY_TIMEOUT' : 'BAD_GATEWAY',
      `${backend} ${kind === 'timeout' ? 'timed out' : 'is unreachable'}`,
      { cause },
    );
  }
}
