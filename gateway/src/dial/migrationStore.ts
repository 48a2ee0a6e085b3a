import { withTransaction } from '@cinemaabyss/shared/db';
import type { Pool, PoolClient } from '@cinemaabyss/shared/db';
import type { ChangedField, MigrationChange, MigrationSetting } from '../adminContract';
export type { MigrationSetting, MigrationChange, ChangedField } from '../adminContract';

/** A migration's name, as gateway.migrations' CHECK constraint allows it. */
export const MIGRATION_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** What a change asks for: any of the settings, at least one. */
export type SettingsChange = Partial<Pick<MigrationSetting, ChangedField>>;

/** Who asks for a change, as the audit row records it. */
export interface ChangeRequest {
  name: string;
  changes: SettingsChange;
  actor: string;
  address: string | null;
  /** Why, for a change made by the gateway itself (a rollout's step or rollback). */
  reason?: string;
}

interface SettingRow {
  name: string;
  percent: number;
  shadow_percent: number;
  noise_percent: number;
  ignore_paths: string[];
  shadow_since: Date;
  updated_at: Date;
  updated_by: string;
}

const CHANGED_FIELDS: readonly ChangedField[] = [
  'percent',
  'shadowPercent',
  'noisePercent',
  'ignorePaths',
];

const SETTING_COLUMNS =
  'name, percent, shadow_percent, noise_percent, ignore_paths, shadow_since, updated_at, updated_by';

function toSetting(row: SettingRow): MigrationSetting {
  return {
    name: row.name,
    percent: row.percent,
    shadowPercent: row.shadow_percent,
    noisePercent: row.noise_percent,
    ignorePaths: row.ignore_paths,
    shadowSince: row.shadow_since.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

const asText = (field: ChangedField, value: MigrationSetting[ChangedField]) =>
  field === 'ignorePaths' ? JSON.stringify(value) : String(value);

async function recordChange(
  client: PoolClient,
  change: {
    name: string;
    actor: string;
    address: string | null;
    field: ChangedField;
    oldValue: MigrationSetting[ChangedField] | null;
    newValue: MigrationSetting[ChangedField];
    reason?: string;
  },
): Promise<void> {
  const isPercent = change.field === 'percent';
  await client.query(
    `INSERT INTO gateway.migration_audit
       (migration, actor, address, field, old_value, new_value, old_percent, new_percent, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      change.name,
      change.actor,
      change.address,
      change.field,
      change.oldValue === null ? null : asText(change.field, change.oldValue),
      asText(change.field, change.newValue),
      isPercent ? change.oldValue : null,
      isPercent ? change.newValue : null,
      change.reason ?? null,
    ],
  );
}

/**
 * Changes a migration's settings and audits each changed one inside the caller's transaction,
 * holding the row, so concurrent changes are recorded in the order they applied. Setting
 * current values changes nothing and records nothing. Undefined when no such migration exists.
 */
export async function applyChange(
  client: PoolClient,
  request: ChangeRequest,
): Promise<{ before: MigrationSetting; after: MigrationSetting } | undefined> {
  const current = await client.query<SettingRow>(
    `SELECT ${SETTING_COLUMNS} FROM gateway.migrations WHERE name = $1 FOR UPDATE`,
    [request.name],
  );
  if (!current.rows[0]) return undefined;
  const before = toSetting(current.rows[0]);
  const changed = CHANGED_FIELDS.filter(
    (field) =>
      request.changes[field] !== undefined &&
      asText(field, request.changes[field]) !== asText(field, before[field]),
  );
  if (changed.length === 0) return { before, after: before };
  const next = { ...before, ...request.changes };
  // Any shadow setting (share, noise share, ignored paths) restarts the shadow results.
  const shadowChanged = changed.some((field) => field !== 'percent');
  const updated = await client.query<SettingRow>(
    `UPDATE gateway.migrations
        SET percent = $2, shadow_percent = $3, noise_percent = $4, ignore_paths = $5,
            shadow_since = CASE WHEN $6 THEN now() ELSE shadow_since END,
            updated_at = now(), updated_by = $7
      WHERE name = $1 RETURNING ${SETTING_COLUMNS}`,
    [
      request.name,
      next.percent,
      next.shadowPercent,
      next.noisePercent,
      next.ignorePaths,
      shadowChanged,
      request.actor,
    ],
  );
  for (const field of changed) {
    await recordChange(client, {
      name: request.name,
      actor: request.actor,
      address: request.address,
      field,
      oldValue: before[field],
      newValue: next[field],
      reason: request.reason,
    });
  }
  return { before, after: toSetting(updated.rows[0] as SettingRow) };
}

/** Reads and changes the dial's settings in PostgreSQL; every change is audited in the same transaction. */
export function createMigrationStore(pool: Pool) {
  return {
    async list(): Promise<MigrationSetting[]> {
      const { rows } = await pool.query<SettingRow>(
        `SELECT ${SETTING_COLUMNS} FROM gateway.migrations ORDER BY name`,
      );
      return rows.map(toSetting);
    },

    async find(name: string): Promise<MigrationSetting | undefined> {
      const { rows } = await pool.query<SettingRow>(
        `SELECT ${SETTING_COLUMNS} FROM gateway.migrations WHERE name = $1`,
        [name],
      );
      return rows[0] && toSetting(rows[0]);
    },

    /**
     * Creates the setting unless one exists, auditing the creation; an existing setting always
     * wins over the seed, so restarts and new replicas keep what operators chose.
     */
    async seed(name: string, percent: number, actor: string): Promise<MigrationSetting> {
      return withTransaction(pool, async (client) => {
        const inserted = await client.query<SettingRow>(
          `INSERT INTO gateway.migrations (name, percent, updated_by) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO NOTHING RETURNING ${SETTING_COLUMNS}`,
          [name, percent, actor],
        );
        if (inserted.rows[0]) {
          await recordChange(client, {
            name,
            actor,
            address: null,
            field: 'percent',
            oldValue: null,
            newValue: percent,
          });
          return toSetting(inserted.rows[0]);
        }
        const { rows } = await client.query<SettingRow>(
          `SELECT ${SETTING_COLUMNS} FROM gateway.migrations WHERE name = $1`,
          [name],
        );
        return toSetting(rows[0] as SettingRow);
      });
    },

    /** Changes a migration's settings and audits each changed one (applyChange), in one transaction. */
    async change(
      request: ChangeRequest,
    ): Promise<{ before: MigrationSetting; after: MigrationSetting } | undefined> {
      return withTransaction(pool, (client) => applyChange(client, request));
    },

    /** The latest changes of one migration, newest first. */
    async audit(name: string, limit: number): Promise<MigrationChange[]> {
      const { rows } = await pool.query<{
        id: number;
        migration: string;
        actor: string;
        address: string | null;
        field: ChangedField;
        old_value: string | null;
        new_value: string;
        old_percent: number | null;
        new_percent: number | null;
        changed_at: Date;
        reason: string | null;
      }>(
        `SELECT id, migration, actor, address, field, old_value, new_value, old_percent,
                new_percent, changed_at, reason
         FROM gateway.migration_audit WHERE migration = $1 ORDER BY id DESC LIMIT $2`,
        [name, limit],
      );
      return rows.map((row) => ({
        id: row.id,
        migration: row.migration,
        actor: row.actor,
        address: row.address,
        field: row.field,
        oldValue: row.old_value,
        newValue: row.new_value,
        oldPercent: row.old_percent,
        newPercent: row.new_percent,
        changedAt: row.changed_at.toISOString(),
        reason: row.reason,
      }));
    },
  };
}

export type MigrationStore = ReturnType<typeof createMigrationStore>;
