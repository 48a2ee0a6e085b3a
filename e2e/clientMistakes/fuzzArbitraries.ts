import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type { GraphQLField, GraphQLInputType, GraphQLOutputType, GraphQLSchema } from 'graphql';
import type { RawRequest } from '../support/clientMistakes';

/*
 * Generators of client mistakes for the fuzz test: values that are wrong for one field of the
 * REST contract (poisons), arbitrary requests, and GraphQL operations built from a schema.
 */

const NUL = '\u0000';
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];

/** Any value of the wrong JSON type for a field expecting `expected`. */
function wrongType(expected: 'string' | 'number' | 'array'): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    fc.boolean(),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  ];
  if (expected !== 'string') options.push(fc.string({ maxLength: 20 }));
  if (expected !== 'number') options.push(fc.double({ noNaN: true, noDefaultInfinity: true }));
  if (expected !== 'array') options.push(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  return fc.oneof(...options);
}

/** A string with a character PostgreSQL cannot store (NUL, unpaired surrogate) somewhere in it. */
export const unstorableText = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(NUL, ...LONE_SURROGATES),
    fc.string({ maxLength: 20 }),
  )
  .map(([before, bad, after]) => `${before}${bad}${after}`);

const blank = fc
  .array(fc.constantFrom(' ', '\t', '\n', '\r'), { maxLength: 6 })
  .map((chars) => chars.join(''));

const tooLong = (max: number) =>
  fc.integer({ min: max + 1, max: max + 50 }).map((length) => 'x'.repeat(length));

/** What a field of the REST contract accepts, and so which values are certainly wrong for it. */
export type FieldKind =
  | { kind: 'text'; max: number }
  | { kind: 'freeText'; max: number }
  | { kind: 'email' }
  | { kind: 'decimal'; min: number; max: number; exclusiveMin: boolean; decimals: number }
  | { kind: 'id' }
  /** An id the database must find: an unknown one is a 400 too. */
  | { kind: 'foreignId' }
  | { kind: 'dateTime' }
  | { kind: 'genres' };

export interface FieldSpec {
  field: string;
  type: FieldKind;
  /** Optional fields take null as "not sent"; required ones refuse it. */
  required: boolean;
}

const impossibleDate = fc.oneof(
  // A day past the end of its month (2025-02-30, 2025-04-31).
  fc
    .record({
      year: fc.integer({ min: 1000, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      extra: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ year, month, extra }) => {
      const lastDay = new Date(Date.UTC(2000, month, 0)).getUTCDate();
      const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      const day = Math.min((leap ? 29 : lastDay) + extra, 99);
      return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }),
  fc.integer({ min: 13, max: 99 }).map((month) => `2025-${month}-01`),
  fc.integer({ min: 24, max: 99 }).map((hour) => `2025-01-01T${hour}:00:00Z`),
  fc.integer({ min: 60, max: 99 }).map((minute) => `2025-01-01T10:${minute}:00Z`),
  fc.constantFrom('0000-01-01', '2025-1-1', '2025/01/01', 'yesterday', '', 'NaN', '1735689600'),
);

const wrongDecimals = (decimals: number) =>
  fc
    .integer({ min: 1, max: 10 ** (decimals + 3) - 1 })
    .filter((n) => n % 1000 !== 0)
    .map((n) => n / 10 ** (decimals + 3));

const badId = fc.oneof(
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)),
  fc.integer({ min: 2_147_483_648, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom('1', '1; DROP TABLE users', '../../etc/passwd', "1' OR '1'='1", '0x10', 1e300),
);

/** Values certainly wrong for the field, each a 400 naming it. */
export function poisonFor({ type, required }: FieldSpec): fc.Arbitrary<unknown> {
  const missing: fc.Arbitrary<unknown>[] = required ? [fc.constant(null)] : [];
  switch (type.kind) {
    case 'text':
      return fc.oneof(
        wrongType('string'),
        { weight: 2, arbitrary: unstorableText },
        blank,
        tooLong(type.max),
        ...missing,
      );
    case 'freeText':
      return fc.oneof(
        wrongType('string'),
        { weight: 2, arbitrary: unstorableText },
        tooLong(type.max),
        ...missing,
      );
    case 'email':
      return fc.oneof(
        wrongType('string'),
        unstorableText.map((text) => `${text}@example.test`),
        fc.constantFrom('no-at-sign', '@example.test', 'a@', ''),
        ...missing,
      );
    case 'decimal': {
      // -0 is written as 0 in JSON, so it is no value below a minimum of 0.
      const below = fc
        .double({ min: -1e9, max: type.min, noNaN: true })
        .filter((n) => (type.exclusiveMin ? n <= type.min : n < type.min) && !Object.is(n, -0));
      return fc.oneof(
        wrongType('number'),
        below,
        fc.double({ min: type.max, minExcluded: true, max: 1e300, noNaN: true }),
        wrongDecimals(type.decimals),
        fc.constantFrom(1e-10, 1e-300),
        ...missing,
      );
    }
    case 'id':
      return fc.oneof(badId, fc.boolean(), ...missing);
    case 'foreignId':
      return fc.oneof(badId, fc.integer({ min: 10_000_000, max: 2_147_483_647 }), ...missing);
    case 'dateTime':
      return fc.oneof(wrongType('string'), impossibleDate, ...missing);
    case 'genres':
      return fc.oneof(
        wrongType('array'),
        fc.array(fc.oneof(unstorableText, blank, tooLong(64), fc.integer()), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 21, max: 30 }).map((n) => Array.from({ length: n }, (_, i) => `g${i}`)),
        ...missing,
      );
  }
}

