import pg from 'pg';
import { backoffDelay } from '../backoff';
import type { BackoffPolicy } from '../backoff';
import type { Logger } from '../logger';

/** Between attempts to restore a lost LISTEN connection. */
const RECONNECT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 10_000 };

export interface NotificationListener {
  stop(): Promise<void>;
}

/**
 * LISTENs on a channel over its own connection and calls onNotify for each notification,
 * reconnecting with backoff when the connection drops. Only a wake-up: whoever relies on it
 * also polls, so a notification lost while reconnecting delays work by one poll at most.
 */
export function listenForNotifications(options: {
  connectionString: string;
  channel: string;
  onNotify: () => void;
  logger: Logger;
}): NotificationListener {
  const { connectionString, channel, onNotify, logger } = options;
  let client: pg.Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const scheduleReconnect = () => {
    if (stopped || retryTimer) return;
    failures += 1;
    const delay = backoffDelay(failures, RECONNECT_BACKOFF);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
    next.on('notification', () => onNotify());
    next.on('error', (err) =>
      logger.warn({ err: err.message, channel }, 'LISTEN connection failed'),
    );
    next.on('end', () => {
      if (client === next) client = undefined;
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
      if (stopped) {
        await next.end();
        return;
      }
      client = next;
      failures = 0;
      // Rows committed while we were not listening are picked up now rather than at the next poll.
      onNotify();
    } catch (err) {
      logger.warn(
        { err: (err as Error).message, channel },
        'could not LISTEN; polling only for now',
      );
      await next.end().catch(() => {});
      scheduleReconnect();
    }
  };

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
