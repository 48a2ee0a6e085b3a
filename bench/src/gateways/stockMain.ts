import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { serveAsChild } from '../processes/serveAsChild';
import { readGatewaySpec } from './gatewaySpec';
import { withoutSecurityDirectives } from '@cinemaabyss/gateway/supergraph-security';
import { BENCH_CALLER_IDENTITY } from '../queries';

/**
 * The stock gateway: `@apollo/gateway` in `@apollo/server`'s standalone server, every setting
 * at its default except where the subgraphs run (the same supergraph file as ours, without the
 * security directives it cannot load).
 */
serveAsChild(async () => {
  const spec = readGatewaySpec();
  const gateway = new ApolloGateway({
    // Stock @apollo/gateway refuses the @authenticated / @requiresScopes links it does not
    // implement; like ours, it is given the supergraph without them.
    supergraphSdl: withoutSecurityDirectives(readFileSync(spec.supergraphPath, 'utf8')),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url: spec.subgraphUrls[name] ?? url,
        // It reads no tokens: the bench caller's identity goes to the subgraphs as is.
        willSendRequest: ({ request }) => {
          for (const [header, value] of Object.entries(BENCH_CALLER_IDENTITY)) {
            request.http?.headers.set(header, value);
          }
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { url: new URL('/graphql', url).toString(), stop: () => server.stop() };
});
