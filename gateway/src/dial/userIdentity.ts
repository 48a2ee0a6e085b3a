import type { Caller } from '@cinemaabyss/shared/identity';

/** The header naming the caller, on REST and GraphQL alike; its bucket keeps a user on one side. */
export const USER_ID_HEADER = 'x-user-id';

/** A user id as routing reads it: a non-empty trimmed string, else anonymous (undefined). */
export function normalizeUserId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id === '' ? undefined : id;
}

/**
 * The user the migration dial buckets: a verified token's subject; only an anonymous caller is
 * who it names itself (X-User-Id, ?user_id=), so a spoofed header never moves a signed-in user.
 */
export function dialUserId(caller: Caller | undefined, named: unknown): string | undefined {
  return caller?.subject ?? normalizeUserId(named);
}
