import { withTransaction } from '@cinemaabyss/shared/db';
import type { Pool, PoolClient } from '@cinemaabyss/shared/db';
import { conflict } from '@cinemaabyss/shared/http';
import { adminErrors } from '../errors';
import { applyChange } from '../dial/migrationStore';
import type { ChangeRequest, MigrationSetting } from '../dial/migrationStore';
import { planOf } from './rolloutPlan';
import type { RolloutBody, RolloutSettings } from './rolloutPlan';
import type { Rollout, RolloutState, StepAnalysis } from '../adminContract';
export type { RolloutState, StepAnalysis, Rollout } from '../adminContract';

export const ROLLOUT_STATES: readonly RolloutState[] = [
  'running',
  'paused',
  'completed',
  'rolled_back',
  'aborted',
];

/** The actor of the changes a rollout makes on its own, in the audit trail. */
export const ROLLOUT_ACTOR = 'rollout';

interface RolloutRow {
  id: string;
  migration: string;
  state: RolloutState;
  steps: number[];
  step: number;
  extensions: number;
  settings: RolloutSettings;
  step_started_at: Date;
  started_at: Date;
  started_by: string;
  reason: string | null;
  analyses: StepAnalysis[];
}

const COLUMNS = `id, migration, state, steps, step, extensions, settings, step_started_at,
  started_at, started_by, reason, analyses`;

function toRollout(row: RolloutRow): Rollout {
  return {
    id: Number(row.id),
    migration: row.migration,
    state: row.state,
    steps: row.steps,
    step: row.step,
    extensions: row.extensions,
    settings: row.settings,
    stepStartedAt: row.step_started_at.toISOString(),
    startedAt: row.started_at.toISOString(),
    startedBy: row.started_by,
    reason: row.reason,
    analyses: row.analyses,
  };
}

/** What the driver decided about a running rollout, applied only if nobody moved it first. */
export type Transition =
  | { kind: 'extend'; analysis: StepAnalysis }
  | { kind: 'promote'; analysis: StepAnalysis }
  | { kind: 'rollback'; analysis: StepAnalysis }
  | { kind: 'pause'; analysis: StepAnalysis };

const stepLabel = (rollout: Pick<Rollout, 'steps' | 'step'>, step = rollout.step) =>
  `step ${step + 1} of ${rollout.steps.length} (${rollout.steps[step]} %)`;

/**
 * The rollouts in gateway.migration_rollouts. Every transition is one transaction that holds the
 * rollout's row and changes the dial with it (audited), and applies only from the state it was
 * decided in: a step is never applied twice, whoever drives.
 */
