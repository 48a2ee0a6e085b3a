import {
  countEventRecords,
  countRows,
  leakedInternal,
  POST_ROUTE_SERVICES,
  sendRaw,
} from '../support/clientMistakes';
import type { RawRequest, RestService, RowCounts } from '../support/clientMistakes';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

type Service = RestService;
const ROUTE_SERVICES = POST_ROUTE_SERVICES;

const VALID_BODIES: Record<string, Record<string, unknown>> = {
  '/api/users': { username: 'sweep-user', email: 'sweep@example.test' },
  '/api/payments': { user_id: 1, amount: 9.99 },
  '/api/subscriptions': {
    user_id: 1,
    plan_type: 'premium',
    start_date: '2025-01-01T00:00:00Z',
    end_date: '2025-02-01T00:00:00Z',
  },
  '/api/movies': { title: 'Sweep', description: 'a film', genres: ['Drama'], rating: 7.5 },
  '/api/events/movie': { movie_id: 1, title: 'Sweep', action: 'viewed', user_id: 1 },
  '/api/events/user': {
    user_id: 1,
    username: 'sweep',
    email: 'sweep@example.test',
    action: 'logged_in',
    timestamp: '2025-01-01T00:00:00Z',
  },
  '/api/events/payment': {
    payment_id: 1,
    user_id: 1,
    amount: 9.99,
    status: 'completed',
    timestamp: '2025-01-01T00:00:00Z',
    method_type: 'card',
  },
};

interface Mistake {
  name: string;
  request: RawRequest;
  status: number;
  /** A fragment the `{"error"}` message must contain: it names the problem. */
  names?: string | RegExp;
}

