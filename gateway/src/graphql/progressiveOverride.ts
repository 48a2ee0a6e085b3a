import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '@cinemaabyss/shared/logging';
import { evaluateOverrideLabel, migrationOfLabel } from '../dial/overrideLabels';
import { USER_ID_HEADER, dialUserId } from '../dial/userIdentity';
import type { GatewayContext } from './subgraphDataSource';
import { indexOverrides, labelsSelectedBy } from './overrideIndex';
import { wrapExecutor } from './wrapExecutor';
import type { OverrideIndex } from './overrideIndex';
import type { LabelConditions } from '../engine/executeOperation';
import type { SupergraphEngine } from '../engine/supergraphEngine';

/** Sent with any value, the response's extensions say which side served each migrated label. */
export const DEBUG_OVERRIDE_HEADER = 'x-debug-override-labels';

export interface OverrideDecision {
  label: string;
  /** Whether the label is active: the overriding (new) subgraph serves its fields. */
  active: boolean;
  /** Set for `migration:<name>` labels. */
  migration: string | undefined;
  /** The subgraph that serves the label's fields for this request. */
  servedBy: string;
}

export type { LabelConditions };

/** Runs an operation with the given label conditions instead of the caller's own. */
export type ExecuteWithLabels = (
  request: GatewayGraphQLRequestContext,
  conditions: LabelConditions,
) => Promise<GatewayExecutionResult>;

/** An operation this gateway has answered, with what decided its plan. */
export interface ExecutedOperation {
  request: GatewayGraphQLRequestContext;
  /** The conditions its plan was built with: the labels it selects, evaluated for its caller. */
  conditions: LabelConditions;
  /** Which subgraph served each label's fields. */
  decisions: readonly OverrideDecision[];
  /** What the client is answered with (before debug extensions); read it, never change it. */
  result: GatewayExecutionResult;
  /** The seam to run it again with other labels (a shadow run on the other side's plan). */
  executeWithLabels: ExecuteWithLabels;
  /** The supergraph's overrides its plan was built on. */
  overrides: OverrideIndex;
}

export interface ProgressiveOverrideOptions {
  /** The live dial's percentage of a migration; undefined when no such migration exists. */
  migrationPercent(name: string): number | undefined;
  onDecision(decision: OverrideDecision): void;
  /** Called once an operation that selects override labels is answered (shadow comparison). */
  onExecuted?(executed: ExecutedOperation, durationMs: number): void;
  /** Called when such an operation's execution threw instead (an internal failure). */
  onThrown?(decisions: readonly OverrideDecision[], durationMs: number): void;
  logger: Logger;
  /** For anonymous requests. @default Math.random */
  random?: () => number;
}

/** Operations whose selected labels are remembered; past this the memo starts over. */
const MAX_REMEMBERED_OPERATIONS = 2_000;

/**
 * Evaluates Federation's progressive-override labels per request, which stock @apollo/gateway
 * never does: `migration:<name>` follows the live migration dial by the caller's X-User-Id bucket
 * (the REST shim's, so one user's REST and GraphQL land on the same side), `percent(N)` is sticky
 * per user too, anonymous requests draw at random, unknown labels are false (logged once).
 * The engine plans with the conditions and caches plans per operation and active label set: the
 * cache grows with label combinations, never with users, and a new percentage needs no flush.
 */
export function evaluateProgressiveOverride(
  engine: SupergraphEngine,
  options: ProgressiveOverrideOptions,
): GatewayInterface & {
  /** The active labels `request` would run with now, as keyed in the plan cache. */
  labelsKey(request: GatewayGraphQLRequestContext): string;
} {
  const { logger, onDecision, onExecuted, onThrown, migrationPercent } = options;
  let index: OverrideIndex = { fields: new Map(), labels: new Map(), resolvers: new Map() };
  let apiSchema: GraphQLSchema | undefined;
  const selectedByOperation = new Map<string, string[]>();
  const warnedLabels = new Set<string>();

  // Each (re)load brings its own labels.
  engine.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
    index = indexOverrides(coreSupergraphSdl);
    apiSchema = schema;
    selectedByOperation.clear();
  });

  function selectedLabels(request: GatewayGraphQLRequestContext): string[] {
    if (!apiSchema || index.fields.size === 0) return [];
    const remembered = selectedByOperation.get(request.queryHash);
    if (remembered) return remembered;
    const labels = labelsSelectedBy(request.document, apiSchema, index);
    if (selectedByOperation.size >= MAX_REMEMBERED_OPERATIONS) selectedByOperation.clear();
    selectedByOperation.set(request.queryHash, labels);
    return labels;
  }

  /** The active labels of a set of conditions, in order: what a plan is cached under. */
  function activeKey(conditions: LabelConditions): string {
    const active = [...conditions.keys()].filter((label) => conditions.get(label)).sort();
    return `\u0000labels:${active.join(',')}`;
  }

  function evaluate(request: GatewayGraphQLRequestContext, labels: string[]) {
    const context = request.context as Partial<GatewayContext> | undefined;
    const userId = dialUserId(context?.caller, request.request.http?.headers.get(USER_ID_HEADER));
    const draw = context?.overrideDraw;
    const random = draw === undefined ? (options.random ?? Math.random) : () => draw;
    const conditions = new Map<string, boolean>();
    const decisions: OverrideDecision[] = [];
    for (const label of labels) {
      const evaluated = evaluateOverrideLabel(label, { userId, migrationPercent, random });
      if (evaluated === undefined && !warnedLabels.has(label)) {
        warnedLabels.add(label);
        logger.warn({ label }, 'unknown progressive override label: treated as false');
      }
      const active = evaluated ?? false;
      conditions.set(label, active);
      const sides = index.labels.get(label);
      const servedBy = (active ? sides?.to : sides?.from) ?? 'unknown';
      decisions.push({ label, active, migration: migrationOfLabel(label), servedBy });
    }
    return { conditions, decisions };
  }

  const executeWithLabels: ExecuteWithLabels = (request, conditions) =>
    engine.execute(request, conditions);
  const wrapped = wrapExecutor(engine, (executor) => {
    return async (request) => {
      const labels = selectedLabels(request);
      if (labels.length === 0) return executor(request);
      const overrides = index;
      const { conditions, decisions } = evaluate(request, labels);
      for (const decision of decisions) onDecision(decision);
      const started = performance.now();
      let result: GatewayExecutionResult;
      try {
        result = await executeWithLabels(request, conditions);
      } catch (err) {
        onThrown?.(decisions, performance.now() - started);
        throw err;
      }
      onExecuted?.(
        { request, conditions, decisions, result, executeWithLabels, overrides },
        performance.now() - started,
      );
      return withDebugLabels(request, result, conditions, decisions);
    };
  });
  return Object.assign(wrapped, {
    labelsKey(request: GatewayGraphQLRequestContext): string {
      const labels = selectedLabels(request);
      if (labels.length === 0) return '';
      return activeKey(evaluate(request, labels).conditions);
    },
  });
}

/** With DEBUG_OVERRIDE_HEADER, the result's extensions say which side served each label. */
function withDebugLabels(
  request: GatewayGraphQLRequestContext,
  result: GatewayExecutionResult,
  conditions: LabelConditions,
  decisions: OverrideDecision[],
): GatewayExecutionResult {
  if (!request.request.http?.headers.get(DEBUG_OVERRIDE_HEADER)) return result;
  const overrideLabels = Object.fromEntries(
    decisions.map(({ label, servedBy }) => [label, { active: conditions.get(label), servedBy }]),
  );
  return { ...result, extensions: { ...result.extensions, overrideLabels } };
}
