import type { Logger } from './logger';
import { currentTracing } from './tracing/currentTracing';

interface Closable {
  close(): Promise<void>;
}

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * The entry-point lifecycle every service shares: start, log and exit 1 when start-up fails,
 * and on SIGTERM/SIGINT close once (draining requests), export the spans still queued by the
 * tracing this process started (its src/tracing.ts), and exit 0.
 */
export function runService(logger: Logger, start: () => Promise<Closable>): void {
  let service: Closable | undefined;
  let stopping = false;

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    (service?.close() ?? Promise.resolve())
      // The last requests' spans, including the shutdown's own, would be lost otherwise.
      .then(() => currentTracing().shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  start().then(
    (started) => {
      service = started;
    },
    (err: unknown) => {
      // A ConfigError's message names the variable; anything else is logged whole.
      logger.fatal({ err }, err instanceof Error ? err.message : 'start-up failed');
      process.exit(1);
    },
  );
}
