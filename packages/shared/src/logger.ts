import pino from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

/** The structured logger every service and helper takes by injection. */
export type Logger = PinoLogger;

export interface CreateLoggerOptions {
  /** Service name stamped on every line. */
  name: string;
  /** @default process.env.LOG_LEVEL ?? 'info' */
  level?: string;
  /** Where lines go; tests pass a memory stream. @default stdout */
  destination?: DestinationStream;
}

/** JSON lines on stdout: one object per event, with the service name and level label. */
export function createLogger({ name, level, destination }: CreateLoggerOptions): Logger {
  return pino(
    {
      name,
      level: level ?? process.env.LOG_LEVEL ?? 'info',
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A logger that drops everything, for tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
