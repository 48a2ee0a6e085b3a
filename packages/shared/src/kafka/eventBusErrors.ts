import { DeadlineExceededError, withDeadline } from '../deadline';

/** Kafka did not take or give records in time: callers answer 503 or retry later. */
export class EventBusUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EventBusUnavailableError';
  }
}

/** `work` bounded by the shared deadline; running out of time is EventBusUnavailableError. */
export async function unavailableAfter<T>(
  timeoutMs: number,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await withDeadline(timeoutMs, work, what);
  } catch (error) {
    if (error instanceof DeadlineExceededError) {
      throw new EventBusUnavailableError(error.message, { cause: error });
    }
    throw error;
  }
}
