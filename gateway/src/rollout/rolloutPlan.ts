import { decimalField, integerField, strictBodySchema } from '@cinemaabyss/shared/validation';
import { z } from 'zod';
import { FIGURES_RETENTION_MS } from '../figures/useMigrationFigures';
import type { RolloutSettings } from '../adminContract';
export type { RolloutSettings } from '../adminContract';

export interface RolloutPlan extends RolloutSettings {
  /** Percentages of the new side, strictly increasing, 1–100. */
  steps: number[];
}

export const ROLLOUT_DEFAULTS = {
  stepSeconds: 300,
  minRequests: 200,
  maxErrorRate: 0.01,
  maxLatencyRatio: 1.5,
  maxMismatchRate: 0.001,
  maxExtensions: 3,
} as const;

const rate = (field: string) => decimalField(field, { min: 0, max: 1, decimals: 6 });

/** POST /admin/migrations/:name/rollout, before its defaults are filled in. */
export const rolloutBody = strictBodySchema({
  steps: z
    .array(integerField('steps entries', { min: 1, max: 100 }), {
      error: 'steps must be an array of percentages such as [5, 25, 50, 100]',
    })
    .min(1, { error: 'steps must name at least one percentage' })
    .max(20, { error: 'steps must have at most 20 entries' })
    .refine((steps) => steps.every((step, i) => i === 0 || step > (steps[i - 1] ?? 0)), {
      error: 'steps must be strictly increasing',
    }),
  stepSeconds: integerField('stepSeconds', { min: 1, max: 86_400 }).optional(),
  minRequests: integerField('minRequests', { min: 0, max: 1_000_000_000 }).optional(),
  maxErrorRate: rate('maxErrorRate').optional(),
  maxLatencyRatio: decimalField('maxLatencyRatio', {
    min: 0,
    max: 1_000,
    exclusiveMin: true,
    decimals: 6,
  }).optional(),
  maxMismatchRate: rate('maxMismatchRate').optional(),
  maxExtensions: integerField('maxExtensions', { min: 0, max: 10 }).optional(),
  rollbackTo: integerField('rollbackTo', { min: 0, max: 100 }).optional(),
});

export type RolloutBody = z.output<typeof rolloutBody>;

/**
 * The plan a body asks for, its defaults filled in; `rollbackTo` defaults to the percentage the
 * dial stands at. A string naming the problem when the plan cannot start from there.
 */
export function planOf(body: RolloutBody, currentPercent: number): RolloutPlan | string {
  const rollbackTo = body.rollbackTo ?? currentPercent;
  const first = body.steps[0] ?? 0;
  if (rollbackTo >= first) {
    return body.rollbackTo === undefined
      ? `rollbackTo defaults to the current percentage (${currentPercent}), which must be below the first step (${first}): set rollbackTo`
      : `rollbackTo must be below the first step (${first})`;
  }
  const stepSeconds = body.stepSeconds ?? ROLLOUT_DEFAULTS.stepSeconds;
  const maxExtensions = body.maxExtensions ?? ROLLOUT_DEFAULTS.maxExtensions;
  // A step is judged on the fleet figures since it started: they must still be kept by then.
  const longest = FIGURES_RETENTION_MS / 1_000;
  if (stepSeconds * (1 + maxExtensions) > longest) {
    return `stepSeconds × (1 + maxExtensions) must be at most ${longest} (the fleet figures' retention)`;
  }
  return {
    ...ROLLOUT_DEFAULTS,
    ...Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)),
    steps: body.steps,
    rollbackTo,
  };
}
