import { createServer } from 'node:http';
import { serveAsChild } from '../processes/serveAsChild';

/** Burns CPU in a function with a name a profile can be searched for. */
function spinForProfileTest(ms: number): number {
  const until = performance.now() + ms;
  let n = 0;
  // The clock is read rarely, so the time is this function's own.
  while (performance.now() < until) {
    for (let i = 0; i < 100_000; i += 1) n += Math.sqrt(n + i);
  }
  return n;
}

/** A bench child for the profiling test: each request spins for the ms its path names. */
serveAsChild(async () => {
  const server = createServer((request, response) => {
    const ms = Number(request.url?.slice(1)) || 1;
    response.end(String(spinForProfileTest(ms)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
