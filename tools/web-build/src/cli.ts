/**
 * `npm run build` (and `npm start`, `npm test`): builds the gateway's browser pages when they
 * are missing or their inputs changed. `--force` rebuilds regardless.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '@cinemaabyss/shared/logging';
import { buildWebAssets, ensureWebAssets, PLAYGROUND_TARGET } from './index';

const logger = createLogger({ name: 'web-build' });
const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  const started = Date.now();
  const { manifest, built } = values.force
    ? { manifest: await buildWebAssets(PLAYGROUND_TARGET), built: true }
    : await ensureWebAssets(PLAYGROUND_TARGET);
  logger.info(
    { ...manifest, ms: Date.now() - started, outDir: PLAYGROUND_TARGET.outDir },
    built ? 'playground built' : 'playground up to date',
  );
}

main().catch((err: unknown) => {
  logger.error({ err }, 'could not build the playground');
  process.exitCode = 1;
});
