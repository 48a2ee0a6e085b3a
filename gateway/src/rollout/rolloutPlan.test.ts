import { parseInput } from '@cinemaabyss/shared/validation';
import { planOf, rolloutBody } from './rolloutPlan';

const problem = (body: unknown) => {
  try {
    parseInput(rolloutBody, body);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

describe('a rollout plan', () => {
  it('fills in every default but the steps, and rollbackTo from the current percentage', () => {
    expect(planOf(parseInput(rolloutBody, { steps: [5, 25, 50, 100] }), 0)).toEqual({
      steps: [5, 25, 50, 100],
      stepSeconds: 300,
      minRequests: 200,
      maxErrorRate: 0.01,
      maxLatencyRatio: 1.5,
      maxMismatchRate: 0.001,
      maxExtensions: 3,
      rollbackTo: 0,
    });
    expect(planOf(parseInput(rolloutBody, { steps: [50, 100], stepSeconds: 2 }), 10)).toMatchObject(
      { stepSeconds: 2, rollbackTo: 10 },
    );
  });

  it('names each bad field', () => {
    expect(problem({})).toMatch(/steps/);
    expect(problem({ steps: [] })).toBe('steps must name at least one percentage');
    expect(problem({ steps: [5, 5] })).toBe('steps must be strictly increasing');
    expect(problem({ steps: [50, 25] })).toBe('steps must be strictly increasing');
    expect(problem({ steps: [0, 25] })).toMatch(/steps entries must be between 1 and 100/);
    expect(problem({ steps: [5, 101] })).toMatch(/steps entries must be between 1 and 100/);
    expect(problem({ steps: [5], stepSeconds: 0 })).toMatch(/stepSeconds/);
    expect(problem({ steps: [5], maxErrorRate: 1.5 })).toMatch(/maxErrorRate/);
    expect(problem({ steps: [5], maxMismatchRate: -0.1 })).toMatch(/maxMismatchRate/);
    expect(problem({ steps: [5], maxLatencyRatio: 0 })).toMatch(/maxLatencyRatio/);
    expect(problem({ steps: [5], maxExtensions: 11 })).toMatch(/maxExtensions/);
    expect(problem({ steps: [5], rollbackTo: -1 })).toMatch(/rollbackTo/);
    expect(problem({ steps: [5], speed: 'fast' })).toMatch(/unknown field "speed"/);
    expect(problem({ steps: [5, 25] })).toBeUndefined();
  });

  it('refuses a rollback target at or above the first step', () => {
    expect(planOf(parseInput(rolloutBody, { steps: [5], rollbackTo: 5 }), 0)).toBe(
      'rollbackTo must be below the first step (5)',
    );
    expect(
      planOf(parseInput(rolloutBody, { steps: [5], stepSeconds: 3_600, maxExtensions: 1 }), 0),
    ).toMatchObject({ stepSeconds: 3_600 });
    expect(
      planOf(parseInput(rolloutBody, { steps: [5], stepSeconds: 3_600, maxExtensions: 2 }), 0),
    ).toBe("stepSeconds × (1 + maxExtensions) must be at most 7200 (the fleet figures' retention)");
    expect(planOf(parseInput(rolloutBody, { steps: [5, 50] }), 20)).toMatch(
      /current percentage \(20\).*set rollbackTo/,
    );
  });
});
