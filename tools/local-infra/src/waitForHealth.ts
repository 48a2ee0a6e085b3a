/**
 * Polls url until it answers 2xx, failing after timeoutMs or as soon as `gone` settles
 * (the process behind it exited).
 */
export async function waitForHealth(
  url: string,
  { timeoutMs, gone }: { timeoutMs: number; gone: Promise<unknown> },
): Promise<void> {
  let exited = false;
  void gone.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`exited before ${url} became healthy`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms`);
}