export interface PostRoute {
  path: string;
  /** A body the route accepts; a poison replaces some of its fields. */
  valid: Record<string, unknown>;
  fields: FieldSpec[];
}

const text = (max: number) => ({ kind: 'text', max }) as const;
const req = (field: string, type: FieldKind): FieldSpec => ({ field, type, required: true });
const opt = (field: string, type: FieldKind): FieldSpec => ({ field, type, required: false });
const movieFields = [
  req('title', text(255)),
  req('description', { kind: 'freeText', max: 5000 }),
  opt('genres', { kind: 'genres' }),
  req('rating', { kind: 'decimal', min: 0, max: 10, exclusiveMin: false, decimals: 1 }),
];

/** Every POST of the REST contract (REST-CONTRACT.md) with what each field accepts. */
export const POST_ROUTES: readonly PostRoute[] = [
  {
    path: '/api/users',
    valid: { username: 'fuzz-user', email: 'fuzz@example.test' },
    fields: [req('username', text(64)), req('email', { kind: 'email' })],
  },
  {
    path: '/api/payments',
    valid: { user_id: 1, amount: 9.99 },
    fields: [
      req('user_id', { kind: 'foreignId' }),
      req('amount', { kind: 'decimal', min: 0, max: 1e6, exclusiveMin: true, decimals: 2 }),
    ],
  },
  {
    path: '/api/subscriptions',
    valid: { user_id: 1, plan_type: 'basic', start_date: '2025-01-01', end_date: '2025-02-01' },
    fields: [
      req('user_id', { kind: 'foreignId' }),
      req('plan_type', text(64)),
      req('start_date', { kind: 'dateTime' }),
      req('end_date', { kind: 'dateTime' }),
    ],
  },
  {
    path: '/api/movies',
    valid: { title: 'Fuzz', description: 'a film', genres: ['Drama'], rating: 5 },
    fields: movieFields,
  },
  {
    path: '/api/events/movie',
    valid: { movie_id: 1, title: 'Fuzz', action: 'viewed', user_id: 1, rating: 5, genres: ['A'] },
    fields: [
      req('movie_id', { kind: 'id' }),
      req('title', text(255)),
      req('action', text(64)),
      opt('user_id', { kind: 'id' }),
      opt('rating', { kind: 'decimal', min: 0, max: 10, exclusiveMin: false, decimals: 1 }),
      opt('genres', { kind: 'genres' }),
      opt('description', { kind: 'freeText', max: 5000 }),
    ],
  },
  {
    path: '/api/events/user',
    valid: { user_id: 1, action: 'logged_in', timestamp: '2025-01-01T00:00:00Z', username: 'u' },
    fields: [
      req('user_id', { kind: 'id' }),
      req('action', text(64)),
      req('timestamp', { kind: 'dateTime' }),
      opt('username', text(64)),
      opt('email', { kind: 'email' }),
    ],
  },
  {
    path: '/api/events/payment',
    valid: {
      payment_id: 1,
      user_id: 1,
      amount: 9.99,
      status: 'completed',
      timestamp: '2025-01-01T00:00:00Z',
    },
    fields: [
      req('payment_id', { kind: 'id' }),
      req('user_id', { kind: 'id' }),
      req('amount', { kind: 'decimal', min: 0, max: 1e10, exclusiveMin: true, decimals: 2 }),
      req('status', text(32)),
      req('timestamp', { kind: 'dateTime' }),
      opt('method_type', text(32)),
    ],
  },
];

