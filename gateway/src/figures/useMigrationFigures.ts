import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from '@cinemaabyss/shared/logging';
import { createFiguresRecorder } from './figuresRecorder';
import type { FiguresRecorderOptions, ServedRequest, ShadowOutcome } from './figuresRecorder';
import type { FiguresStore } from './figuresStore';

export interface MigrationFiguresOptions extends FiguresRecorderOptions {
  store: FiguresStore;
  logger: Logger;
  /** This replica's name in the table. @default host name, pid and a random suffix */
  replica?: string;
  /** How often the counts go to the database. @default 5 s */
  flushMs?: number;
  /** How long windows are kept (at least an hour: a rollout reads back that far). @default 2 h */
  retentionMs?: number;
}

/** How long windows are kept: a rollout's step, with its extensions, must fit in it. */
export const FIGURES_RETENTION_MS = 2 * 60 * 60 * 1000;

/** A name no other replica (or a restarted one) has: host, pid and a random suffix. */
export function defaultReplicaName(): string {
  return `${os.hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
}

/**
 * The fleet figures of this replica: requests are counted in memory as they are served, and the
 * counts are added to the shared table every `flushMs` (windows past the retention are pruned on
 * the way). A flush that fails keeps its counts for the next one; requests never wait on it.
 */
export function useMigrationFigures({
  store,
  logger,
  replica = defaultReplicaName(),
  flushMs = 5_000,
  retentionMs = FIGURES_RETENTION_MS,
  now = Date.now,
  ...recorderOptions
}: MigrationFiguresOptions) {
  const recorder = createFiguresRecorder({ ...recorderOptions, now });
  let flushing: Promise<void> | undefined;
  let failing = false;

  async function flushOnce(): Promise<void> {
    const rows = recorder.drain();
    // Counts older than the retention would be pruned at once: drop them here instead.
    const keep = rows.filter((row) => row.windowStart.getTime() >= now() - retentionMs);
    try {
      await store.add(replica, keep);
      await store.prune(new Date(now() - retentionMs));
      if (failing) logger.info('migration figures written again');
      failing = false;
    } catch (err) {
      recorder.restore(keep);
      if (!failing) {
        logger.warn(
          { err: (err as Error).message },
          'could not write the migration figures; keeping them for the next flush',
        );
      }
      failing = true;
    }
  }

  /** Writes what was counted so far; concurrent calls share one flush. */
  function flush(): Promise<void> {
    flushing ??= flushOnce().finally(() => (flushing = undefined));
    return flushing;
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    replica,
    served: (request: ServedRequest) => recorder.served(request),
    shadow: (outcome: ShadowOutcome) => recorder.shadow(outcome),
    flush,
    /** Stops the timer and writes the last counts. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}

export type MigrationFigures = ReturnType<typeof useMigrationFigures>;
