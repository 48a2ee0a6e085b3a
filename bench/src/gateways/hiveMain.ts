import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveAsChild } from '../processes/serveAsChild';
import { BENCH_CALLER_IDENTITY } from '../queries';
import { readGatewaySpec } from './gatewaySpec';

/**
 * The slice of `@graphql-hive/gateway` used here. Its own typings pull in a second, newer
 * `@types/node` (a dependency of @graphql-hive/gateway-runtime) that clashes with ours across
 * the whole program, so the module is loaded by a non-literal specifier and typed locally.
 */
interface HiveGatewayModule {
  createGatewayRuntime(config: {
    supergraph: string;
    transportEntries: Record<
      string,
      {
        location: string;
        headers?: [string, string][];
        options?: { deduplicateInflightRequests?: boolean };
      }
    >;
    logging: boolean;
    /** Plans with another engine: `@graphql-hive/router-runtime`'s, Hive Router's Rust planner. */
    unifiedGraphHandler?: unknown;
  }): RequestListener & { dispose(): Promise<void> };
}
const HIVE_GATEWAY = '@graphql-hive/gateway';
// Typed locally for the same reason: its typings bring graphql-yoga's and Mesh's along.
const HIVE_ROUTER_RUNTIME = '@graphql-hive/router-runtime';

/**
 * Hive Gateway through its programmatic API on a plain node:http server: the same supergraph,
 * subgraph URLs overridden per subgraph, logging off, everything else at its defaults. Its
 * HTTP transport shares one subgraph response among identical in-flight subgraph requests by
 * default, which a load of identical queries turns into far fewer subgraph calls; with
 * `--no-inflight-dedup` every query makes its own calls, as the Apollo gateways do. With
 * `--rust-planner` it plans with Hive Router's Rust query planner (a native addon, through
 * `@graphql-hive/router-runtime`'s `unifiedGraphHandler`), executing the plans itself.
 */
serveAsChild(async () => {
  const spec = readGatewaySpec();
  const dedup = !process.argv.includes('--no-inflight-dedup');
  const rustPlanner = process.argv.includes('--rust-planner');
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY)) as HiveGatewayModule;
  const routerRuntime = rustPlanner
    ? ((await import(HIVE_ROUTER_RUNTIME)) as { unifiedGraphHandler: unknown })
    : undefined;
  const gateway = createGatewayRuntime({
    supergraph: readFileSync(spec.supergraphPath, 'utf8'),
    transportEntries: Object.fromEntries(
      Object.entries(spec.subgraphUrls).map(([name, location]) => [
        name,
        {
          location,
          // It reads no tokens: the bench caller's identity goes to the subgraphs as is.
          headers: Object.entries(BENCH_CALLER_IDENTITY),
          ...(!dedup && { options: { deduplicateInflightRequests: false } }),
        },
      ]),
    ),
    logging: false,
    ...(routerRuntime && { unifiedGraphHandler: routerRuntime.unifiedGraphHandler }),
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await gateway.dispose();
    },
  };
});
