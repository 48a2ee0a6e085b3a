import { backendAddress, endToEndHeaders, forwardedRequestHeaders } from './backendClient';

describe('forwardedRequestHeaders', () => {
  it("keeps the client's end-to-end headers and drops hop-by-hop ones and the inbound trace context", () => {
    const forwarded = forwardedRequestHeaders({
      host: 'gateway:8000',
      connection: 'keep-alive, x-hop',
      'x-hop': 'one hop only',
      'x-user-id': '42',
      accept: 'application/json',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=1',
    });

    expect(forwarded).toEqual({ 'x-user-id': '42', accept: 'application/json' });
  });
});

describe('endToEndHeaders', () => {
  it('keeps every end-to-end header when no Connection header names others', () => {
    expect(
      endToEndHeaders({
        'content-type': 'application/json',
        'content-length': '12',
        'set-cookie': ['a=1', 'b=2'],
        'transfer-encoding': 'chunked',
      }),
    ).toEqual({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('drops the headers a Connection header names, whatever their case', () => {
    expect(endToEndHeaders({ connection: ' X-Hop ,close', 'x-hop': '1', etag: '"v1"' })).toEqual({
      etag: '"v1"',
    });
  });
});

describe('backendAddress', () => {
  it('splits a bare origin', () => {
    expect(backendAddress('http://movies:8081')).toEqual({
      origin: 'http://movies:8081',
      pathPrefix: '',
    });
  });

  it('keeps a base path, without its trailing slash, to put before the request target', () => {
    expect(backendAddress('http://legacy:8080/monolith/')).toEqual({
      origin: 'http://legacy:8080',
      pathPrefix: '/monolith',
    });
  });
});
