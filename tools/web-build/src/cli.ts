/**
 * `npm run build` (and `npm start`, `npm test`): builds the gateway's browser pages (the
 * playground and the status page) when they are missing or their inputs changed, and prints
 * what each weighs gzipped. `--force` rebuilds regardless. Fails when the status page is over
 * its budget.
 */
import { parseArgs } from 'node:util';
import { STATUS_PAGE_BUDGET_BYTES } from '@cinemaabyss/gateway/status-page-assets';
import { createLogger } from '@cinemaabyss/shared/logging';
import {
  buildWebAssets,
  ensureWebAssets,
  gzippedBytes,
  STATUS_PAGE_TARGET,
  WEB_TARGETS,
} from './index';

const logger = createLogger({ name: 'web-build' });
const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  for (const [name, target] of Object.entries(WEB_TARGETS)) {
    const started = Date.now();
    const { manifest, built } = values.force
      ? { manifest: await buildWebAssets(target), built: true }
      : await ensureWebAssets(target);
    const gzipped = await gzippedBytes(target, manifest);
    const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
    logger.info(
      {
        ...manifest,
        ms: Date.now() - started,
        outDir: target.outDir,
        gzippedKiB: { js: kib(gzipped.js), css: kib(gzipped.css), total: kib(gzipped.total) },
      },
      `${name} ${built ? 'built' : 'up to date'}: ${kib(gzipped.total)} KiB gzipped`,
    );
    if (target === STATUS_PAGE_TARGET && gzipped.total > STATUS_PAGE_BUDGET_BYTES) {
      throw new Error(
        `the status page weighs ${kib(gzipped.total)} KiB gzipped, over its ${STATUS_PAGE_BUDGET_BYTES / 1024} KiB budget`,
      );
    }
  }
}

main().catch((err: unknown) => {
  logger.error({ err }, 'could not build the browser pages');
  process.exitCode = 1;
});
