import { parsePositiveId } from '../contract/validation';
import { badUserInput } from '../http/errors';

/**
 * A GraphQL `ID` (string or number on the wire) as the integer key the database uses. GraphQL
 * accepts any string for `ID`, so anything else is BAD_USER_INPUT naming the argument, before
 * any database or REST call.
 */
export function parseEntityId(value: unknown, name: string): number {
  const id = parsePositiveId(value);
  if (id === undefined) {
    throw badUserInput(`${name} must be a positive integer id, got ${JSON.stringify(value)}`);
  }
  return id;
}
