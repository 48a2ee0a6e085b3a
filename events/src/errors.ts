import { AppError, badUserInput } from '@cinemaabyss/shared/http';

/** Every failure the events service reports to a client, each an AppError (`{"error": …}`). */
export const eventsErrors = {
  unknownEventType: (types: readonly string[]) =>
    badUserInput(`query parameter type must be one of ${types.join(', ')}`),
  listLimitOutOfRange: (max: number) =>
    badUserInput(`query parameter limit must be an integer from 1 to ${max}`),
  /** The broker did not take the event within the client's budget. */
  notAcknowledged: () =>
    new AppError(
      'SERVICE_UNAVAILABLE',
      'Kafka did not acknowledge the event in time; try again later',
    ),
};
