import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { STATUS_CODES } from 'node:http';
import { request as undiciRequest } from 'undici';
import { withDeadline } from '@cinemaabyss/shared/deadline';
import type { Dispatcher } from '@cinemaabyss/shared/http-client';
import type { GatewayMetrics } from '../metrics';
import { SHADOW_HEADER } from '../shadow/shadowComparison';
import { InFlight } from './inFlight';
import { callerHeaders, callerKey } from '@cinemaabyss/shared/identity';
import type { Caller } from '@cinemaabyss/shared/identity';

/** What the gateway knows of the client request while it calls subgraphs. */
export interface GatewayContext {
  requestId: string;
  /** A shadow run's calls: marked with x-shadow-request, never shared with a client's. */
  shadow?: boolean;
  /** Who a verified token says is asking; forwarded as x-auth-subject / x-auth-scopes. */
  caller?: Caller;
  /**
   * An anonymous caller's draw against the override percentages, fixed for a subscription's
   * life so its side stays put (a request draws anew otherwise).
   */
  overrideDraw?: number;
}

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  agent: Dispatcher;
  metrics: GatewayMetrics;
  /** Identical query fetches in flight at once share one HTTP call. */
  deduplicateInFlight: boolean;
}

/** A subgraph's HTTP answer, kept as text so that every request sharing it parses its own copy. */
interface SubgraphReply {
  status: number;
  contentType: string;
  cacheControl: string | undefined;
  text: string;
}

/** Query plans write into fetched objects while merging, so a shared reply is never shared parsed. */
function parseReply(reply: SubgraphReply): GatewayGraphQLResponse {
  if (reply.status < 200 || reply.status >= 300) {
    throw new GraphQLError(`${reply.status}: ${STATUS_CODES[reply.status] ?? 'Unknown'}`, {
      extensions: { response: { status: reply.status, body: reply.text.slice(0, 1_000) } },
    });
  }
  if (!/^application\/(graphql-response\+)?json/.test(reply.contentType)) {
    throw new Error(`expected a JSON response, got ${reply.contentType || 'no content type'}`);
  }
  const body: unknown = JSON.parse(reply.text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('expected a JSON object response');
  }
  return body as GatewayGraphQLResponse;
}

/** The cache hint a subgraph's Cache-Control header gives, as Apollo's data source reads it. */
function cacheHint(header: string | undefined): { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  const maxAge = /(?:^|,)\s*max-age=(\d+)\s*(?:,|$)/i.exec(header ?? '')?.[1];
  const scope = /(?:^|,)\s*private\s*(?:,|$)/i.test(header ?? '')
    ? 'PRIVATE'
    : /(?:^|,)\s*public\s*(?:,|$)/i.test(header ?? '')
      ? 'PUBLIC'
      : undefined;
  return { maxAge: maxAge === undefined ? 0 : Number(maxAge), ...(scope && { scope }) };
}

/** Query-plan fetches of a query operation; a mutation's fetches must each reach the subgraph. */
const QUERY_OPERATION = /^\s*(query\b|\{)/;

/**
 * Calls one subgraph with undici's request API over the shared keep-alive agent (no WHATWG
 * fetch objects per call), with a deadline per call, forwarding the client's x-request-id and
 * recording latency. Failures reach clients as SERVICE_UNAVAILABLE naming the subgraph.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly inFlight: InFlight<SubgraphReply>;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    this.inFlight = new InFlight(() =>
      options.metrics.inFlightShared.inc({ level: 'subgraph_fetch' }),
    );
  }

  async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { name, metrics, deduplicateInFlight } = this.options;
    const { query, variables, operationName, extensions } = options.request;
    if (!query) throw new Error('missing query');
    const body = JSON.stringify({ query, variables, operationName, extensions });
    const context = options.context as Partial<GatewayContext> | undefined;
    const requestId = context?.requestId;
    const shadow = context?.shadow === true;
    const caller = context?.caller;
    const stop = metrics.subgraphLatency.startTimer({ subgraph: name });
    let reply: SubgraphReply;
    try {
      // The request id is left out of the key: it labels a call, it does not change the answer.
      // The caller is in it: a subgraph may answer each identity differently.
      reply =
        deduplicateInFlight && !shadow && QUERY_OPERATION.test(query)
          ? await this.inFlight.run(`${callerKey(caller)}\u0000${body}`, () =>
              this.send(body, { requestId, shadow, caller }),
            )
          : await this.send(body, { requestId, shadow, caller });
    } catch (err) {
      stop({ outcome: 'failed' });
      throw this.unavailable(err);
    }
    let response: GatewayGraphQLResponse;
    try {
      response = parseReply(reply);
    } catch (err) {
      stop({ outcome: 'failed' });
      throw this.unavailable(err);
    }
    stop({ outcome: response.errors?.length ? 'errors' : 'ok' });
    if ('incomingRequestContext' in options) {
      const policy: unknown = options.incomingRequestContext.overallCachePolicy;
      if (policy && typeof policy === 'object' && 'restrict' in policy) {
        (policy as { restrict(hint: object): void }).restrict(cacheHint(reply.cacheControl));
      }
    }
    return response;
  }

  private send(
    body: string,
    {
      requestId,
      shadow,
      caller,
    }: { requestId: string | undefined; shadow: boolean; caller: Caller | undefined },
  ): Promise<SubgraphReply> {
    const { name, url, agent, timeoutMs } = this.options;
    // The shared deadline (a timer a test's fake clock can move, cleared once the call ends)
    // covers connect, headers and body.
    return withDeadline(
      timeoutMs,
      async (signal) => {
        const response = await undiciRequest(url, {
          method: 'POST',
          dispatcher: agent,
          signal,
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            ...(requestId && { 'x-request-id': requestId }),
            ...(shadow && { [SHADOW_HEADER]: '1' }),
            // Built here from the verified caller only: no client header reaches a subgraph.
            ...callerHeaders(caller),
          },
          body,
        });
        const header = (value: string | string[] | undefined) =>
          Array.isArray(value) ? value.join(', ') : value;
        return {
          status: response.statusCode,
          contentType: header(response.headers['content-type']) ?? '',
          cacheControl: header(response.headers['cache-control']),
          text: await response.body.text(),
        };
      },
      `subgraph ${name}`,
    );
  }

  /** Clients learn which subgraph failed, never socket details or where it runs. */
  private unavailable(err: unknown): GraphQLError {
    return new GraphQLError(`subgraph ${this.options.name} is unavailable`, {
      originalError: err as Error,
      extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: this.options.name },
    });
  }
}
