import { logLevel } from 'kafkajs';
import type { logCreator } from 'kafkajs';
import type { Logger } from '../logger';

/**
 * kafkajs logs to the console by itself; this sends its warnings and errors to our logger
 * at warn level (its errors are mostly retried, so they are not ours to call errors) and
 * drops the rest.
 */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (level > logLevel.WARN) return;
      const { message, ...fields } = log;
      // pino stamps its own time; kafkajs's timestamp would only repeat it.
      const extra = Object.fromEntries(
        Object.entries(fields).filter(([key]) => key !== 'timestamp'),
      );
      logger.warn({ kafkajs: namespace, ...extra }, message);
    };
}