export interface PoisonedBody {
  route: PostRoute;
  /** The fields given a wrong value; the error must name one of them. */
  poisoned: string[];
  body: Record<string, unknown>;
}

/** A valid body of the route with one to all of its fields replaced by wrong values. */
export function poisonedBody(route: PostRoute): fc.Arbitrary<PoisonedBody> {
  // One wrong field is the sharpest case: nothing else can make the request fail first.
  const fieldsToPoison = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...route.fields).map((field) => [field]) },
    { weight: 1, arbitrary: fc.subarray(route.fields, { minLength: 1 }) },
  );
  return fieldsToPoison
    .chain((fields) =>
      fc.tuple(
        fc.constant(fields.map((f) => f.field)),
        fc.tuple(...fields.map((f) => poisonFor(f))),
        // Unknown keys are ignored, whatever they hold.
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }).map((key) => `x_${key}`),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 2 },
        ),
      ),
    )
    .map(([poisoned, values, extra]) => {
      const body: Record<string, unknown> = { ...extra, ...route.valid };
      poisoned.forEach((field, i) => (body[field] = values[i]));
      return { route, poisoned, body };
    });
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/graphql',
  'application/octet-stream',
  undefined,
];
const QUERY_KEYS = ['id', 'ids', 'user_id', 'user_ids', 'type', 'limit', 'genre', 'x'];
const queryValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('%00', '%ZZ', '..%2F..%2Fetc', "1'%20OR%20'1'='1", '1,,2', '', '%F0%9F%8E%AC'),
);

/** Anything a client might send to a REST path: method, query, content type and body. */
export function arbitraryRestRequest(paths: readonly string[]): fc.Arbitrary<RawRequest> {
  const body = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
    fc
      .constantFrom(...POST_ROUTES)
      .chain((route) => poisonedBody(route).map(({ body: poisoned }) => JSON.stringify(poisoned))),
  );
  return fc
    .record({
      method: fc.constantFrom(...METHODS),
      path: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...paths) },
        fc.tuple(fc.constantFrom(...paths), fc.webSegment()).map(([p, s]) => `${p}/${s}`),
      ),
      query: fc.dictionary(fc.constantFrom(...QUERY_KEYS), queryValue, { maxKeys: 3 }),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      body: fc.option(body, { nil: undefined }),
    })
    .map(({ method, path, query, contentType, body: payload }): RawRequest => {
      const search = Object.entries(query)
        .map(([key, value]) => `${key}=${value}`)
        .join('&');
      const sendsBody = payload !== undefined && method !== 'GET' && method !== 'HEAD';
      return {
        method,
        path: search ? `${path}?${search}` : path,
        headers: contentType ? { 'content-type': contentType } : ({} as Record<string, string>),
        body: sendsBody ? payload : undefined,
      };
    });
}

