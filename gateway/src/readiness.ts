/** Health endpoints of what the gateway depends on, probed by GET /ready. */
export type ReadinessChecks = Record<string, string>;

/** Probes every URL at once, each bounded by timeoutMs; ready when all answer 2xx. */
export async function checkReadiness(checks: ReadinessChecks, timeoutMs = 1_000) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, url]) => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return [name, response.ok] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  const backends = Object.fromEntries(entries);
  return { ready: entries.every(([, ok]) => ok), backends };
}
