import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What one graphql-ws subscription has received so far. */
export interface WsSubscription {
  results: unknown[];
  /** The GraphQL errors of an `error` message, or the close event that ended it. */
  failure?: unknown;
  completed: boolean;
  /** The next result not yet taken, waiting up to timeoutMs. */
  next(timeoutMs?: number): Promise<unknown>;
  /** Resolves when the subscription completes or fails. */
  settled: Promise<void>;
  unsubscribe(): void;
}

/** graphql-ws's own client over the `ws` package, without retries: a close is a result. */
export function wsClient(
  gatewayUrl: string,
  connectionParams?: Record<string, unknown>,
): Client & { closes: { code: number; reason: string }[] } {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    ...(connectionParams && { connectionParams }),
    retryAttempts: 0,
    shouldRetry: () => false,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason: String(reason) });
      },
    },
  });
  return Object.assign(client, { closes });
}

export function subscribeWs(
  client: Client,
  query: string,
  extensions?: Record<string, unknown>,
): WsSubscription {
  const results: unknown[] = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const subscription: WsSubscription = {
    results,
    completed: false,
    settled,
    async next(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (taken >= results.length) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no graphql-ws result within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return results[taken++];
    },
    unsubscribe: () => {},
  };
  subscription.unsubscribe = client.subscribe(
    { query, ...(extensions && { extensions }) },
    {
      next: (result) => {
        results.push(result);
        wake?.();
      },
      error: (failure) => {
        subscription.failure = failure;
        settle();
      },
      complete: () => {
        subscription.completed = true;
        settle();
      },
    },
  );
  return subscription;
}

/** A graphql-transport-ws connection spoken by hand: what a misbehaving client sends. */
export interface RawProtocolConnection {
  socket: WebSocket;
  /** Every message received, parsed. */
  messages: { type: string; id?: string; payload?: unknown }[];
  /** How the server closed the connection. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Waits (up to timeoutMs) for a message of that type. */
  received(
    type: string,
    timeoutMs?: number,
  ): Promise<{ type: string; id?: string; payload?: unknown }>;
}

export function rawProtocol(gatewayUrl: string): Promise<RawProtocolConnection> {
  const socket = new WebSocket(
    `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    'graphql-transport-ws',
  );
  const messages: RawProtocolConnection['messages'] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as never));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        socket,
        messages,
        closed,
        send: (message) =>
          socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
        async received(type, timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const found = messages.find((m) => m.type === type);
            if (found) return found;
            if (Date.now() > deadline) throw new Error(`no ${type} message within ${timeoutMs} ms`);
            await new Promise((r) => setTimeout(r, 20));
          }
        },
      }),
    );
  });
}
