/** The header naming the caller, on REST and GraphQL alike; its bucket keeps a user on one side. */
export const USER_ID_HEADER = 'x-user-id';

/** A user id as routing reads it: a non-empty trimmed string, else anonymous (undefined). */
export function normalizeUserId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id === '' ? undefined : id;
}
