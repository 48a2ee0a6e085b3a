import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '@cinemaabyss/shared/backoff';
import type { Logger } from '@cinemaabyss/shared/logging';

/** What supervision needs of a running server process. */
export interface ServerProcess {
  pid: number;
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL once `timeoutMs` has passed. */
  stop(timeoutMs: number): Promise<void>;
}

export interface RestartPolicy {
  /** Restarts tried in a row before giving up. @default 5 */
  maxAttempts?: number;
  /** Pause before the first restart; doubled after each failed one. @default 1000 */
  minDelayMs?: number;
  /** Longest pause between restarts. @default 15000 */
  maxDelayMs?: number;
  /** A server that ran this long before exiting gets the full number of attempts again. @default 60000 */
  stableAfterMs?: number;
}

export interface SuperviseServerOptions<P extends ServerProcess> {
  /** What the logs call it, e.g. "local Kafka broker". */
  name: string;
  /** The process that is already running and ready. */
  first: P;
  /** Starts the server again (on its same ports and data) and resolves once it is ready. */
  restart: () => Promise<P>;
  policy?: RestartPolicy;
  logger: Logger;
  /** Called once when the server is down and every restart failed; it stays down. */
  onGiveUp: (error: Error) => void;
}

export interface SupervisedServer<P extends ServerProcess> {
  /** The process running now (a restart replaces it). */
  current(): P;
  /** How many times the server was brought back. */
  restarts(): number;
  /** Stops the server for good; an exit after this is expected, not restarted. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Keeps a local server up: when its process exits without being asked to, it is started again
 * (bounded attempts, exponential backoff); every unexpected exit and failed restart is logged
 * at error level, so a dead dependency is never silent. After the last failed attempt `onGiveUp` is called.
 */
export function superviseServer<P extends ServerProcess>(
  options: SuperviseServerOptions<P>,
): SupervisedServer<P> {
  const { name, logger, onGiveUp } = options;
  const {
    maxAttempts = 5,
    minDelayMs = 1_000,
    maxDelayMs = 15_000,
    stableAfterMs = 60_000,
  } = options.policy ?? {};
  let current = options.first;
  let startedAt = Date.now();
  let restarts = 0;
  let stopped = false;
  /** Restart attempts since the server last ran stably: a crash loop runs out of them. */
  let attemptsUsed = 0;
  let recovering: Promise<void> | undefined;

  async function recover(exit: { code: number | null; signal: NodeJS.Signals | null }) {
    const ranMs = Date.now() - startedAt;
    if (ranMs >= stableAfterMs) attemptsUsed = 0;
    logger.error(
      { serverPid: current.pid, code: exit.code, signal: exit.signal, ranMs },
      `the ${name} exited unexpectedly; restarting it`,
    );
    let lastError: Error = new Error(
      `the ${name} exited (code ${exit.code}, signal ${exit.signal})`,
    );
    while (attemptsUsed < maxAttempts && !stopped) {
      const attempt = ++attemptsUsed;
      await sleep(backoffDelay(attempt, { initialMs: minDelayMs, maxMs: maxDelayMs }));
      if (stopped) return;
      try {
        const next = await options.restart();
        if (stopped) {
          await next.stop(10_000);
          return;
        }
        current = next;
        startedAt = Date.now();
        restarts += 1;
        logger.warn({ serverPid: next.pid, attempt }, `the ${name} is back after a restart`);
        watch(next);
        return;
      } catch (error) {
        lastError = error instanceof Error ? error : new Error(String(error));
        logger.error(
          { attempt, of: maxAttempts, err: lastError.message.split('\n')[0] },
          `could not restart the ${name}`,
        );
      }
    }
    if (stopped) return;
    logger.error({ attempts: maxAttempts }, `the ${name} is down and could not be restarted`);
    onGiveUp(lastError);
  }

  function watch(server: P) {
    void server.exited.then((exit) => {
      if (stopped || server !== current) return;
      recovering = recover(exit).finally(() => (recovering = undefined));
    });
  }

  watch(current);
  return {
    current: () => current,
    restarts: () => restarts,
    async stop(timeoutMs) {
      stopped = true;
      await current.stop(timeoutMs);
      await recovering;
    },
  };
}
