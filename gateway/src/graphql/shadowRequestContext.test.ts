import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { parse } from 'graphql';
import { shadowRequestContext } from './shadowRequestContext';

function clientContext() {
  const restricted: unknown[] = [];
  const request = {
    request: { query: '{ movie(id: "1") { title } }', variables: { a: 1 } },
    queryHash: 'hash',
    context: { requestId: 'request-1' },
    metrics: { captureTraces: true },
    overallCachePolicy: { restrict: (hint: unknown) => restricted.push(hint) },
    errors: [new Error('the client’s')],
  } as unknown as GatewayGraphQLRequestContext;
  return { request, restricted };
}

describe('the request context of a shadow run', () => {
  it('runs the same operation with its own context, metrics and errors', () => {
    const { request } = clientContext();
    const shadow = shadowRequestContext(request);
    expect(shadow.request).toBe(request.request);
    expect(shadow.queryHash).toBe('hash');
    expect(shadow.context).toEqual({ requestId: 'request-1', shadow: true });
    expect(request.context).toEqual({ requestId: 'request-1' });
    expect(shadow.metrics).toEqual({});
    expect(shadow.metrics).not.toBe(request.metrics);
    expect(shadow.errors).toBeUndefined();
  });

  it('asks as the same verified caller as the client’s request', () => {
    const { request } = clientContext();
    const caller = { subject: '42', scopes: ['users:read'] };
    (request.context as { caller?: unknown }).caller = caller;
    expect(shadowRequestContext(request).context).toEqual({
      requestId: 'request-1',
      shadow: true,
      caller,
    });
  });

  it('keeps the cache hints of its subgraph calls off the client’s cache policy', () => {
    const { request, restricted } = clientContext();
    const policy = shadowRequestContext(request).overallCachePolicy;
    policy.restrict({ maxAge: 60, scope: 'PUBLIC' });
    policy.restrict({ maxAge: 30 });
    policy.restrict({ scope: 'PRIVATE' });
    expect(policy.policyIfCacheable()).toEqual({ maxAge: 30, scope: 'PRIVATE' });
    policy.restrict({ maxAge: 0 });
    expect(policy.policyIfCacheable()).toBeNull();
    expect(restricted).toEqual([]);
  });

  it('asks a cut-down operation under its own plan cache key when given one', () => {
    const { request } = clientContext();
    const document = parse('query Cut { movie(id: "1") { title } }');
    const shadow = shadowRequestContext(request, { document, queryHash: 'hash evidence' });
    expect(shadow.document).toBe(document);
    expect(shadow.queryHash).toBe('hash evidence');
    expect(shadow.operation.name?.value).toBe('Cut');
    expect(request.queryHash).toBe('hash');
  });
});
