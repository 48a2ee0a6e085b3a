import pg from 'pg';
import { PG_DUPLICATE_DATABASE, violatedConstraint } from './pgErrors';

/** Splits a connection string into the database name and a URL for the server's `postgres` db. */
export function parseDatabaseUrl(connectionString: string): { name: string; adminUrl: string } {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  return { name, adminUrl: url.toString() };
}

/** The same server and credentials with another database name. */
export function withDatabaseName(connectionString: string, name: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

async function withAdminClient<T>(
  connectionString: string,
  fn: (client: pg.Client, name: string) => Promise<T>,
): Promise<T> {
  const { name, adminUrl } = parseDatabaseUrl(connectionString);
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client, name);
  } finally {
    await client.end();
  }
}

/** Creates the database named in connectionString unless it exists; safe when racing. */
export async function ensureDatabase(
  connectionString: string,
  { template }: { template?: string } = {},
): Promise<void> {
  await withAdminClient(connectionString, async (client, name) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : '';
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${from}`);
    } catch (err) {
      if (violatedConstraint(err, PG_DUPLICATE_DATABASE) === undefined) throw err;
    }
  });
}

/** Drops the database named in connectionString, closing its sessions first. */
export async function dropDatabase(connectionString: string): Promise<void> {
  await withAdminClient(connectionString, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}