export function createRolloutStore(pool: Pool) {
  async function activeFor(client: PoolClient | Pool, migration: string, lock = false) {
    const { rows } = await client.query<RolloutRow>(
      `SELECT ${COLUMNS} FROM gateway.migration_rollouts
        WHERE migration = $1 AND state IN ('running', 'paused')${lock ? ' FOR UPDATE' : ''}`,
      [migration],
    );
    return rows[0] && toRollout(rows[0]);
  }

  async function update(
    client: PoolClient,
    id: number,
    set: string,
    values: unknown[],
  ): Promise<Rollout> {
    const { rows } = await client.query<RolloutRow>(
      `UPDATE gateway.migration_rollouts SET ${set}, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...values],
    );
    return toRollout(rows[0] as RolloutRow);
  }

  /** Moves the dial as the rollout's own change, audited with why. */
  const setPercent = (
    client: PoolClient,
    migration: string,
    percent: number,
    reason: string,
    actor = ROLLOUT_ACTOR,
    address: string | null = null,
  ) => applyChange(client, { name: migration, changes: { percent }, actor, address, reason });

  /** An operator's command on the active rollout, allowed only from `from` states. */
  async function command(
    migration: string,
    from: readonly RolloutState[],
    verb: string,
    apply: (client: PoolClient, rollout: Rollout) => Promise<Rollout>,
  ): Promise<Rollout> {
    return withTransaction(pool, async (client) => {
      const rollout = await activeFor(client, migration, true);
      if (!rollout || !from.includes(rollout.state)) {
        throw conflict(
          rollout
            ? `the rollout of ${migration} is ${rollout.state}: it cannot be ${verb}`
            : `no rollout of ${migration} is running or paused: nothing to ${verb.replace(/d$/, '')}`,
        );
      }
      return apply(client, rollout);
    });
  }

  return {
    /**
     * Starts a rollout from the dial's current percentage: the first step applies at once. 400
     * when the plan cannot start from there, 409 when one is already running or paused.
     */
    async start(
      migration: string,
      body: RolloutBody,
      { actor, address }: { actor: string; address: string | null },
    ): Promise<Rollout | undefined> {
      return withTransaction(pool, async (client) => {
        const current = await client.query<{ percent: number }>(
          'SELECT percent FROM gateway.migrations WHERE name = $1 FOR UPDATE',
          [migration],
        );
        if (!current.rows[0]) return undefined;
        const running = await activeFor(client, migration);
        if (running) {
          throw conflict(
            `a rollout of ${migration} is already ${running.state} (started by ${running.startedBy}): abort it first`,
          );
        }
        const plan = planOf(body, current.rows[0].percent);
        if (typeof plan === 'string') throw adminErrors.badInput(plan);
        const { steps, ...settings } = plan;
        const { rows } = await client.query<RolloutRow>(
          `INSERT INTO gateway.migration_rollouts (migration, state, steps, settings, started_by)
           VALUES ($1, 'running', $2, $3, $4) RETURNING ${COLUMNS}`,
          [migration, steps, JSON.stringify(settings), actor],
        );
        const rollout = toRollout(rows[0] as RolloutRow);
        await setPercent(
          client,
          migration,
          steps[0] ?? 0,
          `rollout started by ${actor}: ${stepLabel(rollout, 0)}`,
          ROLLOUT_ACTOR,
          address,
        );
        return rollout;
      });
    },

    /**
     * An operator's change of the dial's settings, refused (409) for the percentage while a
     * rollout runs or is paused: the rollout owns it until it ends or is aborted. Holds the
     * migration's row first, as a start does, so the two cannot cross.
     */
    async changeSettings(
      request: ChangeRequest,
    ): Promise<{ before: MigrationSetting; after: MigrationSetting } | undefined> {
      return withTransaction(pool, async (client) => {
        await client.query('SELECT 1 FROM gateway.migrations WHERE name = $1 FOR UPDATE', [
          request.name,
        ]);
        const active =
          request.changes.percent !== undefined && (await activeFor(client, request.name));
        if (active) {
          throw conflict(
            `a rollout of ${request.name} is ${active.state}: it moves the percentage until it ends; abort it first`,
          );
        }
        return applyChange(client, request);
      });
    },

    /** The running or paused rollout of a migration. */
    active: (migration: string) => activeFor(pool, migration),

    /** The newest rollout of a migration, whatever its state. */
    async latest(migration: string): Promise<Rollout | undefined> {
      const { rows } = await pool.query<RolloutRow>(
        `SELECT ${COLUMNS} FROM gateway.migration_rollouts WHERE migration = $1
          ORDER BY id DESC LIMIT 1`,
        [migration],
      );
      return rows[0] && toRollout(rows[0]);
    },

    /** The newest rollout of every migration that has had one. */
    async latestOfEach(): Promise<Rollout[]> {
      const { rows } = await pool.query<RolloutRow>(
        `SELECT DISTINCT ON (migration) ${COLUMNS} FROM gateway.migration_rollouts
          ORDER BY migration, id DESC`,
      );
      return rows.map(toRollout);
    },

    /** Every running rollout: what the driver works on. */
    async running(): Promise<Rollout[]> {
      const { rows } = await pool.query<RolloutRow>(
        `SELECT ${COLUMNS} FROM gateway.migration_rollouts WHERE state = 'running' ORDER BY id`,
      );
      return rows.map(toRollout);
    },

    /**
     * Applies the driver's decision if the rollout is still where it was decided (running, the
     * same step and extensions); false when it has moved on (another replica, an operator).
     */
    async advance(decided: Rollout, transition: Transition): Promise<Rollout | false> {
      return withTransaction(pool, async (client) => {
        const { rows } = await client.query<RolloutRow>(
          `SELECT ${COLUMNS} FROM gateway.migration_rollouts WHERE id = $1 FOR UPDATE`,
          [decided.id],
        );
        const current = rows[0] && toRollout(rows[0]);
        if (
          !current ||
          current.state !== 'running' ||
          current.step !== decided.step ||
          current.extensions !== decided.extensions
        ) {
          return false;
        }
        const analyses = JSON.stringify([...current.analyses, transition.analysis]);
        const { migration } = current;
        switch (transition.kind) {
          case 'extend':
            return update(client, current.id, 'extensions = extensions + 1, analyses = $2', [
              analyses,
            ]);
          case 'pause':
            return update(client, current.id, "state = 'paused', reason = $2, analyses = $3", [
              transition.analysis.reason,
              analyses,
            ]);
          case 'rollback': {
            const reason = `rolled back at ${stepLabel(current)}: ${transition.analysis.reason}`;
            await setPercent(client, migration, current.settings.rollbackTo, reason);
            return update(client, current.id, "state = 'rolled_back', reason = $2, analyses = $3", [
              reason,
              analyses,
            ]);
          }
          case 'promote': {
            const next = current.step + 1;
            if (next >= current.steps.length) {
              return update(client, current.id, "state = 'completed', analyses = $2", [analyses]);
            }
            await setPercent(
              client,
              migration,
              current.steps[next] ?? 100,
              `rollout promoted to ${stepLabel(current, next)}: ${stepLabel(current)} passed`,
            );
            return update(
              client,
              current.id,
              'step = $2, extensions = 0, step_started_at = now(), analyses = $3',
              [next, analyses],
            );
          }
        }
      });
    },

    /** Holds the rollout at its step until resumed. */
    pause: (migration: string, actor: string) =>
      command(migration, ['running'], 'paused', (client, rollout) =>
        update(client, rollout.id, "state = 'paused', reason = $2", [`paused by ${actor}`]),
      ),

    /** Runs the paused step again from its start. */
    resume: (migration: string) =>
      command(migration, ['paused'], 'resumed', (client, rollout) =>
        update(
          client,
          rollout.id,
          "state = 'running', reason = NULL, extensions = 0, step_started_at = now()",
          [],
        ),
      ),

    /** Ends the rollout and returns the dial to its rollback percentage, as Argo's abort does. */
    abort: (migration: string, { actor, address }: { actor: string; address: string | null }) =>
      command(migration, ['running', 'paused'], 'aborted', async (client, rollout) => {
        const reason = `aborted by ${actor} at ${stepLabel(rollout)}`;
        await setPercent(client, migration, rollout.settings.rollbackTo, reason, actor, address);
        return update(client, rollout.id, "state = 'aborted', reason = $2", [reason]);
      }),
  };
}

export type RolloutStore = ReturnType<typeof createRolloutStore>;
