import type { Pool } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { NoiseMark } from '../adminContract';
export type { NoiseMark } from '../adminContract';

/** How long a path stays noise after the last pair of one side's answers that differed there. */
export const NOISE_EXPIRY_MS = 10 * 60_000;
/** The most marks `list` answers: an operator reads the newest, more say nothing more. */
export const MAX_LISTED_NOISE = 200;

export interface NoiseStoreOptions {
  logger: Logger;
  /** @default Date.now */
  now?: () => number;
  /** @default NOISE_EXPIRY_MS */
  expiryMs?: number;
  /** How often the fleet's marks are re-read into memory. @default 5 s */
  refreshMs?: number;
}

interface UnwrittenMark {
  migration: string;
  route: string;
  path: string;
  lastSeen: number;
}

interface NoiseRow {
  migration: string;
  route: string;
  path: string;
  last_seen: Date;
}

const NONE: ReadonlySet<string> = new Set();

const routeKey = (migration: string, route: string) => `${migration}\u0000${route}`;

/**
 * The noise learned by shadow comparison, in gateway.migration_noise and in memory: a comparison
 * asks memory only (no request waits on the database), learning writes in the background, and
 * every replica re-reads the fleet's unexpired marks every `refreshMs`, so what one replica found
 * noisy the others leave out too.
 */
export function createNoiseStore(
  pool: Pool,
  { logger, now = Date.now, expiryMs = NOISE_EXPIRY_MS, refreshMs = 5_000 }: NoiseStoreOptions,
) {
  /** Migration and route → path → when it was last seen noisy (ms). */
  const marks = new Map<string, Map<string, number>>();
  /** Learned and not yet written, by migration, route and path: the next write takes them all. */
  let unwritten = new Map<string, UnwrittenMark>();
  let writing: Promise<void> | undefined;
  let refreshing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let writeFailing = false;
  let refreshFailing = false;

  /** Marks seen noisy at or before this instant have expired. */
  const expiredAt = () => now() - expiryMs;

  function remember(migration: string, route: string, path: string, lastSeen: number): void {
    const key = routeKey(migration, route);
    let paths = marks.get(key);
    if (!paths) {
      paths = new Map();
      marks.set(key, paths);
    }
    if ((paths.get(path) ?? -Infinity) < lastSeen) paths.set(path, lastSeen);
  }

  /** Memory holds only what is noisy now: expired marks go on each refresh. */
  function forgetExpired(): void {
    const expired = expiredAt();
    for (const [key, paths] of marks) {
      for (const [path, lastSeen] of paths) if (lastSeen <= expired) paths.delete(path);
      if (paths.size === 0) marks.delete(key);
    }
  }

  async function writeOnce(batch: UnwrittenMark[]): Promise<void> {
    try {
      // Another replica may have seen it later: last_seen only moves forward.
      await pool.query(
        `INSERT INTO gateway.migration_noise AS n (migration, route, path, last_seen)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
         ON CONFLICT (migration, route, path) DO UPDATE
           SET last_seen = greatest(n.last_seen, EXCLUDED.last_seen)`,
        [
          batch.map((mark) => mark.migration),
          batch.map((mark) => mark.route),
          batch.map((mark) => mark.path),
          batch.map((mark) => new Date(mark.lastSeen)),
        ],
      );
      if (writeFailing) logger.info('noise marks written again');
      writeFailing = false;
    } catch (err) {
      // Not retried: this replica keeps them in memory, and the next noisy pair learns them again.
      if (!writeFailing) {
        logger.warn(
          { err: (err as Error).message, marks: batch.length },
          'could not write noise marks; this replica still leaves them out of its comparisons',
        );
      }
      writeFailing = true;
    }
  }

  /** One write at a time; marks learned meanwhile go together in the next. */
  function write(): void {
    if (writing || unwritten.size === 0) return;
    const batch = [...unwritten.values()];
    unwritten = new Map();
    writing = writeOnce(batch).finally(() => {
      writing = undefined;
      write();
    });
  }

  async function refreshOnce(): Promise<void> {
    const expired = new Date(expiredAt());
    try {
      // Expired marks are read by no one: whichever replica refreshes first removes them.
      const { rows } = await pool.query<NoiseRow>(
        `WITH pruned AS (DELETE FROM gateway.migration_noise WHERE last_seen <= $1)
         SELECT migration, route, path, last_seen FROM gateway.migration_noise
          WHERE last_seen > $1`,
        [expired],
      );
      for (const row of rows) remember(row.migration, row.route, row.path, row.last_seen.getTime());
      if (refreshFailing) logger.info('noise marks read again');
      refreshFailing = false;
    } catch (err) {
      if (!refreshFailing) {
        logger.warn(
          { err: (err as Error).message },
          "could not read the fleet's noise marks; keeping the ones in memory",
        );
      }
      refreshFailing = true;
    }
    forgetExpired();
  }

  /** Concurrent calls share one read. */
  function refresh(): Promise<void> {
    refreshing ??= refreshOnce().finally(() => (refreshing = undefined));
    return refreshing;
  }

  return {
    /**
     * Marks paths (already normalised, array indices written `*`, e.g. `/data/movies/*\/rating`)
     * as noise for a migration's route, now: in memory at once, and upserted (last_seen =
     * greatest(existing, new)) in the background; a failed write is logged (warn), never thrown.
     */
    learn(migration: string, route: string, paths: readonly string[]): void {
      if (paths.length === 0) return;
      const seenAt = now();
      for (const path of paths) {
        remember(migration, route, path, seenAt);
        // One row per path in a write: an upsert may not touch the same row twice.
        unwritten.set(`${routeKey(migration, route)}\u0000${path}`, {
          migration,
          route,
          path,
          lastSeen: seenAt,
        });
      }
      write();
    },

    /** The paths of a route that are noise now (marked within expiryMs), from memory: no I/O. */
    noisyPaths(migration: string, route: string): ReadonlySet<string> {
      const paths = marks.get(routeKey(migration, route));
      if (!paths) return NONE;
      const expired = expiredAt();
      const noisy = new Set<string>();
      for (const [path, lastSeen] of paths) if (lastSeen > expired) noisy.add(path);
      return noisy;
    },

    /** The unexpired marks of a migration from the database (the whole fleet's), newest first, at most 200. */
    async list(migration: string): Promise<NoiseMark[]> {
      const { rows } = await pool.query<NoiseRow>(
        `SELECT route, path, last_seen FROM gateway.migration_noise
          WHERE migration = $1 AND last_seen > $2
          ORDER BY last_seen DESC, route, path LIMIT $3`,
        [migration, new Date(expiredAt()), MAX_LISTED_NOISE],
      );
      return rows.map((row) => ({
        route: row.route,
        path: row.path,
        lastSeen: row.last_seen.toISOString(),
      }));
    },

    /**
     * Starts re-reading unexpired marks from the database every refreshMs into memory (so one
     * replica learns what another found), the first read at once. Refresh failures are logged,
     * memory kept.
     */
    async start(): Promise<void> {
      if (timer) return;
      timer = setInterval(() => void refresh(), refreshMs);
      timer.unref();
      await refresh();
    },

    /** Ends the re-reading and awaits pending writes. */
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await refreshing;
      while (writing) await writing;
    },
  };
}

export type NoiseStore = ReturnType<typeof createNoiseStore>;
