/** Kafka did not take or give records in time: callers answer 503 or retry later. */
export class EventBusUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EventBusUnavailableError';
  }
}

/** Rejects with EventBusUnavailableError when work has not settled after timeoutMs. */
export async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new EventBusUnavailableError(`${what} did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
