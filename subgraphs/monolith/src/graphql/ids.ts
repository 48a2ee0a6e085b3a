import { badUserInput } from '@cinemaabyss/shared/http';

/**
 * A GraphQL `ID` argument as the monolith's integer id. GraphQL accepts any string for `ID`,
 * so a non-numeric one is rejected here as BAD_USER_INPUT, before any REST call.
 */
export function parseIdArg(value: unknown, name: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text === 'string' && /^\d{1,10}$/.test(text)) {
    const id = Number(text);
    if (id >= 1 && id <= 2_147_483_647) return id;
  }
  throw badUserInput(`${name} must be a positive integer id, got ${JSON.stringify(value)}`);
}

/** An entity reference's id, or undefined when it cannot name a row (resolved as null). */
export function referenceId(reference: { id?: unknown }): number | undefined {
  try {
    return parseIdArg(reference.id, 'id');
  } catch {
    return undefined;
  }
}
