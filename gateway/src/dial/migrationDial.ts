import { listenForNotifications } from '@cinemaabyss/shared/db';
import type { NotificationListener } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { MigrationSetting, MigrationStore } from './migrationStore';

/** The channel the migrations table's trigger notifies on each committed change. */
export const MIGRATION_CHANNEL = 'gateway_migrations';

/** What GET /ready reports about the dial: whether its settings are the database's current ones. */
export interface DialStatus {
  /** False while the database cannot be read: the replica serves the last settings it read. */
  fresh: boolean;
  /** When the settings were last read successfully. */
  lastReadAt: string;
  /** Why the last read failed, while it does. */
  error?: string;
}

export interface MigrationDialOptions {
  store: MigrationStore;
  /** For the LISTEN connection; notifications make a change apply within milliseconds. */
  connectionString: string;
  /** Re-read period: the longest a replica can stay stale if a notification is lost. */
  refreshMs: number;
  logger: Logger;
}

/**
 * The live migration dial of one gateway replica: the percentages it routes by, held in memory so
 * that a request never waits for (or fails because of) the database. A change committed anywhere
 * applies here on its notification, or at the next periodic re-read if the notification is lost;
 * while the database is unreachable, the last settings read stay in force.
 */
export function createMigrationDial({
  store,
  connectionString,
  refreshMs,
  logger,
}: MigrationDialOptions) {
  let settings = new Map<string, MigrationSetting>();
  let status: DialStatus = { fresh: false, lastReadAt: new Date(0).toISOString() };
  let listener: NotificationListener | undefined;
  let timer: NodeJS.Timeout | undefined;
  let reading: Promise<void> | undefined;

  function apply(next: MigrationSetting[]) {
    const previous = settings;
    settings = new Map(next.map((setting) => [setting.name, setting]));
    for (const setting of next) {
      const before = previous.get(setting.name);
      if (before && before.percent !== setting.percent) {
        logger.info(
          {
            migration: setting.name,
            from: before.percent,
            to: setting.percent,
            updatedBy: setting.updatedBy,
          },
          'migration dial applied',
        );
      }
    }
  }

  async function read(): Promise<void> {
    try {
      apply(await store.list());
      if (!status.fresh && status.error) logger.info('migration dial database reachable again');
      status = { fresh: true, lastReadAt: new Date().toISOString() };
    } catch (err) {
      // /ready is public: the reason stays in the log, the status says only what it means.
      const error = 'the migration settings could not be read from the database';
      if (status.fresh) {
        logger.warn(
          { err: (err as Error).message, percentages: percentages() },
          'migration dial database unreachable; serving the last known settings',
        );
      }
      status = { fresh: false, lastReadAt: status.lastReadAt, error };
    }
  }

  let queued: Promise<void> | undefined;
  let stopped = false;

  /**
   * Reads now; while a read is in progress, returns the read queued after it, so a caller (a
   * PUT, a notification) never gets back a read that started before its change committed.
   */
  function refresh(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (!reading) {
      reading = read().finally(() => {
        reading = undefined;
      });
      return reading;
    }
    queued ??= reading.then(() => {
      queued = undefined;
      return refresh();
    });
    return queued;
  }

  function percentages(): Record<string, number> {
    return Object.fromEntries([...settings].map(([name, s]) => [name, s.percent]));
  }

  return {
    /** Reads the settings once (failing if the database cannot be read), then keeps them current. */
    async start(): Promise<void> {
      apply(await store.list());
      status = { fresh: true, lastReadAt: new Date().toISOString() };
      listener = listenForNotifications({
        connectionString,
        channel: MIGRATION_CHANNEL,
        onNotify: () => void refresh(),
        logger,
      });
      timer = setInterval(() => void refresh(), refreshMs);
      timer.unref();
    },

    /** The share (0–100) of users the migration's new backend serves; 0 for an unknown one. */
    percent(name: string): number {
      return settings.get(name)?.percent ?? 0;
    },

    /** The migration's percentage, or undefined when the database holds no such migration. */
    find(name: string): number | undefined {
      return settings.get(name)?.percent;
    },

    /** The migration's whole setting (shadow share, noise share, ignored paths), if it exists. */
    setting(name: string): MigrationSetting | undefined {
      return settings.get(name);
    },

    settings(): MigrationSetting[] {
      return [...settings.values()];
    },

    percentages,

    status(): DialStatus {
      return status;
    },

    refresh,

    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await listener?.stop();
      await (queued ?? reading);
    },
  };
}

export type MigrationDial = ReturnType<typeof createMigrationDial>;
