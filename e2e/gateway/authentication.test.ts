import { loadConfig } from '@cinemaabyss/gateway/config';
import type { AuthConfig } from '@cinemaabyss/gateway/config';
import { setMigrationPercent } from '@cinemaabyss/gateway/testing';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  createTestIssuer,
  unsignedToken,
} from '@cinemaabyss/gateway/testing/issuer';
import type { TestIssuer } from '@cinemaabyss/gateway/testing/issuer';
import { postGraphql } from '@cinemaabyss/shared/testing';
import { startRecordingProxy } from '../support/recordingProxy';
import type { RecordingProxy } from '../support/recordingProxy';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';
import { until } from '../support/until';

type Side = 'movies' | 'monolith';
const USERS_QUERY = '{ users(limit: 1) { id } }';
const MOVIE_QUERY = '{ movie(id: "1") { id title } }';

/** The gateway's token settings for these tests, over the documented defaults. */
function authConfig(overrides: Partial<AuthConfig>): AuthConfig {
  return {
    ...loadConfig({}).auth,
    issuers: [TEST_ISSUER],
    audiences: [TEST_AUDIENCE],
    // Short, so that a rotation is picked up within a test.
    jwksCooldownMs: 300,
    ...overrides,
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bearer tokens at the gateway, against a JWKS served over HTTP', () => {
  let stack: Stack;
  let issuer: TestIssuer;
  let jwks: Awaited<ReturnType<TestIssuer['serve']>>;
  let restProxy: RecordingProxy;
  let subgraphProxy: RecordingProxy;
  /** REST_AUTH=verify; the monolith and its subgraph behind recording proxies. */
  let gateway: RunningGateway;

  const graphql = (url: string, headers: Record<string, string>, query = USERS_QUERY) =>
    postGraphql(`${url}/graphql`, query, { headers });
  const rest = (url: string, path: string, headers: Record<string, string>) =>
    fetch(`${url}${path}`, { headers, signal: AbortSignal.timeout(5_000) });
  const startGatewayWith = (auth: Partial<AuthConfig>) =>
    stack.startGateway({
      monolithUrl: restProxy.url,
      subgraphUrls: {
        movies: `${stack.movies.url}/graphql`,
        monolith: `${subgraphProxy.url}/graphql`,
      },
      auth: authConfig({ jwksUrl: jwks.url, ...auth }),
    });

  beforeAll(async () => {
    stack = await startStack();
    issuer = await createTestIssuer();
    jwks = await issuer.serve();
    restProxy = await startRecordingProxy(stack.monolith.url);
    subgraphProxy = await startRecordingProxy(new URL(stack.monolithSubgraph.graphqlUrl).origin);
    gateway = await startGatewayWith({ restMode: 'verify' });
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([restProxy?.stop(), subgraphProxy?.stop(), jwks?.close()]);
  });

  it('serves anonymous callers and valid tokens; refuses bad tokens with 401 UNAUTHENTICATED', async () => {
    expect((await graphql(gateway.url, {})).status).toBe(200);
    const valid = await graphql(gateway.url, bearer(await issuer.sign({ subject: '1' })));
    expect(valid.status).toBe(200);
    expect(valid.body.errors).toBeUndefined();

    const now = Math.floor(Date.now() / 1000);
    const [header, , signature] = (await issuer.sign({ subject: '1' })).split('.');
    const forgedClaims = { sub: '2', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now + 600 };
    const bad = {
      expired: await issuer.sign({ expiresIn: -120 }),
      tampered: `${header}.${Buffer.from(JSON.stringify(forgedClaims)).toString('base64url')}.${signature}`,
      'wrong issuer': await issuer.sign({ issuer: 'https://elsewhere.test' }),
      'wrong audience': await issuer.sign({ audience: 'another-api' }),
      'alg none': unsignedToken(forgedClaims),
      malformed: 'not.a.jwt',
    };
    for (const [name, token] of Object.entries(bad)) {
      const response = await graphql(gateway.url, bearer(token));
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_auth_requests_total\{surface="graphql",result="invalid"\} 6/);
    expect(metrics).toMatch(/gateway_auth_requests_total\{surface="graphql",result="valid"\} 1/);
  });

  it('picks up a rotated signing key (a new kid) without a restart', async () => {
    await issuer.rotate();
    const token = await issuer.sign({ subject: '1' });
    // Within the cool-down the gateway does not fetch again; right after it, it does.
    const status = await until('the rotated key to verify', async () => {
      const response = await graphql(gateway.url, bearer(token));
      return response.status === 200 ? response.status : undefined;
    });
    expect(status).toBe(200);
  });

  it('forwards the verified subject and scopes to subgraphs and backends, never a client’s copy', async () => {
    const spoofed = { 'x-auth-subject': 'admin', 'x-auth-scopes': 'payments:write' };
    const token = await issuer.sign({ subject: '7', scope: 'users:read payments:read' });
    const subgraphMark = subgraphProxy.received.length;
    const restMark = restProxy.received.length;

    expect((await graphql(gateway.url, spoofed)).status).toBe(200);
    expect((await graphql(gateway.url, { ...spoofed, ...bearer(token) })).status).toBe(200);
    expect((await rest(gateway.url, '/api/users', spoofed)).status).toBe(200);
    expect((await rest(gateway.url, '/api/users', { ...spoofed, ...bearer(token) })).status).toBe(
      200,
    );

    const identities = (received: RecordingProxy['received']) =>
      received.map(({ headers }) => [
        headers['x-auth-subject'] ?? null,
        headers['x-auth-scopes'] ?? null,
      ]);
    expect(identities(subgraphProxy.since(subgraphMark))).toEqual([
      [null, null],
      ['7', 'payments:read users:read'],
    ]);
    expect(identities(restProxy.since(restMark))).toEqual([
      [null, null],
      ['7', 'payments:read users:read'],
    ]);
  });

  it('REST_AUTH=off: legacy REST calls go through exactly as before, minus spoofed identities', async () => {
    const off = await startGatewayWith({ restMode: 'off' });
    const mark = restProxy.received.length;
    const response = await rest(off.url, '/api/users', {
      authorization: 'Bearer an-opaque-legacy-token',
      'x-auth-subject': 'admin',
    });
    expect(response.status).toBe(200);
    const [forwarded] = restProxy.since(mark);
    expect(forwarded?.headers.authorization).toBe('Bearer an-opaque-legacy-token');
    expect(forwarded?.headers['x-auth-subject']).toBeUndefined();
  });

  it('REST_AUTH=required: a REST call without a valid token is refused, GraphQL stays open', async () => {
    const required = await startGatewayWith({ restMode: 'required' });
    const anonymous = await rest(required.url, '/api/users', {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(await anonymous.json()).toEqual({
      error: 'this API needs a bearer token (Authorization: Bearer <JWT>)',
      code: 'UNAUTHENTICATED',
    });
    const expired = await rest(
      required.url,
      '/api/users',
      bearer(await issuer.sign({ expiresIn: -120 })),
    );
    expect(expired.status).toBe(401);
    const valid = await rest(
      required.url,
      '/api/users',
      bearer(await issuer.sign({ subject: '3' })),
    );
    expect(valid.status).toBe(200);
    expect((await graphql(required.url, {})).status).toBe(200);
  });

  it('buckets a signed-in caller by the token’s sub: a spoofed X-User-Id does not move them', async () => {
    await setMigrationPercent(gateway.url, 'movies', 50);
    try {
      const debug = { 'x-debug-override-labels': '1' };
      const graphqlSide = async (headers: Record<string, string>): Promise<Side> => {
        const { body } = await graphql(gateway.url, { ...debug, ...headers }, MOVIE_QUERY);
        const labels = body.extensions?.overrideLabels as Record<string, { servedBy: Side }>;
        return labels['migration:movies']!.servedBy;
      };
      const restSide = async (headers: Record<string, string>) => {
        const response = await rest(gateway.url, '/api/movies?id=1', headers);
        await response.arrayBuffer();
        return response.headers.get('x-served-by') as Side;
      };
      // One anonymous user on each side of the dial.
      const sides = new Map<Side, string>();
      for (let i = 0; sides.size < 2 && i < 200; i += 1) {
        const user = `user-${i}`;
        const side = await graphqlSide({ 'x-user-id': user });
        if (!sides.has(side)) sides.set(side, user);
      }
      const onMovies = sides.get('movies')!;
      const onMonolith = sides.get('monolith')!;
      expect(await restSide({ 'x-user-id': onMovies })).toBe('movies');

      const tokenOf = async (subject: string) => bearer(await issuer.sign({ subject }));
      expect(await graphqlSide({ ...(await tokenOf(onMovies)), 'x-user-id': onMonolith })).toBe(
        'movies',
      );
      expect(await graphqlSide({ ...(await tokenOf(onMonolith)), 'x-user-id': onMovies })).toBe(
        'monolith',
      );
      expect(await restSide({ ...(await tokenOf(onMovies)), 'x-user-id': onMonolith })).toBe(
        'movies',
      );
      expect(await restSide({ ...(await tokenOf(onMonolith)), 'x-user-id': onMovies })).toBe(
        'monolith',
      );
    } finally {
      await setMigrationPercent(gateway.url, 'movies', 0);
    }
  });

  // Last: it takes the JWKS endpoint down.
  it('keeps verifying with cached keys while the JWKS is down; without any keys, 503', async () => {
    const token = await issuer.sign({ subject: '1' });
    await jwks.close();
    expect((await graphql(gateway.url, bearer(token))).status).toBe(200);

    const neverHadKeys = await startGatewayWith({ restMode: 'verify' });
    const unavailable = await graphql(neverHadKeys.url, bearer(token));
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect((await rest(neverHadKeys.url, '/api/users', bearer(token))).status).toBe(503);
    // Anonymous callers need no keys.
    expect((await graphql(neverHadKeys.url, {})).status).toBe(200);
  });
});
