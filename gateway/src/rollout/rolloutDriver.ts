import { createLeaderLock } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { FiguresStore } from '../figures/figuresStore';
import { analyzeStep, earlyFailure, stepFigures } from './analyzeStep';
import type { Rollout, RolloutStore, StepAnalysis, Transition } from './rolloutStore';

export interface RolloutDriverOptions {
  connectionString: string;
  rollouts: Pick<RolloutStore, 'running' | 'advance' | 'latestOfEach'>;
  figures: Pick<FiguresStore, 'totals'>;
  /** Called with every transition this replica applied. */
  onTransition(rollout: Rollout, transition: Transition): void;
  logger: Logger;
  /** How often every replica tries to lead, and the leader looks at each running rollout. */
  tickMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** What a transition is called in the log and the webhook. */
export function transitionEvent(rollout: Rollout, kind: Transition['kind']): string {
  if (kind === 'promote') return rollout.state === 'completed' ? 'completed' : 'promoted';
  return { extend: 'extended', rollback: 'rolled back', pause: 'paused' }[kind];
}

/** The advisory lock whose holder drives every rollout. */
const LEADER_KEY = 'cinemaabyss.gateway.rollouts';

/**
 * Drives running rollouts from whichever replica holds the leader lock: every tick, each running
 * rollout's step is judged on the fleet figures since it started — early failure at any time,
 * the full analysis once its time (with extensions) is up — and the decision applied through the
 * store, which refuses it if the rollout moved meanwhile. The state lives in the database, so a
 * new leader carries on from the stored step.
 */
export function createRolloutDriver({
  connectionString,
  rollouts,
  figures,
  onTransition,
  logger,
  tickMs = 1_000,
  now = Date.now,
}: RolloutDriverOptions) {
  const lock = createLeaderLock({ connectionString, key: LEADER_KEY, logger });
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let latest: Rollout[] = [];

  function analysisOf(
    rollout: Rollout,
    judged: Omit<StepAnalysis, 'step' | 'percent' | 'at'>,
  ): StepAnalysis {
    return {
      step: rollout.step,
      percent: rollout.steps[rollout.step] ?? 0,
      at: new Date(now()).toISOString(),
      ...judged,
    };
  }

  /** The decision on one running rollout now, if any. */
  async function decide(rollout: Rollout): Promise<Transition | undefined> {
    const plan = { ...rollout.settings, steps: rollout.steps };
    const figuresOfStep = stepFigures(
      await figures.totals(rollout.migration, new Date(rollout.stepStartedAt)),
    );
    const early = earlyFailure(figuresOfStep, plan);
    if (early) {
      return {
        kind: 'rollback',
        analysis: analysisOf(rollout, { ...early, figures: figuresOfStep, early: true }),
      };
    }
    const stepEnds =
      Date.parse(rollout.stepStartedAt) +
      rollout.settings.stepSeconds * 1_000 * (1 + rollout.extensions);
    if (now() < stepEnds) return undefined;
    const judged = analyzeStep(figuresOfStep, plan, { extensionsUsed: rollout.extensions });
    return {
      kind: judged.verdict,
      analysis: analysisOf(rollout, { ...judged, figures: figuresOfStep }),
    } as Transition;
  }

  async function tickOnce(): Promise<void> {
    if (await lock.tryAcquire()) {
      for (const rollout of await rollouts.running()) {
        const transition = await decide(rollout);
        if (!transition) continue;
        const applied = await rollouts.advance(rollout, transition);
        if (applied) onTransition(applied, transition);
      }
    }
    // Every replica, leading or not, reports where the rollouts stand.
    latest = await rollouts.latestOfEach();
  }

  /** One look at every running rollout (if this replica leads); ticks never overlap. */
  function tick(): Promise<void> {
    ticking ??= tickOnce()
      .catch((err: unknown) =>
        logger.warn({ err: (err as Error).message }, 'rollout driver tick failed; retrying'),
      )
      .finally(() => (ticking = undefined));
    return ticking;
  }

  return {
    start(): void {
      timer = setInterval(() => void tick(), tickMs);
      timer.unref();
      void tick();
    },
    tick,
    isLeader: () => lock.held(),
    /** Each migration's newest rollout as last read (every tick). */
    latest: (): readonly Rollout[] => latest,
    /** Stops driving and lets go of the lock, so another replica takes over at once. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await ticking;
      await lock.release();
    },
  };
}

export type RolloutDriver = ReturnType<typeof createRolloutDriver>;
