import type { GatewayExecutionResult } from '@apollo/server-gateway-interface';
import type { OverrideDecision } from '../graphql/progressiveOverride';
import type { MigrationFigures } from './useMigrationFigures';

/** Codes of a subgraph that failed, as opposed to a client's mistake (BAD_USER_INPUT, …). */
const FAILURE_CODES = new Set([
  'SERVICE_UNAVAILABLE',
  'DOWNSTREAM_SERVICE_ERROR',
  'INTERNAL_SERVER_ERROR',
]);

/** Whether `subgraph` failed this answer: it was unreachable, timed out or raised an error. */
export function subgraphFailed(result: GatewayExecutionResult, subgraph: string): boolean {
  return (result.errors ?? []).some((error) => {
    const { code, serviceName } = error.extensions ?? {};
    return serviceName === subgraph && FAILURE_CODES.has(typeof code === 'string' ? code : '');
  });
}

/**
 * Counts an answered GraphQL operation in the fleet figures of each migration it was planned
 * on, on the side its `migration:` label chose; a failure when that side's subgraph failed (or
 * the execution threw: `result` undefined).
 */
export function countGraphqlServed(
  figures: Pick<MigrationFigures, 'served'>,
  decisions: readonly OverrideDecision[],
  result: GatewayExecutionResult | undefined,
  durationMs: number,
): void {
  for (const { migration, active, servedBy } of decisions) {
    if (!migration) continue;
    figures.served({
      migration,
      side: active ? 'new' : 'old',
      surface: 'graphql',
      failed: result === undefined || subgraphFailed(result, servedBy),
      durationMs,
    });
  }
}
