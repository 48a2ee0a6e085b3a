import { createHash, randomUUID } from 'node:crypto';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewaySchemaHash,
} from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import type {
  DocumentNode,
  ExecutionResult,
  FieldNode,
  GraphQLFormattedError,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationRule,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { LRUCache } from 'lru-cache';
import type { Logger } from '@cinemaabyss/shared/logging';
import { callerKey, mayActFor } from '@cinemaabyss/shared/identity';
import type { Caller } from '@cinemaabyss/shared/identity';
import { authorizeOperation } from '../authz/authorizeOperation';
import type { AuthzMode } from '../authz/authzMode';
import type { SecurityIndex } from '../authz/securityDirectives';
import { USER_ID_HEADER } from '../dial/userIdentity';
import { formatGatewayError } from '../graphql/gatewayPlugins';
import { checkPageCost } from '../graphql/pageCostPlugin';
import { ownCachePolicy } from '../graphql/shadowRequestContext';
import { decodeCursor } from './eventCursor';
import type { EventCursor } from './eventCursor';
import { FILTER_ARGUMENT, SUBSCRIPTION_FIELDS } from './eventRouting';
import type { RoutedEvent, SubscriptionField } from './eventRouting';
import type { SubscriptionEventContext } from './eventsSubgraph';
import type { SubscriptionHub, SubscriptionTransport } from './subscriptionHub';

/** What the subscription transports need of the gateway, read when a subscription starts. */
export interface SubscriptionEngine {
  /** The API schema served now; undefined before the supergraph is loaded. */
  schema(): GraphQLSchema | undefined;
  security(): SecurityIndex;
  authzMode: AuthzMode;
  /** The gateway's own rules beside graphql-js's (depth, aliases, directives). */
  validationRules: readonly ValidationRule[];
  maxTokens: number;
  maxCost: number;
  /** The gateway's executor, every layer included; undefined before it is loaded. */
  executor(): GatewayExecutor | undefined;
  /** The override labels a request would run with now (the plan cache's label key). */
  labelsKey(request: GatewayGraphQLRequestContext): string;
  hub: SubscriptionHub;
  logger: Logger;
}

/** A subscribe request as a transport received it (the GraphQL-over-HTTP parameters). */
export interface SubscribeParams {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  /** `resumeFrom`: the cursor of the last event received (graphql-ws; SSE without the header). */
  extensions?: unknown;
}

/** The cursor `extensions.resumeFrom` names; null when it is there but not a string. */
export function resumeFromOf(extensions: unknown): string | undefined | null {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const value = (extensions as Record<string, unknown>).resumeFrom;
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : null;
}

/** Who subscribes: the verified caller, or an anonymous one with the dial's X-User-Id. */
export interface Subscriber {
  caller: Caller | undefined;
  userIdHeader: string | undefined;
  requestId: string;
  /** The cursor of the last event the client received, and where it was given (for errors). */
  resumeFrom?: { cursor: string; source: string };
  /** Tells the client it was closed for falling behind (transport-specific). */
  onTooSlow?(): void;
}

export type PreparedSubscription =
  | {
      ok: true;
      stream: AsyncIterableIterator<ExecutionResult>;
      /** The checked operation, for a transport that wants execution arguments. */
      schema: GraphQLSchema;
      document: DocumentNode;
      operationName: string | undefined;
    }
  | { ok: false; status: number; errors: GraphQLFormattedError[] };

/** Field-level rules of the fields whose events are someone's own (as the monolith's data is). */
const OWNER_SCOPE: Partial<Record<SubscriptionField, string>> = {
  userEvents: 'users:read',
  paymentEvents: 'payments:read',
};

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (status: number, code: string, message: string): never => {
  throw new Refusal(status, code, message);
};

/** The one root field of a subscription (validation makes it one), through fragments. */
function rootFieldOf(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : document.definitions.find(
            (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
          );
    const set = inner && 'selectionSet' in inner ? inner.selectionSet : inner;
    const found = set && 'selections' in set ? rootFieldOf(set, document) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Operations parsed and validated once per schema: subscribers mostly send the same few. */
const NO_HEADERS = new Headers();

const checkedDocuments = new WeakMap<
  GraphQLSchema,
  LRUCache<string, { document: DocumentNode; invalid: string | undefined }>
>();
const CHECKED_DOCUMENTS = 1_000;

/**
 * The operation's document and, when it breaks a rule, the validation errors; shared by every
 * subscription with the same text (a document is never changed once parsed). A parse error is
 * refused, and not remembered.
 */
function checkedDocument(engine: SubscriptionEngine, schema: GraphQLSchema, source: string) {
  let cache = checkedDocuments.get(schema);
  if (!cache) {
    cache = new LRUCache({ max: CHECKED_DOCUMENTS });
    checkedDocuments.set(schema, cache);
  }
  const cached = cache.get(source);
  if (cached) return cached;
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: engine.maxTokens });
  } catch (err) {
    return refuse(400, 'GRAPHQL_PARSE_FAILED', (err as Error).message);
  }
  const errors = validate(schema, document, [...specifiedRules, ...engine.validationRules]);
  const checked = {
    document,
    invalid: errors.length > 0 ? errors.map((e) => e.message).join('; ') : undefined,
  };
  cache.set(source, checked);
  return checked;
}

