import { request } from 'undici';
import type { Dispatcher } from '@cinemaabyss/shared/http-client';

/** Health endpoints of what the gateway depends on, probed by GET /ready. */
export type ReadinessChecks = Record<string, string>;

/** Probes every URL at once over `dispatcher`, each bounded by timeoutMs; ready when all answer 2xx. */
export async function checkReadiness(
  checks: ReadinessChecks,
  { dispatcher, timeoutMs = 1_000 }: { dispatcher: Dispatcher; timeoutMs?: number },
) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, url]) => {
      try {
        const response = await request(url, {
          dispatcher,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body.dump();
        return [name, response.statusCode >= 200 && response.statusCode < 300] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  const backends = Object.fromEntries(entries);
  return { ready: entries.every(([, ok]) => ok), backends };
}
