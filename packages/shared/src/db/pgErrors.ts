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

/** Node socket errors that mean "the server is not reachable right now". */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/**
 * True when err says the database is unavailable (connection lost or refused, server
 * shutting down, too many connections) rather than that the statement is wrong, so retrying
 * the same work later can succeed.
 */
export function isTransientDatabaseError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08: connection exception; 57P0x: server shutting down; 53300: too many connections;
    // 57014: a statement cancelled by its timeout (a database too slow to answer).
    if (code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300' || code === '57014') {
      return true;
    }
    if (TRANSIENT_NETWORK_CODES.has(code)) return true;
  }
  const message = (err as { message?: unknown }).message;
  // pg reports pool checkout timeouts, dropped connections and its client-side query timeout
  // (a server that stopped answering) only in the message.
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated|Query read timeout/i.test(
      message,
    )
  );
}
