import type { Logger } from '@cinemaabyss/shared/logging';
import type { GatewayConfig } from '../config';
import type { MigrationStore } from './migrationStore';

/** The migration the REST shim's /api/movies follows. */
export const MOVIES_MIGRATION = 'movies';
/** The audit trail's actor for a setting taken from the environment at first start. */
export const SEED_ACTOR = 'seed: GRADUAL_MIGRATION / MOVIES_MIGRATION_PERCENT';

/** Each known migration's first setting: what the environment asks for (GRADUAL_MIGRATION=false is 0 %). */
export function seedPercentages(
  config: Pick<GatewayConfig, 'gradualMigration' | 'moviesMigrationPercent'>,
): Record<string, number> {
  return { [MOVIES_MIGRATION]: config.gradualMigration ? config.moviesMigrationPercent : 0 };
}

/**
 * Creates every known migration's setting that does not exist yet from the environment. An
 * existing setting wins: operators' changes survive restarts, and a replica started with other
 * variables says so rather than silently moving users.
 */
export async function seedMigrations(
  store: MigrationStore,
  config: Pick<GatewayConfig, 'gradualMigration' | 'moviesMigrationPercent'>,
  logger: Logger,
): Promise<void> {
  for (const [name, percent] of Object.entries(seedPercentages(config))) {
    const setting = await store.seed(name, percent, SEED_ACTOR);
    if (setting.percent !== percent) {
      logger.info(
        {
          migration: name,
          stored: setting.percent,
          environment: percent,
          updatedBy: setting.updatedBy,
        },
        'the stored migration setting wins over GRADUAL_MIGRATION / MOVIES_MIGRATION_PERCENT',
      );
    }
  }
}