function parseOperation(
  engine: SubscriptionEngine,
  params: SubscribeParams,
  schema: GraphQLSchema,
) {
  if (typeof params.query !== 'string' || params.query.trim() === '') {
    refuse(400, 'BAD_REQUEST', 'a subscription needs a "query" string');
  }
  const source = params.query as string;
  const variables = params.variables ?? {};
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    refuse(400, 'BAD_REQUEST', '"variables" must be an object');
  }
  const operationName = params.operationName ?? undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    refuse(400, 'BAD_REQUEST', '"operationName" must be a string');
  }
  const { document, invalid } = checkedDocument(engine, schema, source);
  const operation = getOperationAST(document, (operationName as string | null) ?? undefined);
  if (!operation) {
    refuse(
      400,
      'OPERATION_RESOLUTION_FAILURE',
      operationName
        ? `Unknown operation named "${operationName as string}".`
        : 'Must provide operation name if query contains multiple operations.',
    );
  }
  if (operation!.operation !== 'subscription') {
    refuse(
      400,
      'OPERATION_NOT_SUPPORTED',
      `only subscriptions are served here; send ${operation!.operation} operations to POST /graphql`,
    );
  }
  if (invalid) refuse(400, 'GRAPHQL_VALIDATION_FAILED', invalid);
  const coerced = getVariableValues(
    schema,
    operation!.variableDefinitions ?? [],
    variables as Record<string, unknown>,
  );
  if (coerced.errors) {
    refuse(400, 'BAD_USER_INPUT', coerced.errors.map((e) => e.message).join('; '));
  }
  try {
    checkPageCost(engine.maxCost, {
      schema,
      document,
      operationName: operation!.name?.value,
      variables: variables as Record<string, unknown>,
    });
  } catch (err) {
    if (err instanceof GraphQLError) refuse(400, 'BAD_USER_INPUT', err.message);
    throw err;
  }
  return {
    source,
    document,
    operation: operation!,
    variables: variables as Record<string, unknown>,
    coerced: coerced.coerced!,
  };
}

/** The root field, its filter value, and whether this caller may subscribe to it. */
function subscribedField(
  schema: GraphQLSchema,
  parsed: ReturnType<typeof parseOperation>,
  caller: Caller | undefined,
): { field: SubscriptionField; filter: string | undefined } {
  const node = rootFieldOf(parsed.operation.selectionSet, parsed.document);
  const name = node?.name.value;
  const definition = name ? schema.getSubscriptionType()?.getFields()[name] : undefined;
  if (!node || !definition || !(SUBSCRIPTION_FIELDS as readonly string[]).includes(name!)) {
    return refuse(400, 'OPERATION_NOT_SUPPORTED', `no event feeds the subscription field ${name}`);
  }
  const field = name as SubscriptionField;
  const value = getArgumentValues(definition, node, parsed.coerced)[FILTER_ARGUMENT[field]];
  const filter = value === undefined || value === null ? undefined : String(value);
  const scope = OWNER_SCOPE[field];
  // Someone's own events: theirs, or anyone's with the scope (as the monolith serves the data).
  if (
    scope &&
    caller &&
    !(filter !== undefined ? mayActFor(caller, filter, scope) : caller.scopes.includes(scope))
  ) {
    refuse(
      403,
      'FORBIDDEN',
      filter !== undefined
        ? `${field} of another user needs the ${scope} scope`
        : `${field} of every user needs the ${scope} scope`,
    );
  }
  return { field, filter };
}

/** The cursor a client resumes from, for this field; a malformed or foreign one is refused. */
function resumeCursor(
  resumeFrom: Subscriber['resumeFrom'],
  field: SubscriptionField,
): EventCursor | undefined {
  if (!resumeFrom) return undefined;
  const cursor = decodeCursor(resumeFrom.cursor);
  if (!cursor) {
    return refuse(
      400,
      'BAD_USER_INPUT',
      `${resumeFrom.source} is not an event id this gateway issued`,
    );
  }
  if (cursor.field !== field) {
    return refuse(
      400,
      'BAD_USER_INPUT',
      `${resumeFrom.source} is an event id of ${cursor.field}, not of ${field}`,
    );
  }
  return cursor;
}

