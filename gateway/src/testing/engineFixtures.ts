import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { parse } from 'graphql';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { withoutSecurityDirectives } from '../authz/securityDirectives';

/** The committed supergraph as the engine loads it (security directives are read apart). */
export const ENGINE_TEST_SUPERGRAPH = withoutSecurityDirectives(
  readFileSync(path.resolve(__dirname, '../../../supergraph.graphql'), 'utf8'),
);

/** A request as Apollo Server hands it to the engine: parsed, hashed, no HTTP. */
export function engineRequest(
  query: string,
  variables: Record<string, unknown> = {},
): GatewayGraphQLRequestContext {
  return {
    request: { query, variables, operationName: undefined },
    document: parse(query),
    source: query,
    queryHash: createHash('sha256').update(query).digest('hex'),
    operationName: null,
    context: {},
    metrics: {},
    overallCachePolicy: {},
    logger: createSilentLogger(),
    schema: undefined,
    cache: undefined,
  } as unknown as GatewayGraphQLRequestContext;
}
