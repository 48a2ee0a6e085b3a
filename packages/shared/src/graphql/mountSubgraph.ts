import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import type { BaseContext } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
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

export interface MountSubgraphOptions<TContext extends BaseContext> {
  sdlPath: string;
  resolvers: GraphQLResolverMap<TContext>;
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
        // Apollo types subgraph resolvers with an unknown context; ours is TContext.
        resolvers: options.resolvers as GraphQLResolverMap<unknown>,
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
