import { createHash } from 'node:crypto';
import type { GatewayExecutionResult } from '@apollo/server-gateway-interface';
import { userBucket } from '../dial/userBucket';
import { USER_ID_HEADER, dialUserId } from '../dial/userIdentity';
import type { GatewayContext } from '../graphql/subgraphDataSource';
import type { Side } from '../figures/figuresRecorder';
import type { OverrideIndex } from '../graphql/overrideIndex';
import type { ExecutedOperation } from '../graphql/progressiveOverride';
import { shadowRequestContext } from '../graphql/shadowRequestContext';
import { compareAnswers } from './compareAnswers';
import type { Difference } from './compareAnswers';
import { isInEvidence, overrideEvidence, projectEvidence } from './overrideEvidence';
import type { Evidence, EvidenceOperation } from './overrideEvidence';
import { SHADOW_HEADER, createShadowComparison } from './shadowComparison';
import type { ShadowOptions, ShadowSurface } from './shadowComparison';

export type GraphqlShadowOptions = ShadowOptions;

/** One side's execution of an operation, with the parts of it that are evidence. */
interface GraphqlAnswer {
  result: GatewayExecutionResult;
  evidence: Evidence;
  /** Its size, measured once when first asked. */
  bytes?: number;
}

/**
 * The codes of an answer's errors within its evidence, sorted: which errors, not where or how
 * worded. Errors elsewhere (a field the shadow run did not ask) say nothing about the migration.
 */
function errorCodes({ result, evidence }: GraphqlAnswer): string[] {
  return (result.errors ?? [])
    .filter((error) => isInEvidence(error.path, evidence))
    .map((error) => {
      const code = error.extensions?.code;
      return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
    })
    .sort();
}

/** GraphQL answers: only the evidence is compared, and the error codes. */
const graphqlSurface: ShadowSurface<GraphqlAnswer> = {
  surface: 'graphql',
  // An executed operation always answers; a side that failed answers with errors, compared.
  failed: () => false,
  size(answer) {
    answer.bytes ??= Buffer.byteLength(JSON.stringify(answer.result.data ?? null));
    return answer.bytes;
  },
  differences(served, other, ignorePaths) {
    const differences: Difference[] = compareAnswers(
      { status: 200, body: { data: projectEvidence(served.result.data, served.evidence) } },
      { status: 200, body: { data: projectEvidence(other.result.data, other.evidence) } },
      ignorePaths,
    );
    const [servedCodes, otherCodes] = [errorCodes(served), errorCodes(other)];
    if (JSON.stringify(servedCodes) !== JSON.stringify(otherCodes)) {
      differences.unshift({
        path: '/errors',
        served: JSON.stringify(servedCodes),
        shadow: JSON.stringify(otherCodes),
      });
    }
    return differences;
  },
};

/** A short, stable hash of an operation's variables: mismatches say which, never what. */
export function variablesHash(variables: Record<string, unknown> | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify(variables ?? {}))
    .digest('hex')
    .slice(0, 16);
}

/** Operations whose evidence is remembered per override index; past this it starts over. */
const MAX_REMEMBERED_OPERATIONS = 2_000;

/**
 * Shadow comparison of GraphQL queries on a migration's override label: a sampled share of the
 * queries whose plan depends on `migration:<name>` is run again with that label flipped — the
 * other side's plan — in a request context of its own, and the evidence of the two answers
 * compared (shadowComparison). Noise is learned per operation.
 */
export function createGraphqlShadow({ migration, ...options }: GraphqlShadowOptions) {
  const label = `migration:${migration}`;
  const comparison = createShadowComparison({ ...options, migration, surface: graphqlSurface });
  const evidenceByIndex = new WeakMap<OverrideIndex, Map<string, EvidenceOperation | undefined>>();

  function evidenceOf({ request, overrides }: ExecutedOperation): EvidenceOperation | undefined {
    let remembered = evidenceByIndex.get(overrides);
    if (!remembered || remembered.size >= MAX_REMEMBERED_OPERATIONS) {
      remembered = new Map();
      evidenceByIndex.set(overrides, remembered);
    }
    const key = `${request.queryHash}\u0000${request.operationName ?? ''}`;
    if (!remembered.has(key)) {
      remembered.set(
        key,
        overrideEvidence(request.document, request.operationName, request.schema, overrides, label),
      );
    }
    return remembered.get(key);
  }

  return {
    /**
     * Considers one answered operation: a query (never a mutation or subscription, never a
     * shadow run itself) on the migration's label, sampled at its shadow share, is compared.
     */
    consider(executed: ExecutedOperation, servedMs: number): void {
      const { request, conditions, result, executeWithLabels } = executed;
      const active = conditions.get(label);
      if (active === undefined || request.operation.operation !== 'query') return;
      if (request.request.http?.headers.get(SHADOW_HEADER)) return;
      if (!comparison.sampled()) return;
      const cutDown = evidenceOf(executed);
      if (!cutDown) return;
      const { evidence, document } = cutDown;
      const flipped = new Map(conditions).set(label, !active);
      // Each side is asked only what can differ: the evidence and the selections leading to it.
      const shadowOperation = {
        document,
        queryHash: `${request.queryHash}\u0000evidence:${label}`,
      };
      const run = (labels: ReadonlyMap<string, boolean>) => async () => ({
        result: await executeWithLabels(shadowRequestContext(request, shadowOperation), labels),
        evidence,
      });
      const servedSide: Side = active ? 'new' : 'old';
      const userId = dialUserId(
        (request.context as Partial<GatewayContext> | undefined)?.caller,
        request.request.http?.headers.get(USER_ID_HEADER),
      );
      comparison.compare({
        servedSide,
        route: request.operationName ?? `(anonymous) ${request.queryHash.slice(0, 8)}`,
        served: { result, evidence },
        servedMs,
        callOtherSide: run(flipped),
        callServedSide: run(conditions),
        mismatch: ({ differences, shadowMs }) => ({
          migration,
          surface: 'graphql',
          request: {
            method: request.request.http?.method ?? 'POST',
            operationName: request.operationName ?? null,
            variablesHash: variablesHash(request.request.variables),
            userBucket: userId === undefined ? null : userBucket(userId),
            servedSide,
          },
          status: { served: 200, shadow: 200 },
          latencyMs: { served: servedMs, shadow: shadowMs },
          differences,
        }),
      });
    },

    inFlight: comparison.inFlight,
  };
}

export type GraphqlShadow = ReturnType<typeof createGraphqlShadow>;
