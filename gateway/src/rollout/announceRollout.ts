import type { Logger } from '@cinemaabyss/shared/logging';
import type { Rollout } from './rolloutStore';

export interface AnnounceOptions {
  logger: Logger;
  /** ROLLOUT_WEBHOOK_URL: gets a small JSON POST per state change; unset: none. */
  webhookUrl: string | undefined;
  /** The webhook's deadline. @default 2 s */
  timeoutMs?: number;
}

/** What a rollout event says, in the log and to the webhook. */
export function rolloutEvent(rollout: Rollout, event: string) {
  return {
    event,
    migration: rollout.migration,
    state: rollout.state,
    step: rollout.step + 1,
    percent: rollout.steps[rollout.step] ?? null,
    steps: rollout.steps,
    reason: rollout.reason,
    at: new Date().toISOString(),
  };
}

/**
 * Says what a rollout did: a log line, and a POST to the webhook when one is set. The webhook
 * is called once, with a deadline, never retried: a failure is logged and the rollout goes on.
 */
export function createRolloutAnnouncer({ logger, webhookUrl, timeoutMs = 2_000 }: AnnounceOptions) {
  return function announce(rollout: Rollout, event: string): void {
    const body = rolloutEvent(rollout, event);
    logger.info(body, `rollout of ${rollout.migration}: ${event}`);
    if (!webhookUrl) return;
    void fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) {
          logger.warn({ status: response.status, event }, 'the rollout webhook refused an event');
        }
      })
      .catch((err: unknown) =>
        logger.warn({ err: (err as Error).message, event }, 'the rollout webhook failed'),
      );
  };
}
