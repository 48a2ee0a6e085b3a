import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveAsChild } from '../processes/serveAsChild';
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
      { location: string; options?: { deduplicateInflightRequests?: boolean } }
    >;
    logging: boolean;
  }): RequestListener & { dispose(): Promise<void> };
}
const HIVE_GATEWAY = '@graphql-hive/gateway';

/**
 * Hive Gateway through its programmatic API on a plain node:http server: the same supergraph,
 * subgraph URLs overridden per subgraph, logging off, everything else at its defaults. Its
 * HTTP transport shares one subgraph response among identical in-flight subgraph requests by
 * default, which a load of identical queries turns into far fewer subgraph calls; with
 * `--no-inflight-dedup` every query makes its own calls, as the Apollo gateways do.
 */
serveAsChild(async () => {
  const spec = readGatewaySpec();
  const dedup = !process.argv.includes('--no-inflight-dedup');
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY)) as HiveGatewayModule;
  const gateway = createGatewayRuntime({
    supergraph: readFileSync(spec.supergraphPath, 'utf8'),
    transportEntries: Object.fromEntries(
      Object.entries(spec.subgraphUrls).map(([name, location]) => [
        name,
        { location, ...(!dedup && { options: { deduplicateInflightRequests: false } }) },
      ]),
    ),
    logging: false,
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