/** A value for a GraphQL input type: mostly of the type, sometimes wrong, sometimes poisoned. */
function inputValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    return fc.oneof({ weight: 9, arbitrary: inputValue(type.ofType, depth) }, fc.constant(null));
  }
  const wrong = fc.jsonValue({ maxDepth: 1 });
  if (isListType(type)) {
    return fc.oneof(
      fc.array(inputValue(type.ofType, depth + 1), { maxLength: 3 }),
      inputValue(type.ofType, depth + 1),
    );
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const record = fc.record(
      Object.fromEntries(fields.map((f) => [f.name, inputValue(f.type, depth + 1)])),
      { requiredKeys: [] },
    );
    return fc.oneof({ weight: 9, arbitrary: record }, wrong);
  }
  if (isEnumType(type)) {
    return fc.constantFrom(...type.getValues().map((v) => v.name), 'NOT_A_VALUE');
  }
  const idLike = fc.oneof(fc.integer({ min: 1, max: 10 }).map(String), badId, unstorableText);
  const byScalar: Record<string, fc.Arbitrary<unknown>> = {
    ID: idLike,
    String: fc.oneof(fc.string({ maxLength: 20 }), unstorableText, impossibleDate, blank),
    Int: fc.oneof(fc.integer({ min: -5, max: 15 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1.5)),
    Float: fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      wrongDecimals(2),
      fc.integer({ min: -5, max: 15 }),
    ),
    Boolean: fc.boolean(),
    // Federation's entity representations, as the gateway would send them, or not.
    _Any: fc.oneof(
      fc.record({
        __typename: fc.constantFrom('Movie', 'User', 'Payment', 'UserSubscription', 'Nope'),
        id: fc.oneof(idLike, wrong),
      }),
      wrong,
    ),
  };
  const scalar = byScalar[type.name] ?? fc.string({ maxLength: 10 });
  return fc.oneof({ weight: 9, arbitrary: scalar }, wrong);
}

/** A selection set reading every argument-free field of the type, two levels deep. */
function selectionOf(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named) || depth >= 2) return '{ __typename }';
  const parts = Object.values(named.getFields())
    .filter((field) => field.args.every((arg) => !isNonNullType(arg.type)))
    .map((field) => `${field.name} ${selectionOf(field.type, depth + 1)}`.trim());
  return `{ ${parts.join(' ') || '__typename'} }`;
}

export interface GraphQLRequestBody {
  query: string;
  variables?: unknown;
  operationName?: unknown;
}

/** One operation per root field, its arguments passed as variables of their declared types. */
function operationFor(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
): fc.Arbitrary<GraphQLRequestBody> {
  const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const query = `${kind} Fuzz${declarations ? `(${declarations})` : ''} { ${field.name}${
    args ? `(${args})` : ''
  } ${selectionOf(field.type)} }`;
  return fc
    .record(Object.fromEntries(field.args.map((arg) => [arg.name, inputValue(arg.type)])), {
      requiredKeys: [],
    })
    .map((variables) => ({ query, variables }));
}

/** Every query and mutation field of the schema, called with arbitrary arguments. */
export function schemaOperations(schema: GraphQLSchema): fc.Arbitrary<GraphQLRequestBody> {
  const operations: fc.Arbitrary<GraphQLRequestBody>[] = [];
  for (const [kind, root] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      operations.push(operationFor(kind, field));
    }
  }
  return fc.oneof(...operations);
}

const GRAPHQL_TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$x',
  '...',
  '@include(if: true)',
  'query',
  'mutation',
  'subscription',
  'fragment F on Movie',
  'on',
  'movies',
  'movie',
  'users',
  'user',
  'id',
  'title',
  'createUser',
  'input',
  '"text"',
  '"""block"""',
  '1',
  '1.5',
  'true',
  'null',
  '__typename',
  '__schema',
  '#',
  ',',
  '=',
  '!',
  'Int',
  'String',
];

/** Malformed GraphQL over HTTP: broken documents, odd variables and names, batches, GETs. */
export function malformedGraphQLRequest(
  operations: fc.Arbitrary<GraphQLRequestBody>,
): fc.Arbitrary<RawRequest> {
  const document = fc.oneof(
    fc.array(fc.constantFrom(...GRAPHQL_TOKENS), { maxLength: 20 }).map((t) => t.join(' ')),
    fc.string({ maxLength: 40 }),
    operations.map((operation) => operation.query),
  );
  const bodyOf = fc.record(
    {
      query: fc.oneof({ weight: 5, arbitrary: document }, fc.jsonValue({ maxDepth: 1 })),
      variables: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      operationName: fc.oneof(fc.constant('Fuzz'), fc.string({ maxLength: 8 }), fc.jsonValue()),
      extensions: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  );
  const json = (body: unknown): RawRequest => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return fc.oneof(
    { weight: 6, arbitrary: bodyOf.map(json) },
    fc.array(bodyOf, { minLength: 0, maxLength: 3 }).map(json),
    fc.string({ maxLength: 40 }).map((text) => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: text,
    })),
    fc.tuple(document, fc.string({ maxLength: 10 })).map(([query, variables]) => ({
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(variables)}`,
      headers: { 'apollo-require-preflight': 'true' },
    })),
  );
}
