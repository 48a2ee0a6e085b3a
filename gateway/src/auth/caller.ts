import type { IncomingHttpHeaders } from 'node:http';

/** Who a verified token says the caller is. Anonymous callers have no Caller at all. */
export interface Caller {
  /** The token's `sub`. */
  readonly subject: string;
  /** From `scope` (space-separated) or `scp` (an array), sorted, without duplicates. */
  readonly scopes: readonly string[];
}

/** The verified subject and scopes as the gateway forwards them to subgraphs and backends. */
export const AUTH_SUBJECT_HEADER = 'x-auth-subject';
export const AUTH_SCOPES_HEADER = 'x-auth-scopes';

/** The headers that tell a subgraph or backend who the caller is: none for anonymous callers. */
export function callerHeaders(caller: Caller | undefined): Record<string, string> {
  if (!caller) return {};
  return { [AUTH_SUBJECT_HEADER]: caller.subject, [AUTH_SCOPES_HEADER]: caller.scopes.join(' ') };
}

/**
 * Removes client-supplied copies of the identity headers, in place: only the gateway says who a
 * caller is.
 */
export function stripCallerHeaders<T extends IncomingHttpHeaders | Record<string, unknown>>(
  headers: T,
): T {
  delete headers[AUTH_SUBJECT_HEADER];
  delete headers[AUTH_SCOPES_HEADER];
  return headers;
}

/** A stable text of a caller for keys that must never let two identities share an answer. */
export function callerKey(caller: Caller | undefined): string {
  return caller ? `${caller.subject}\u0001${caller.scopes.join(' ')}` : '';
}
