import { LATENCY_BUCKETS_MS } from '../figures/figuresRecorder';
import type { FiguresTotals } from '../figures/figuresStore';
import { latencyQuantile } from '../figures/latencyQuantile';
import type { RolloutPlan } from './rolloutPlan';
import type { Check, SideFigures, StepFigures, Verdict } from '../adminContract';
export type { SideFigures, StepFigures, Verdict, Check } from '../adminContract';

export interface Judgement {
  verdict: Verdict;
  /** The check that decided anything but a promotion. */
  check?: Check;
  /** In plain words, with the figures that decided it. */
  reason: string;
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate < 0.01 ? 2 : 1)} %`;

/** Sums the fleet figures of a step per side; the p99 from the summed histogram. */
export function stepFigures(totals: readonly FiguresTotals[]): StepFigures {
  const side = (name: 'old' | 'new'): SideFigures => {
    const rows = totals.filter((row) => row.side === name);
    const requests = rows.reduce((sum, row) => sum + row.requests, 0);
    const failures = rows.reduce((sum, row) => sum + row.failures, 0);
    const buckets = rows.reduce(
      (sum, row) => sum.map((count, i) => count + (row.latencyCounts[i] ?? 0)),
      new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
    );
    return {
      requests,
      failures,
      failureRate: requests > 0 ? failures / requests : null,
      p99Ms: latencyQuantile(buckets, 0.99),
    };
  };
  // A shadow outcome is counted on the side the shadow call went to: both sides together.
  const count = (result: 'match' | 'mismatch' | 'noise') =>
    totals.reduce((sum, row) => sum + row.shadow[result], 0);
  const compared = count('match') + count('mismatch') + count('noise');
  const mismatched = count('mismatch');
  return {
    old: side('old'),
    new: side('new'),
    shadow: { compared, mismatched, mismatchRate: compared > 0 ? mismatched / compared : null },
  };
}

/** The error-rate check on what the new side served so far, once it served enough. */
function failingErrorRate(figures: StepFigures, plan: RolloutPlan): Judgement | undefined {
  const { requests, failures, failureRate } = figures.new;
  if (requests < plan.minRequests || failureRate === null || failureRate <= plan.maxErrorRate) {
    return undefined;
  }
  return {
    verdict: 'rollback',
    check: 'errorRate',
    reason: `error rate: the new side failed ${failures} of ${requests} requests (${percent(failureRate)}, at most ${percent(plan.maxErrorRate)})`,
  };
}

/**
 * Early failure, checked while a step runs: the new side has served `minRequests` and fails
 * more than `maxErrorRate` — a rollback without waiting for the step's end.
 */
export function earlyFailure(figures: StepFigures, plan: RolloutPlan): Judgement | undefined {
  return failingErrorRate(figures, plan);
}

/**
 * The analysis at the end of a step: enough traffic on the new side (else extend, then pause),
 * its error rate, its p99 against the old side's (when both served enough), the shadow mismatch
 * rate (when shadowing compared anything). All pass: promote.
 */
export function analyzeStep(
  figures: StepFigures,
  plan: RolloutPlan,
  { extensionsUsed }: { extensionsUsed: number },
): Judgement {
  if (figures.new.requests < plan.minRequests) {
    const short = `${figures.new.requests} of the ${plan.minRequests} requests needed`;
    return extensionsUsed < plan.maxExtensions
      ? { verdict: 'extend', check: 'traffic', reason: `not enough traffic yet: ${short}` }
      : {
          verdict: 'pause',
          check: 'traffic',
          reason: `not enough traffic: the new side served ${short} after ${extensionsUsed} extensions`,
        };
  }
  const errors = failingErrorRate(figures, plan);
  if (errors) return errors;
  const { old, new: next } = figures;
  if (old.requests >= plan.minRequests && old.p99Ms && next.p99Ms !== null) {
    const ratio = next.p99Ms / old.p99Ms;
    if (ratio > plan.maxLatencyRatio) {
      return {
        verdict: 'rollback',
        check: 'latencyRatio',
        reason: `latency: the new side's p99 ${next.p99Ms.toFixed(1)} ms is ${ratio.toFixed(2)}× the old side's ${old.p99Ms.toFixed(1)} ms (at most ${plan.maxLatencyRatio}×)`,
      };
    }
  }
  const { compared, mismatched, mismatchRate } = figures.shadow;
  if (mismatchRate !== null && mismatchRate > plan.maxMismatchRate) {
    return {
      verdict: 'rollback',
      check: 'mismatchRate',
      reason: `shadow mismatches: ${mismatched} of ${compared} comparisons (${percent(mismatchRate)}, at most ${percent(plan.maxMismatchRate)})`,
    };
  }
  return { verdict: 'promote', reason: 'every check passed' };
}
