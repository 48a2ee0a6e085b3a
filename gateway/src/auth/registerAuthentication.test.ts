import Fastify from 'fastify';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { createGatewayMetrics } from '../metrics';
import { TEST_AUDIENCE, TEST_ISSUER, createTestIssuer } from '../testing/testIssuer';
import type { TestIssuer } from '../testing/testIssuer';
import { createKeySource } from './keySource';
import { registerAuthentication } from './registerAuthentication';
import type { RestAuthMode } from './restAuthMode';
import { createTokenVerifier } from './tokenVerifier';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});

/** An app with a /graphql, an /api and an /admin route, each answering with the caller it saw. */
async function appWith(restMode: RestAuthMode, { keys = true } = {}) {
  const metrics = createGatewayMetrics({ migrationPercentages: () => ({}) });
  const verifier = createTokenVerifier({
    keys: keys
      ? createKeySource({
          load: async () => issuer.jwks(),
          origin: 'test',
          cooldownMs: 30_000,
          refreshMs: 600_000,
          logger: createSilentLogger(),
        })
      : undefined,
    issuers: [TEST_ISSUER],
    audiences: [TEST_AUDIENCE],
    algorithms: ['ES256'],
    clockToleranceSeconds: 0,
    cacheSize: 1_000,
  });
  const app = Fastify();
  registerAuthentication(app, { verifier, restMode, metrics });
  for (const url of ['/graphql', '/api/movies', '/admin/migrations']) {
    app.post(url, async (request) => ({ caller: request.caller ?? null }));
  }
  await app.ready();
  const counted = async () =>
    Object.fromEntries(
      (await metrics.authRequests.get()).values.map(({ labels, value }) => [
        `${labels.surface}:${labels.result}`,
        value,
      ]),
    );
  return { app, counted };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('registerAuthentication on /graphql', () => {
  it('serves anonymous callers and sets the caller of a valid token', async () => {
    const { app, counted } = await appWith('off');
    const anonymous = await app.inject({ method: 'POST', url: '/graphql' });
    expect(anonymous.json()).toEqual({ caller: null });
    const token = await issuer.sign({ subject: '5', scope: 'users:read' });
    const valid = await app.inject({ method: 'POST', url: '/graphql', headers: bearer(token) });
    expect(valid.json()).toEqual({ caller: { subject: '5', scopes: ['users:read'] } });
    expect(await counted()).toEqual({ 'graphql:anonymous': 1, 'graphql:valid': 1 });
    await app.close();
  });

  it('answers a bad token with 401 UNAUTHENTICATED in the GraphQL error shape and a challenge', async () => {
    const { app, counted } = await appWith('off');
    const expired = await issuer.sign({ expiresIn: -120 });
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: bearer(expired),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(response.json()).toEqual({
      errors: [
        {
          message: 'the bearer token is invalid or expired',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    expect(await counted()).toEqual({ 'graphql:invalid': 1 });
    await app.close();
  });

  it('answers 503, not 500 or 401, when no keys can judge the token', async () => {
    const { app, counted } = await appWith('off', { keys: false });
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: bearer(await issuer.sign()),
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(await counted()).toEqual({ 'graphql:unavailable': 1 });
    await app.close();
  });

  it('leaves the admin API to its own token', async () => {
    const { app } = await appWith('required');
    const response = await app.inject({
      method: 'POST',
      url: '/admin/migrations',
      headers: { authorization: 'Bearer an-admin-token-not-a-jwt' },
    });
    expect(response.statusCode).toBe(200);
    await app.close();
  });
});

describe('registerAuthentication on the REST shim', () => {
  it('off: reads no token at all, not even a broken one (legacy clients are unchanged)', async () => {
    const { app, counted } = await appWith('off');
    const response = await app.inject({
      method: 'POST',
      url: '/api/movies',
      headers: { authorization: 'Bearer legacy-opaque-token' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ caller: null });
    expect(await counted()).toEqual({});
    await app.close();
  });

  it('verify: serves anonymous calls, sets the caller of a valid token, refuses a bad one', async () => {
    const { app } = await appWith('verify');
    expect((await app.inject({ method: 'POST', url: '/api/movies' })).json()).toEqual({
      caller: null,
    });
    const valid = await app.inject({
      method: 'POST',
      url: '/api/movies',
      headers: bearer(await issuer.sign({ subject: '9' })),
    });
    expect(valid.json()).toEqual({ caller: { subject: '9', scopes: [] } });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/movies',
      headers: bearer(await issuer.sign({ audience: 'elsewhere' })),
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(bad.json()).toEqual({
      error: 'the bearer token is invalid or expired',
      code: 'UNAUTHENTICATED',
    });
    await app.close();
  });

  it('required: refuses a call without a token with a bare Bearer challenge', async () => {
    const { app } = await appWith('required');
    const response = await app.inject({ method: 'POST', url: '/api/movies' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json().code).toBe('UNAUTHENTICATED');
    const valid = await app.inject({
      method: 'POST',
      url: '/api/movies',
      headers: bearer(await issuer.sign({ subject: '3' })),
    });
    expect(valid.statusCode).toBe(200);
    await app.close();
  });
});
