/** SQLSTATE codes the services translate into client errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_DUPLICATE_DATABASE = '42P04';

interface PgError {
  code: string;
  constraint?: string;
}

function isPgError(err: unknown): err is PgError {
  return typeof err === 'object' && err !== null && typeof (err as PgError).code === 'string';
}

/** The violated constraint's name when err is the given SQLSTATE, else undefined. */
export function violatedConstraint(err: unknown, sqlState: string): string | undefined {
  if (!isPgError(err) || err.code !== sqlState) return undefined;
  return err.constraint ?? '';
}
