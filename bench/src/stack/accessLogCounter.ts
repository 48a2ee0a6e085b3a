import { Writable } from 'node:stream';
import { createLogger } from '@cinemaabyss/shared/logging';
import type { Logger } from '@cinemaabyss/shared/logging';

export interface AccessLogCounter {
  /** Give this to the service: it logs one `request` line per HTTP request it answers. */
  logger: Logger;
  /** `METHOD path?query` of every request logged since the last reset. */
  readonly requests: string[];
  reset(): void;
}

/**
 * Counts the requests a service answers from its own access log (the `request` line the
 * shared HTTP app writes per response), without a proxy in the path.
 */
export function createAccessLogCounter(name: string): AccessLogCounter {
  let requests: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as { msg?: string; method?: string; url?: string };
        if (entry.msg === 'request') requests.push(`${entry.method} ${entry.url}`);
      }
      done();
    },
  });
  return {
    logger: createLogger({ name, level: 'info', destination }),
    get requests() {
      return requests;
    },
    reset() {
      requests = [];
    },
  };
}
