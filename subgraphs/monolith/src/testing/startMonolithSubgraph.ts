import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { Dispatcher } from '@cinemaabyss/shared/http-client';
import { DEFAULT_MONOLITH_TIMEOUT_MS } from '../config';
import { createServer } from '../server';

export interface StartMonolithSubgraphOptions {
  /** The legacy REST API to wrap, e.g. the url of `startMonolith()`. */
  monolithUrl: string;
  /** @default 5000 */
  timeoutMs?: number;
  /** @default a silent logger */
  logger?: Logger;
  /** Calls to the monolith go through it (`useLegacyMock().dispatcher`). @default the network */
  legacyDispatcher?: Dispatcher;
}

export interface RunningMonolithSubgraph {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** `${url}/graphql`, what a gateway's supergraph points at. */
  graphqlUrl: string;
  stop(): Promise<void>;
}

/** The monolith subgraph on an ephemeral port in front of a given legacy monolith, for tests. */
export async function startMonolithSubgraph({
  monolithUrl,
  timeoutMs = DEFAULT_MONOLITH_TIMEOUT_MS,
  logger = createSilentLogger(),
  legacyDispatcher,
}: StartMonolithSubgraphOptions): Promise<RunningMonolithSubgraph> {
  const server = await createServer(
    { port: 0, host: '127.0.0.1', monolithUrl, monolithTimeoutMs: timeoutMs },
    { logger, legacyDispatcher },
  );
  const url = await server.listen(0);
  return { url, graphqlUrl: `${url}/graphql`, stop: () => server.close() };
}
