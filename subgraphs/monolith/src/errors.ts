import { AppError, notFound } from '@cinemaabyss/shared/http';
import { isTimeoutError } from '@cinemaabyss/shared/http-client';

/*
 * Every failure the monolith subgraph reports to a client, each an AppError (GraphQL
 * `extensions.code`): mostly the legacy REST API's answers translated, and its outages.
 */

/**
 * The AppError for a non-2xx legacy answer. Every 4xx is the client's mistake and keeps the
 * monolith's own message, which names the field (404 and 409 keep their own codes); only the
 * monolith's failures become SERVICE_UNAVAILABLE, without its internals.
 */
export function errorFromLegacyStatus(status: number, message: string | undefined): AppError {
  const said = message ?? `the legacy monolith answered HTTP ${status}`;
  if (status === 404) return new AppError('NOT_FOUND', said);
  if (status === 409) return new AppError('CONFLICT', said);
  if (status >= 400 && status < 500) return new AppError('BAD_USER_INPUT', said);
  if (status >= 500) {
    return new AppError('SERVICE_UNAVAILABLE', `the legacy monolith failed (HTTP ${status})`);
  }
  // 1xx or 3xx: nothing this client asks for answers that way.
  return new AppError(
    'INTERNAL_SERVER_ERROR',
    `unexpected answer from the legacy monolith (HTTP ${status})`,
  );
}

/** A call that got no usable answer in time: unreachable, reset, timed out. */
export function unavailable(err: unknown, timeoutMs: number): AppError {
  return new AppError(
    'SERVICE_UNAVAILABLE',
    isTimeoutError(err)
      ? `the legacy monolith did not answer within ${timeoutMs} ms`
      : 'the legacy monolith is unreachable',
  );
}

/** The legacy monolith answered 2xx with something that is not JSON. */
export function invalidLegacyResponse(): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'the legacy monolith sent an invalid response');
}

/** A payment or subscription whose user the monolith does not return: its data is broken. */
export function ownerMissing(userId: number): AppError {
  return notFound(`user ${userId} not found`);
}
