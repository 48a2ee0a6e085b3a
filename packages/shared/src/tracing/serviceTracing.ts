import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../logger';
import { startTracing } from './startTracing';
import type { Tracing } from './currentTracing';

/**
 * What a service's `src/tracing.ts` calls, before anything else loads: tracing named after the
 * service and versioned by its package.json. A malformed OTEL_* variable stops start-up like
 * any other bad setting, with a fatal line naming it.
 */
export function startServiceTracing(serviceName: string, serviceDir: string): Tracing {
  const logger = createLogger({ name: serviceName });
  try {
    return startTracing({ serviceName, serviceVersion: readPackageVersion(serviceDir), logger });
  } catch (err) {
    logger.fatal({ err }, err instanceof Error ? err.message : 'tracing could not start');
    process.exit(1);
  }
}

function readPackageVersion(serviceDir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(serviceDir, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}
