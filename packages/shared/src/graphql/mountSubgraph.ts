import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import type { BaseContext } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse } from 'graphql';
import type { Logger } from '../logger';
import { createFormatError } from './graphqlErrors';
import { guardEntityRepresentations } from './guardEntityRepresentations';
import { servableOperationPlugin } from './servableOperationPlugin';

/** Parses a subgraph's SDL file, the same file supergraph.yaml points composition at. */
export function loadTypeDefs(sdlPath: string) {
  return parse(readFileSync(sdlPath, 'utf8'));
}

/** The `{ typeDefs, resolvers }` module buildSubgraphSchema takes (not exported by name). */
type SubgraphModule = Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>;

export interface MountSubgraphOptions<TContext extends BaseContext> {
  sdlPath: string;
  /**
   * The subgraph's resolvers, typed by the `Resolvers` that GraphQL Code Generator makes from
   * its schema.graphql (`npm run codegen`), which also types `__resolveReference`.
   */
  resolvers: object;
  /** Built per request: the place for per-request DataLoaders. */
  context: (request: FastifyRequest, reply: FastifyReply) => Promise<TContext>;
  logger: Logger;
  /** @default true: the gateway and composition tooling read `_service { sdl }`. */
  introspection?: boolean;
}

/**
 * Serves a Federation 2 subgraph at `/graphql` on an existing Fastify app. Call before the app
 * listens; the returned server stops with the app.
 */
export async function mountSubgraph<TContext extends BaseContext>(
  app: FastifyInstance,
  options: MountSubgraphOptions<TContext>,
): Promise<ApolloServer<TContext>> {
  const apollo = new ApolloServer<TContext>({
    schema: guardEntityRepresentations(
      buildSubgraphSchema({
        typeDefs: loadTypeDefs(options.sdlPath),
        // Apollo's resolver map has its own, looser signatures; the generated types are stricter.
        resolvers: options.resolvers as SubgraphModule['resolvers'],
      }),
    ),
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(options.logger),
    logger: options.logger,
    // runService owns signals; app.close() drains HTTP, then the onClose hook stops Apollo.
    // (Apollo's fastify drain plugin would call app.close() from inside it and deadlock.)
    stopOnTerminationSignals: false,
    plugins: [servableOperationPlugin<TContext>()],
  });
  await apollo.start();
  app.addHook('onClose', async () => {
    await apollo.stop();
  });
  await app.register(fastifyApollo(apollo), { context: options.context, path: '/graphql' });
  return apollo;
}