const json = (path: string, body: unknown, method = 'POST'): RawRequest => ({
  method,
  path,
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const withField = (path: string, field: string, value: unknown) =>
  json(path, { ...VALID_BODIES[path], [field]: value });

const without = (path: string, field: string) => {
  const body = { ...VALID_BODIES[path] };
  delete body[field];
  return json(path, body);
};

/** Mistakes every POST route answers alike. */
function bodyMistakes(path: string): Mistake[] {
  return [
    { name: 'malformed JSON', request: json(path, '{"title": '), status: 400, names: /JSON/ },
    { name: 'an empty JSON body', request: json(path, ''), status: 400, names: /empty/ },
    {
      name: 'a JSON array',
      request: json(path, [VALID_BODIES[path]]),
      status: 400,
      names: /object/,
    },
    { name: 'a JSON string', request: json(path, '"hello"'), status: 400, names: /object/ },
    {
      name: 'a text/plain body',
      request: {
        method: 'POST',
        path,
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(VALID_BODIES[path]),
      },
      status: 415,
      names: /application\/json/,
    },
    {
      name: 'a form body',
      request: {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'title=x',
      },
      status: 415,
      names: /application\/json/,
    },
    {
      name: 'a body over 1 MiB',
      request: json(path, { ...VALID_BODIES[path], padding: 'x'.repeat(1024 * 1024 + 10) }),
      status: 413,
      names: /larger than/,
    },
    {
      name: 'a method the path does not serve',
      request: json(path, VALID_BODIES[path], 'PUT'),
      status: 405,
      names: /not allowed/,
    },
  ];
}

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'x\ud800y';

/** Field mistakes per route: the cases the issue lists, and their neighbours. */
const FIELD_MISTAKES: Record<string, [string, unknown, string | RegExp][]> = {
  '/api/users': [
    ['username', NUL, 'username must not contain NUL'],
    ['username', LONE_SURROGATE, 'username must be valid Unicode'],
    ['username', '\udc00', 'username must be valid Unicode'],
    ['username', 42, 'username must be a string'],
    ['username', '   ', 'username must not be empty'],
    ['username', 'u'.repeat(65), 'username must be at most 64'],
    ['email', 'a\u0000@example.test', 'email must not contain NUL'],
    ['email', 'not-an-email', 'email must be a valid email'],
  ],
  '/api/payments': [
    ['amount', 1e-10, 'amount must have at most 2 decimal places'],
    ['amount', 1e-9, 'amount must have at most 2 decimal places'],
    ['amount', 0, 'amount must be greater than 0'],
    ['amount', -5, 'amount must be greater than 0'],
    ['amount', 1e300, 'amount must be greater than 0 and at most'],
    ['amount', '9.99', 'amount must be a number'],
    ['user_id', 1.5, 'user_id must be an integer'],
    ['user_id', '1; DROP TABLE payments', 'user_id must be an integer'],
    ['user_id', 2_147_483_648, 'user_id must be between'],
    ['user_id', 99_999_999, 'user_id 99999999 does not exist'],
  ],
  '/api/subscriptions': [
    ['end_date', '2025-02-30', 'end_date must be an RFC 3339 date-time'],
    ['start_date', '2025-13-01', 'start_date must be an RFC 3339 date-time'],
    ['start_date', '2025-01-01T25:00:00Z', 'start_date must be an RFC 3339 date-time'],
    ['start_date', 'yesterday', 'start_date must be an RFC 3339 date-time'],
    ['end_date', '2024-12-31T00:00:00Z', 'end_date must not be before start_date'],
    ['plan_type', NUL, 'plan_type must not contain NUL'],
    ['plan_type', LONE_SURROGATE, 'plan_type must be valid Unicode'],
    ['plan_type', ['premium'], 'plan_type must be a string'],
  ],
  '/api/movies': [
    ['title', NUL, 'title must not contain NUL'],
    ['description', NUL, 'description must not contain NUL'],
    ['description', LONE_SURROGATE, 'description must be valid Unicode'],
    ['genres', ['Drama', NUL], 'genres[] must not contain NUL'],
    ['rating', 1e-10, 'rating must have at most 1 decimal place'],
    ['rating', 7.55, 'rating must have at most 1 decimal place'],
    ['rating', 11, 'rating must be at least 0 and at most 10'],
    ['genres', 'Drama', 'genres must be an array'],
  ],
  '/api/events/movie': [
    ['title', NUL, 'title must not contain NUL'],
    ['title', LONE_SURROGATE, 'title must be valid Unicode'],
    ['description', NUL, 'description must not contain NUL'],
    ['genres', [LONE_SURROGATE], 'genres[] must be valid Unicode'],
    ['action', NUL, 'action must not contain NUL'],
    ['rating', 1e-10, 'rating must have at most 1 decimal place'],
    ['movie_id', 1.5, 'movie_id must be an integer'],
    ['movie_id', '../../etc/passwd', 'movie_id must be an integer'],
  ],
  '/api/events/user': [
    ['username', NUL, 'username must not contain NUL'],
    ['username', LONE_SURROGATE, 'username must be valid Unicode'],
    ['email', '\ud800@example.test', 'email must be valid Unicode'],
    ['timestamp', '2025-02-30T00:00:00Z', 'timestamp must be an RFC 3339 date-time'],
    ['timestamp', '2025-02-30', 'timestamp must be an RFC 3339 date-time'],
    ['user_id', -1, 'user_id must be between'],
  ],
  '/api/events/payment': [
    ['status', NUL, 'status must not contain NUL'],
    ['method_type', LONE_SURROGATE, 'method_type must be valid Unicode'],
    ['amount', 1e-10, 'amount must have at most 2 decimal places'],
    ['timestamp', '2025-04-31', 'timestamp must be an RFC 3339 date-time'],
    ['payment_id', '7', 'payment_id must be an integer'],
  ],
};

const REQUIRED_FIELDS: Record<string, string[]> = {
  '/api/users': ['username', 'email'],
  '/api/payments': ['user_id', 'amount'],
  '/api/subscriptions': ['user_id', 'plan_type', 'start_date', 'end_date'],
  '/api/movies': ['title', 'description', 'rating'],
  '/api/events/movie': ['movie_id', 'title', 'action'],
  '/api/events/user': ['user_id', 'action', 'timestamp'],
  '/api/events/payment': ['payment_id', 'user_id', 'amount', 'status', 'timestamp'],
};

function postMistakes(path: string): Mistake[] {
  return [
    ...bodyMistakes(path),
    ...(FIELD_MISTAKES[path] ?? []).map(([field, value, names]) => ({
      name: `${field} = ${JSON.stringify(value)}`,
      request: withField(path, field, value),
      status: 400,
      names,
    })),
    ...(REQUIRED_FIELDS[path] ?? []).map((field) => ({
      name: `no ${field}`,
      request: without(path, field),
      status: 400,
      names: `${field} is required`,
    })),
  ];
}

const get = (path: string): RawRequest => ({ method: 'GET', path });

/** Query-string mistakes on the list routes: ids that are not ids, filters that contradict. */
function queryMistakes(path: string): Mistake[] {
  const idCases: [string, string][] = [
    ['a word', 'abc'],
    ['a float', '1.5'],
    ['a negative id', '-1'],
    ['an id beyond the integer range', '2147483648'],
    ['SQL characters', encodeURIComponent("1' OR '1'='1")],
    ['path characters', encodeURIComponent('../../etc/passwd')],
    ['a NUL character', '%00'],
  ];
  // Users and movies are looked up by id; payments and subscriptions also filter by user.
  const ownParams =
    path === '/api/payments' || path === '/api/subscriptions' ? ['id', 'user_id'] : ['id'];
  return [
    ...ownParams.flatMap((param) =>
      idCases.map(([name, value]) => ({
        name: `?${param}= ${name}`,
        request: get(`${path}?${param}=${value}`),
        status: 400,
        names: `query parameter ${param} must be a positive integer`,
      })),
    ),
    { name: 'an unknown id', request: get(`${path}?id=99999999`), status: 404, names: 'not found' },
    ...(path === '/api/movies'
      ? []
      : [
          {
            name: '?ids= with an empty element',
            request: get(`${path}?ids=1,,2`),
            status: 400,
            names: 'query parameter ids must be a comma-separated list',
          },
        ]),
  ];
}

const EVENTS_LIST_MISTAKES: Mistake[] = [
  {
    name: 'an unknown event type',
    request: get('/api/events?type=refund'),
    status: 400,
    names: 'query parameter type must be one of',
  },
  {
    name: 'a limit of 0',
    request: get('/api/events?limit=0'),
    status: 400,
    names: 'query parameter limit',
  },
  {
    name: 'a limit that is not a number',
    request: get('/api/events?limit=1e3'),
    status: 400,
    names: 'query parameter limit',
  },
  {
    name: 'a POST to the list',
    request: json('/api/events', {}),
    status: 405,
    names: 'not allowed',
  },
];

const CASES: [Service, string, Mistake][] = [
  ...Object.entries(ROUTE_SERVICES).flatMap(([path, services]) =>
    services.flatMap((service) =>
      [...postMistakes(path), ...(path.startsWith('/api/events') ? [] : queryMistakes(path))].map(
        (mistake): [Service, string, Mistake] => [service, path, mistake],
      ),
    ),
  ),
  // The operators' list is the events service's own; the gateway forwards /api/events/* only.
  ...EVENTS_LIST_MISTAKES.map((mistake): [Service, string, Mistake] => [
    'events',
    '/api/events',
    mistake,
  ]),
  ...(['gateway', 'monolith', 'movies', 'events'] as const).map(
    (service): [Service, string, Mistake] => [
      service,
      '/api/nothing-here',
      {
        name: 'an unknown path',
        request: get('/api/nothing-here'),
        status: 404,
        names: 'no route',
      },
    ],
  ),
];

/**
 * Every client mistake the sweep found on the REST surfaces answers its 4xx with a JSON error
 * naming the problem, leaks nothing and writes nothing: no row, no Kafka record.
 */
describe('REST client mistakes', () => {
  let stack: Stack;
  let recordsBefore: number;
  const urls = {} as Record<Service, string>;

  beforeAll(async () => {
    stack = await startStack({}, { withEventsService: true });
    urls.gateway = stack.gateway.url;
    urls.monolith = stack.monolith.url;
    urls.movies = stack.movies.url;
    urls.events = (stack.events as { url: string }).url;
    recordsBefore = await countEventRecords(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(
    CASES.map(([service, path, mistake]) => ({
      title: `${service} ${path}: ${mistake.name}`,
      service,
      mistake,
    })),
  )('$title', async ({ service, mistake }) => {
    const before: RowCounts = await countRows(stack);
    const response = await sendRaw(urls[service], mistake.request);
    expect({ status: response.status, body: response.text.slice(0, 300) }).toEqual({
      status: mistake.status,
      body: expect.any(String),
    });
    expect(response.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(response.text) as { error?: unknown };
    expect(typeof body.error).toBe('string');
    if (mistake.names) {
      expect(body.error).toEqual(
        typeof mistake.names === 'string'
          ? expect.stringContaining(mistake.names)
          : expect.stringMatching(mistake.names),
      );
    }
    expect(leakedInternal(response.text)).toBeUndefined();
    expect(await countRows(stack)).toEqual(before);
  });

  it('published no event for any of them', async () => {
    expect(await countEventRecords(stack)).toBe(recordsBefore);
  });
});
