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

/**
 * The caller the gateway says is asking, read by a subgraph or backend from the identity
 * headers; undefined when anonymous. Only the gateway may reach a subgraph: it strips client
 * copies of these headers, so what arrives here is what it verified.
 */
export function callerFromHeaders(headers: IncomingHttpHeaders): Caller | undefined {
  const subject = headers[AUTH_SUBJECT_HEADER];
  if (typeof subject !== 'string' || subject.trim() === '') return undefined;
  const scopes = headers[AUTH_SCOPES_HEADER];
  return {
    subject: subject.trim(),
    scopes: typeof scopes === 'string' ? scopes.split(' ').filter(Boolean) : [],
  };
}

/** Whether `caller` may read or act on what user `ownerId` owns: as that user, or with `scope`. */
export function mayActFor(
  caller: Caller | undefined,
  ownerId: string | number,
  scope: string,
): boolean {
  return (
    caller !== undefined && (caller.subject === String(ownerId) || caller.scopes.includes(scope))
  );
}
