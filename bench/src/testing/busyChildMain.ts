import { createServer } from 'node:http';
import path from 'node:path';
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

/** Whether a TypeScript module still resolves without its extension, as only tsx makes it. */
function typeScriptLoaderActive(): boolean {
  try {
    require.resolve('./busyChildMain');
    return true;
  } catch {
    return false;
  }
}

/**
 * A bench child for the tests: each request spins for the ms its path names; `/process` tells
 * how it was started and whether tsx's module hooks are still in place.
 */
serveAsChild(async () => {
  const server = createServer((request, response) => {
    if (request.url === '/process') {
      const [, script = '', ...args] = process.argv;
      response.end(
        JSON.stringify({
          script: path.basename(script),
          args,
          typeScriptLoaderActive: typeScriptLoaderActive(),
        }),
      );
      return;
    }
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
