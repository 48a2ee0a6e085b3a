import { request } from 'undici';
import { createMockBackends } from './mockBackends';

const ORIGIN = 'http://backend.test';

describe('createMockBackends', () => {
  const backends = createMockBackends();
  beforeEach(() => backends.reset());
  afterEach(async () => {
    await backends.verify();
  });

  const get = (url: string) =>
    request(url, { dispatcher: backends.dispatcher, headers: { 'x-request-id': 'r1' } });

  it('answers from an interceptor and records the call', async () => {
    backends.intercept(ORIGIN).intercept({ path: '/a', method: 'GET' }).reply(200, 'yes');
    const response = await get(`${ORIGIN}/a`);

    expect(await response.body.text()).toBe('yes');
    expect(backends.calls).toEqual([
      { method: 'GET', path: '/a', headers: { 'x-request-id': 'r1' }, body: undefined },
    ]);
    expect(await backends.verify()).toEqual([]);
  });

  it('reports a request no interceptor matched, even when the caller swallowed the error', async () => {
    await get(`${ORIGIN}/nothing-here`).catch(() => undefined);
    expect(await backends.verify()).toEqual([`no interceptor matched GET ${ORIGIN}/nothing-here`]);
  });

  it('reports an interceptor that was never used', async () => {
    backends.intercept(ORIGIN).intercept({ path: '/unused', method: 'GET' }).reply(200, '');
    expect(await backends.verify()).toEqual([`interceptor never used: GET ${ORIGIN}/unused`]);
  });

  it('lets nothing through to the network, loopback included', async () => {
    await expect(get('http://127.0.0.1:9/')).rejects.toThrow(/not allowed|No mock/i);
    expect(await backends.verify()).toEqual(['no interceptor matched GET http://127.0.0.1:9/']);
  });
});
