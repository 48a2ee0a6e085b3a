import autocannon from 'autocannon';
import { percentileOfSorted } from '../stats';

/** One HTTP request shape, replayed by every connection. */
export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * A body per request, drawn in turn by every connection (a varied workload); `body` is then
   * left out.
   */
  nextBody?: () => string;
  /**
   * Headers per request, drawn in turn like `nextBody` and laid over `headers` (callers that
   * differ request by request, each with its own token).
   */
  nextHeaders?: () => Record<string, string>;
  /**
   * Cheap per-response check (no JSON.parse of large bodies): a response it rejects counts as
   * failed, so a target that answers errors quickly cannot look fast.
   */
  verify?: (body: string) => boolean;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /**
   * Requests per second across all connections (autocannon's overallRate): a fixed offered load
   * below saturation, so latency is compared at the same rate rather than at each one's maximum.
   */
  rate?: number;
}

export interface LoadResult {
  /** Successful (2xx and verified) responses per second over the window. */
  rps: number;
  /** Milliseconds, exact nearest-rank over every response of the window. */
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  /** Non-2xx, connection errors, timeouts and failed verifications. */
  failures: number;
  seconds: number;
}

/** Loopback only: the bench never sends load anywhere else. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    throw new Error(`refusing to load ${url}: only loopback targets are allowed`);
  }
}

/**
 * Closed-loop load with autocannon for a bounded time: `connections` clients each send the next
 * request when the last one answers. Latencies are recorded per response (autocannon's own
 * summary has no p95), so percentiles are exact.
 */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  assertLoopback(target.url);
  const { verify, nextBody, nextHeaders } = target;
  const latencies: number[] = [];
  let non2xx = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: target.method ?? 'GET',
        headers: target.headers,
        body: target.body,
        ...((nextBody ?? nextHeaders) && {
          requests: [
            {
              method: target.method ?? 'GET',
              path: new URL(target.url).pathname,
              setupRequest: (request) => ({
                ...request,
                ...(nextBody && { body: nextBody() }),
                ...(nextHeaders && { headers: { ...request.headers, ...nextHeaders() } }),
              }),
            },
          ],
        }),
        connections: options.connections,
        duration: options.seconds,
        ...(options.rate !== undefined && { overallRate: options.rate }),
        // A stuck target fails the window instead of stalling the run (500-user answers take
        // seconds under load, so the bound is generous).
        timeout: 30,
        ...(verify && {
          verifyBody: (body: string | Buffer | undefined) => verify(String(body ?? '')),
        }),
      },
      (err, done) => (err ? reject(err) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode >= 300) non2xx += 1;
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const failures = non2xx + result.errors + result.timeouts + (result.mismatches ?? 0);
  const ok = Math.max(0, result.requests.total - non2xx - (result.mismatches ?? 0));
  return {
    rps: ok / result.duration,
    p50: percentileOfSorted(latencies, 50),
    p95: percentileOfSorted(latencies, 95),
    p99: percentileOfSorted(latencies, 99),
    requests: result.requests.total,
    failures,
    seconds: result.duration,
  };
}
