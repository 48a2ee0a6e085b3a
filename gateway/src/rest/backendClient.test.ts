import { forwardedRequestHeaders } from './backendClient';

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