/**
 * Checks a subscription as POST /graphql checks a query (parse with the token limit,
 * validation with the gateway's rules, variables, page cost, @authenticated /
 * @requiresScopes, and whose events the caller may follow), then registers it with the hub.
 * Every transport (graphql-sse, graphql-ws) runs this one check; a refusal is a status and
 * errors in the GraphQL shape, and nothing is registered.
 */
export function prepareSubscription(
  engine: SubscriptionEngine,
  params: SubscribeParams,
  subscriber: Subscriber,
  transport: SubscriptionTransport,
): PreparedSubscription {
  try {
    if (!engine.hub.isAccepting()) {
      refuse(503, 'SERVICE_UNAVAILABLE', 'this replica is shutting down; subscribe again');
    }
    if (!engine.hub.hasRoom()) {
      refuse(
        503,
        'SERVICE_UNAVAILABLE',
        'this replica holds all the subscriptions it may; subscribe again',
      );
    }
    const schema = engine.schema();
    const executor = engine.executor();
    if (!schema || !executor)
      refuse(503, 'SERVICE_UNAVAILABLE', 'the supergraph is not loaded yet');
    const parsed = parseOperation(engine, params, schema!);
    const { caller } = subscriber;
    const authorized = authorizeOperation(
      parsed.document,
      parsed.operation.name?.value,
      schema!,
      engine.security(),
      caller,
    );
    const rootCut = authorized.removed.some((removed) => removed.path.length === 1);
    if (rootCut || (authorized.removed.length > 0 && engine.authzMode === 'reject')) {
      refuse(
        caller ? 403 : 401,
        caller ? 'UNAUTHORIZED_FIELD_OR_TYPE' : 'UNAUTHENTICATED',
        `not authorized to subscribe to ${authorized.removed.map((r) => r.coordinate).join(', ')}`,
      );
    }
    const { field, filter } = subscribedField(schema!, parsed, caller);
    const resumeFrom = resumeCursor(subscriber.resumeFrom, field);

    // Read only, so subscribers without an X-User-Id share one.
    const headers = subscriber.userIdHeader
      ? new Headers({ [USER_ID_HEADER]: subscriber.userIdHeader })
      : NO_HEADERS;
    const operationName = parsed.operation.name?.value ?? null;
    const template: GatewayGraphQLRequestContext<SubscriptionEventContext> = {
      request: {
        query: parsed.source,
        variables: parsed.variables,
        ...(operationName && { operationName }),
        http: { method: 'POST', url: '/graphql', headers },
      },
      logger: engine.logger,
      schema: schema!,
      schemaHash: '' as GatewaySchemaHash,
      context: { requestId: subscriber.requestId, ...(caller && { caller }) },
      cache: undefined as never,
      queryHash: createHash('sha256').update(parsed.source).digest('hex'),
      document: parsed.document,
      source: parsed.source,
      operationName,
      operation: parsed.operation as OperationDefinitionNode,
      metrics: {},
      overallCachePolicy: ownCachePolicy(),
    };
    const sharedBy = [
      template.queryHash,
      operationName ?? '',
      JSON.stringify(parsed.variables),
      // Ownership is decided per subject at the subgraphs: signed-in callers never share.
      caller ? callerKey(caller) : 'anonymous',
    ].join('\u0000');
    const stream = engine.hub.add({
      field,
      filter,
      transport,
      ...(resumeFrom && { resumeFrom }),
      ...(subscriber.onTooSlow && { onTooSlow: subscriber.onTooSlow }),
      shareKey: () => `${sharedBy}\u0000${engine.labelsKey(template)}`,
      async hydrate(event: RoutedEvent): Promise<ExecutionResult> {
        const execute = engine.executor();
        if (!execute) throw new Error('the gateway executor is gone');
        const result = await execute({
          ...template,
          context: { ...template.context, requestId: randomUUID(), subscriptionEvent: event },
          metrics: {},
          overallCachePolicy: ownCachePolicy(),
        });
        const errors = result.errors?.map((error) => formatGatewayError(error.toJSON()));
        return {
          data: result.data ?? null,
          ...(errors?.length && { errors: errors as unknown as GraphQLError[] }),
        };
      },
    });
    return {
      ok: true,
      stream,
      schema: schema!,
      document: parsed.document,
      operationName: operationName ?? undefined,
    };
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    return {
      ok: false,
      status: err.status,
      errors: [{ message: err.message, extensions: { code: err.code } }],
    };
  }
}
