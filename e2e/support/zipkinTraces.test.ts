import { isWholeTrace } from './zipkinTraces';
import type { ZipkinSpan } from './zipkinTraces';

const CLIENT_SPAN = 'c1c1c1c1c1c1c1c1';
const span = (id: string, parentId: string, serviceName = 'gateway'): ZipkinSpan => ({
  traceId: 't',
  id,
  parentId,
  name: id,
  localEndpoint: { serviceName },
});

describe('isWholeTrace', () => {
  const root = span('root', CLIENT_SPAN);
  const request = span('request', 'root');
  const consumer = span('consumer', 'request', 'events-service');

  it('is whole when every span hangs off the client span through spans that arrived', () => {
    expect(isWholeTrace([consumer, request, root], CLIENT_SPAN)).toBe(true);
  });

  it('is not whole while the gateway’s request span is missing, though every service has written', () => {
    // The race a CI run met: the consumer's batch reached Zipkin before the gateway's server span.
    expect(isWholeTrace([consumer, request], CLIENT_SPAN)).toBe(false);
  });

  it('is not whole while a span in the middle is missing', () => {
    expect(isWholeTrace([consumer, root], CLIENT_SPAN)).toBe(false);
  });

  it('is not whole when nothing has arrived', () => {
    expect(isWholeTrace([], CLIENT_SPAN)).toBe(false);
  });
});
