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

/** Shown for a name taken from a URL: bounded and quoted, so the message stays one short line. */
const quoted = (text: string) => JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);

/** Every refusal of the admin API (/admin/migrations). */
export const adminErrors = {
  off: () =>
    new AppError(
      'NOT_FOUND',
      'the admin API is off: start the gateway with ADMIN_TOKEN to turn it on',
    ),
  unauthorized: () =>
    new AppError(
      'UNAUTHORIZED',
      'missing or wrong admin token: send Authorization: Bearer <ADMIN_TOKEN>',
    ),
  badInput: (message: string) => new AppError('BAD_USER_INPUT', message),
  unknownMigration: (name: string) =>
    new AppError('NOT_FOUND', `no migration named ${quoted(name)}`),
  noRoute: (method: string, path: string) =>
    new AppError('NOT_FOUND', `no route for ${method} ${quoted(path)}`),
  storeUnavailable: (cause: unknown) =>
    new AppError(
      'SERVICE_UNAVAILABLE',
      'the migration settings database is unavailable; retry later (GET shows whether a change was applied)',
      { cause },
    ),
};
