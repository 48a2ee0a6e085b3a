/** One Server-Sent Event of the graphql-sse protocol: `next` (a result) or `complete`. */
export interface SseMessage {
  event: string;
  data: unknown;
  /** The SSE `id:` field, when the frame has one (the event's cursor). */
  id?: string;
}

export interface SseSubscription {
  /** The status and content type the stream was opened with. */
  status: number;
  /** Every message so far, in order. */
  messages: SseMessage[];
  /** The next message not yet taken, waiting up to timeoutMs. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** A refused subscription: the status and JSON body the transport answered instead. */
export interface SseRefusal {
  status: number;
  body: { errors?: { message: string; extensions?: { code?: string } }[] };
}

/**
 * A GraphQL-over-SSE client in distinct-connections mode, as plain fetch: POST the operation
 * with `Accept: text/event-stream` and read the frames. A refusal (a 4xx JSON body) comes back
 * as such, so tests see exactly what a client would.
 */
export async function subscribeSse(
  gatewayUrl: string,
  query: string,
  options: {
    variables?: Record<string, unknown>;
    headers?: Record<string, string>;
    /** Resumes after this event id, as a reconnecting EventSource does. */
    lastEventId?: string;
  } = {},
): Promise<SseSubscription | SseRefusal> {
  const controller = new AbortController();
  const response = await fetch(`${gatewayUrl}/graphql/stream`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(options.lastEventId && { 'last-event-id': options.lastEventId }),
      ...options.headers,
    },
    body: JSON.stringify({ query, ...(options.variables && { variables: options.variables }) }),
    signal: controller.signal,
  });
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: response.status, body: (await response.json()) as SseRefusal['body'] };
  }
  const messages: SseMessage[] = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(frame)?.[1];
          const data = /^data: ?(.*)$/m.exec(frame)?.[1];
          const id = /^id: ?(.*)$/m.exec(frame)?.[1];
          if (!event) continue;
          messages.push({ event, data: data ? JSON.parse(data) : null, ...(id && { id }) });
          wake?.();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: response.status,
    messages,
    ended,
    async next(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (taken >= messages.length) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no SSE message within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return messages[taken++] as SseMessage;
    },
    close: () => controller.abort(),
  };
}

export function isRefusal(value: SseSubscription | SseRefusal): value is SseRefusal {
  return !('messages' in value);
}

/** subscribeSse for a subscription that must be accepted: a refusal throws with its answer. */
export async function subscribeAccepted(
  gatewayUrl: string,
  query: string,
  options: Parameters<typeof subscribeSse>[2] = {},
): Promise<SseSubscription> {
  const subscription = await subscribeSse(gatewayUrl, query, options);
  if (isRefusal(subscription)) {
    throw new Error(`refused: ${subscription.status} ${JSON.stringify(subscription.body)}`);
  }
  return subscription;
}
