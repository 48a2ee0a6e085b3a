import { badUserInput } from '../http/errors';

/**
 * A GraphQL `ID` (string or number on the wire) as the integer key the database uses; anything
 * else is BAD_USER_INPUT naming the argument.
 */
export function parseEntityId(value: unknown, name: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (
    typeof text !== 'string' ||
    !/^\d{1,10}$/.test(text) ||
    Number(text) < 1 ||
    Number(text) > 2_147_483_647
  ) {
    throw badUserInput(`${name} must be a positive integer id, got ${JSON.stringify(value)}`);
  }
  return Number(text);
}
