import pg from 'pg';
import type { Logger } from '../logger';

export interface LeaderLock {
  /** Takes the lock if it is free (or keeps it); true while this process holds it. */
  tryAcquire(): Promise<boolean>;
  held(): boolean;
  /** Lets go of the lock and its connection. */
  release(): Promise<void>;
}

/**
 * Leadership among replicas through a PostgreSQL session advisory lock on a connection of its
 * own: exactly one process holds `key`, and when it dies (or its connection drops) the server
 * releases the lock at once, so another replica's next attempt takes over.
 */
export function createLeaderLock(options: {
  connectionString: string;
  /** Any text: its hash names the lock. */
  key: string;
  logger: Logger;
}): LeaderLock {
  const { connectionString, key, logger } = options;
  let client: pg.Client | undefined;
  let isHeld = false;

  const drop = (next: pg.Client) => {
    if (client !== next) return;
    client = undefined;
    if (isHeld) logger.warn({ key }, 'lost the leader lock with its connection');
    isHeld = false;
  };

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({
      connectionString,
      connectionTimeoutMillis: 2_000,
      statement_timeout: 2_000,
      query_timeout: 3_000,
      application_name: 'leader-lock',
    });
    next.on('error', () => drop(next));
    next.on('end', () => drop(next));
    await next.connect();
    client = next;
    return next;
  }

  return {
    async tryAcquire() {
      if (isHeld && client) return true;
      try {
        const connection = client ?? (await connect());
        const { rows } = await connection.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
          [key],
        );
        isHeld = rows[0]?.locked === true;
      } catch (err) {
        logger.warn({ key, err: (err as Error).message }, 'could not try the leader lock');
        const broken = client;
        client = undefined;
        isHeld = false;
        await broken?.end().catch(() => undefined);
      }
      return isHeld;
    },
    held: () => isHeld,
    async release() {
      const connection = client;
      client = undefined;
      isHeld = false;
      // Ending the session releases every advisory lock it holds.
      await connection?.end().catch(() => undefined);
    },
  };
}
