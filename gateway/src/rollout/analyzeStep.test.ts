import type { FiguresTotals } from '../figures/figuresStore';
import { LATENCY_BUCKETS_MS } from '../figures/figuresRecorder';
import { analyzeStep, earlyFailure, stepFigures } from './analyzeStep';
import type { RolloutPlan } from './rolloutPlan';

const plan: RolloutPlan = {
  steps: [5, 50, 100],
  stepSeconds: 2,
  minRequests: 100,
  maxErrorRate: 0.01,
  maxLatencyRatio: 1.5,
  maxMismatchRate: 0.001,
  maxExtensions: 2,
  rollbackTo: 0,
};

/** Every request of a row in the bucket whose upper bound is `ms`. */
function row(
  side: 'old' | 'new',
  requests: number,
  { failures = 0, ms = 25, surface = 'rest' as const, match = 0, mismatch = 0 } = {},
): FiguresTotals {
  const latencyCounts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  latencyCounts[LATENCY_BUCKETS_MS.indexOf(ms as (typeof LATENCY_BUCKETS_MS)[number])] = requests;
  return {
    side,
    surface,
    requests,
    failures,
    latencyCounts,
    shadow: { match, mismatch, error: 0, skipped: 0, noise: 0 },
  };
}

const judge = (totals: FiguresTotals[], extensionsUsed = 0) =>
  analyzeStep(stepFigures(totals), plan, { extensionsUsed });

describe('the analysis of a rollout step', () => {
  it('sums both surfaces per side, the p99 from the summed buckets', () => {
    const figures = stepFigures([
      row('new', 60, { failures: 3 }),
      row('new', 40, { surface: 'graphql' as never, ms: 100 }),
      row('old', 500, { match: 90, mismatch: 10 }),
    ]);
    expect(figures.new).toEqual({
      requests: 100,
      failures: 3,
      failureRate: 0.03,
      // Rank 99 of 100 falls in the 50–100 ms bucket: 50 + (99 − 60) ÷ 40 × 50.
      p99Ms: 98.75,
    });
    expect(figures.shadow).toEqual({ compared: 100, mismatched: 10, mismatchRate: 0.1 });
  });

  it('promotes a healthy step', () => {
    expect(judge([row('new', 200), row('old', 2_000)]).verdict).toBe('promote');
  });

  it('extends a step short of traffic, then pauses it', () => {
    expect(judge([row('new', 99), row('old', 2_000)], 1)).toMatchObject({
      verdict: 'extend',
      check: 'traffic',
    });
    expect(judge([row('new', 99), row('old', 2_000)], 2)).toEqual({
      verdict: 'pause',
      check: 'traffic',
      reason:
        'not enough traffic: the new side served 99 of the 100 requests needed after 2 extensions',
    });
  });

  it('rolls back on the error rate, the latency ratio and the mismatch rate, naming the figures', () => {
    expect(judge([row('new', 200, { failures: 80 }), row('old', 2_000)])).toEqual({
      verdict: 'rollback',
      check: 'errorRate',
      reason: 'error rate: the new side failed 80 of 200 requests (40.0 %, at most 1.0 %)',
    });
    const slow = judge([row('new', 200, { ms: 250 }), row('old', 2_000, { ms: 50 })]);
    expect(slow).toMatchObject({ verdict: 'rollback', check: 'latencyRatio' });
    expect(slow.reason).toMatch(/^latency: the new side's p99 .* ms is \d+\.\d\d× the old side's/);
    expect(judge([row('new', 200), row('old', 2_000, { match: 998, mismatch: 2 })])).toMatchObject({
      verdict: 'rollback',
      check: 'mismatchRate',
    });
  });

  it('judges latency only when the old side served enough to compare', () => {
    expect(judge([row('new', 200, { ms: 1_000 }), row('old', 99, { ms: 5 })]).verdict).toBe(
      'promote',
    );
  });

  it('fails early once the new side served enough and fails too often', () => {
    expect(earlyFailure(stepFigures([row('new', 99, { failures: 99 })]), plan)).toBeUndefined();
    expect(earlyFailure(stepFigures([row('new', 100, { failures: 2 })]), plan)).toMatchObject({
      verdict: 'rollback',
      check: 'errorRate',
    });
    expect(earlyFailure(stepFigures([row('new', 100, { failures: 1 })]), plan)).toBeUndefined();
  });
});
