import { withTransaction } from '@cinemaabyss/shared/db';
import type { Pool, PoolClient } from '@cinemaabyss/shared/db';

/** A migration's name, as gateway.migrations' CHECK constraint allows it. */
export const MIGRATION_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** One migration's setting: the share of users (0–100) its new backend serves. */
export interface MigrationSetting {
  name: string;
  percent: number;
  /** The share (0–100) of eligible requests also sent, for comparison, to the other side. */
  shadowPercent: number;
  /** Paths the shadow comparison leaves out, e.g. `/updated_at`, `/*\/rating`. */
  ignorePaths: string[];
  updatedAt: string;
  updatedBy: string;
}

/** One change of a setting, as the append-only audit table keeps it. */
export interface MigrationChange {
  id: number;
  migration: string;
  actor: string;
  /** The client address the change came from; null for the seed. */
  address: string | null;
  /** Null for the seed: there was no setting before it. */
  oldPercent: number | null;
  newPercent: number;
  changedAt: string;
}

/** Who asks for a change, as the audit row records it. */
export interface ChangeRequest {
  name: string;
  percent: number;
  actor: string;
  address: string | null;
}

interface SettingRow {
  name: string;
  percent: number;
  shadow_percent: number;
  ignore_paths: string[];
  updated_at: Date;
  updated_by: string;
}

const SETTING_COLUMNS = 'name, percent, shadow_percent, ignore_paths, updated_at, updated_by';

function toSetting(row: SettingRow): MigrationSetting {
  return {
    name: row.name,
    percent: row.percent,
    shadowPercent: row.shadow_percent,
    ignorePaths: row.ignore_paths,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

async function recordChange(
  client: PoolClient,
  change: ChangeRequest & { oldPercent: number | null },
): Promise<void> {
  await client.query(
    `INSERT INTO gateway.migration_audit (migration, actor, address, old_percent, new_percent)
     VALUES ($1, $2, $3, $4, $5)`,
    [change.name, change.actor, change.address, change.oldPercent, change.percent],
  );
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
          await recordChange(client, { name, percent, actor, address: null, oldPercent: null });
          return toSetting(inserted.rows[0]);
        }
        const { rows } = await client.query<SettingRow>(
          `SELECT ${SETTING_COLUMNS} FROM gateway.migrations WHERE name = $1`,
          [name],
        );
        return toSetting(rows[0] as SettingRow);
      });
    },

    /**
     * Sets a migration's percentage and audits it, in one transaction that holds the row, so
     * concurrent changes are recorded in the order they applied. Setting the current value
     * changes nothing and records nothing. Undefined when no such migration exists.
     */
    async change(
      request: ChangeRequest,
    ): Promise<{ before: MigrationSetting; after: MigrationSetting } | undefined> {
      return withTransaction(pool, async (client) => {
        const current = await client.query<SettingRow>(
          `SELECT ${SETTING_COLUMNS} FROM gateway.migrations WHERE name = $1 FOR UPDATE`,
          [request.name],
        );
        if (!current.rows[0]) return undefined;
        const before = toSetting(current.rows[0]);
        if (before.percent === request.percent) return { before, after: before };
        const updated = await client.query<SettingRow>(
          `UPDATE gateway.migrations SET percent = $2, updated_at = now(), updated_by = $3
           WHERE name = $1 RETURNING ${SETTING_COLUMNS}`,
          [request.name, request.percent, request.actor],
        );
        await recordChange(client, { ...request, oldPercent: before.percent });
        return { before, after: toSetting(updated.rows[0] as SettingRow) };
      });
    },

    /** The latest changes of one migration, newest first. */
    async audit(name: string, limit: number): Promise<MigrationChange[]> {
      const { rows } = await pool.query<{
        id: number;
        migration: string;
        actor: string;
        address: string | null;
        old_percent: number | null;
        new_percent: number;
        changed_at: Date;
      }>(
        `SELECT id, migration, actor, address, old_percent, new_percent, changed_at
         FROM gateway.migration_audit WHERE migration = $1 ORDER BY id DESC LIMIT $2`,
        [name, limit],
      );
      return rows.map((row) => ({
        id: row.id,
        migration: row.migration,
        actor: row.actor,
        address: row.address,
        oldPercent: row.old_percent,
        newPercent: row.new_percent,
        changedAt: row.changed_at.toISOString(),
      }));
    },
  };
}

export type MigrationStore = ReturnType<typeof createMigrationStore>;
