import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, fetch as undiciFetch } from 'undici';
import type { GatewayMetrics } from '../metrics';

/** What the gateway knows of the client request while it calls subgraphs. */
export interface GatewayContext {
  requestId: string;
}

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  agent: Agent;
  metrics: GatewayMetrics;
}

/** One keep-alive pool for every subgraph call of the process. */
export function createSubgraphAgent(timeoutMs: number): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    connections: 128,
    connect: { timeout: Math.min(timeoutMs, 2_000) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/**
 * Calls one subgraph over the shared keep-alive agent with a per-call timeout, forwarding the
 * client's x-request-id and recording latency per subgraph.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly metrics: GatewayMetrics;

  constructor({ name, url, timeoutMs, agent, metrics }: SubgraphDataSourceOptions) {
    super({
      url,
      fetcher: ((input: string, init?: Record<string, unknown>) =>
        undiciFetch(input, {
          ...init,
          dispatcher: agent,
          signal: AbortSignal.timeout(timeoutMs),
        } as never)) as never,
    });
    this.subgraph = name;
    this.metrics = metrics;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (context?.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const stop = this.metrics.subgraphLatency.startTimer({ subgraph: this.subgraph });
    try {
      const response = await super.process(options);
      stop({ outcome: response.errors?.length ? 'errors' : 'ok' });
      return response;
    } catch (err) {
      stop({ outcome: 'failed' });
      // The gateway passes fetch failures on unlabelled and with socket details; clients get
      // which subgraph failed and nothing about where it runs.
      throw new GraphQLError(`subgraph ${this.subgraph} is unavailable`, {
        originalError: err as Error,
        extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: this.subgraph },
      });
    }
  }
}
