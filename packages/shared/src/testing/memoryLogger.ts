import { createLogger } from '../logger';
import type { Logger } from '../logger';

/** One parsed line: pino's level label and message, and the line's other fields. */
export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface MemoryLogger {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines: LogLine[];
}

/** A JSON logger writing into memory, for tests that look at what a service logged. */
export function createMemoryLogger({
  name = 'test',
  level = 'info',
}: { name?: string; level?: string } = {}): MemoryLogger {
  const lines: LogLine[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return { logger: createLogger({ name, level, destination }), lines };
}
