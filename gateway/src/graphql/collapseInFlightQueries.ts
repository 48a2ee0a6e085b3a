import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from '@apollo/server-gateway-interface';
import { InFlight } from './inFlight';
import { wrapExecutor } from './wrapExecutor';
import { DEBUG_OVERRIDE_HEADER } from './progressiveOverride';
import { callerKey } from '@cinemaabyss/shared/identity';
import type { GatewayContext } from './subgraphDataSource';

/**
 * Request headers an answer may depend on: who is asking (X-User-Id also picks the side of each
 * progressive override label), and the debug header that adds the labels' sides to the
 * extensions. Requests that differ in any of them never share an answer.
 */
const CALLER_HEADERS = ['authorization', 'cookie', 'x-user-id', DEBUG_OVERRIDE_HEADER] as const;

/**
 * What makes two operations interchangeable: the same document, operation, variables and
 * caller. Only queries collapse; a mutation always runs once per request.
 */
export function collapseKey(request: GatewayGraphQLRequestContext): string | undefined {
  if (request.operation.operation !== 'query') return undefined;
  const headers = request.request.http?.headers;
  return [
    request.queryHash,
    request.operationName ?? '',
    JSON.stringify(request.request.variables ?? {}),
    ...CALLER_HEADERS.map((name) => headers?.get(name) ?? ''),
    // The verified caller, whose subject decides the override labels' sides.
    callerKey((request.context as Partial<GatewayContext> | undefined)?.caller),
  ].join('\u0000');
}

interface SharedExecution {
  result: GatewayExecutionResult;
  /** The cache policy the subgraphs' responses set on the request that ran the plan. */
  cacheHint: { maxAge?: number; scope?: unknown };
}

/**
 * Wraps a gateway so that identical query operations arriving while one is executing wait for
 * it and answer with its result, instead of running the same query plan again: under a burst
 * of the same query the plan, the subgraph calls and the result shaping run once.
 */
export function collapseInFlightQueries(
  gateway: GatewayInterface,
  onCollapsed: () => void,
): GatewayInterface {
  const inFlight = new InFlight<SharedExecution>(onCollapsed);
  return wrapExecutor(gateway, (executor) => async (request) => {
    const key = collapseKey(request);
    if (key === undefined) return executor(request);
    const shared = await inFlight.run(key, async () => {
      const result = await executor(request);
      const { maxAge, scope } = request.overallCachePolicy as SharedExecution['cacheHint'];
      return { result, cacheHint: { maxAge, scope } };
    });
    // Each response gets its own top-level object; data is only read from here on.
    request.overallCachePolicy.restrict(shared.cacheHint);
    return { ...shared.result };
  });
}
