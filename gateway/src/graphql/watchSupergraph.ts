import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@cinemaabyss/shared/logging';

/**
 * A supergraph source for ApolloGateway that reads the composed file and watches it: a changed
 * file is health-checked and swapped in by the gateway while in-flight requests finish on the
 * schema they started with. A broken file is logged and ignored; the last good one stays.
 */
export function watchSupergraph(path: string, logger: Logger): SupergraphSdlHook {
  return async ({ update, healthCheck }) => {
    let current = await readFile(path, 'utf8');
    let timer: NodeJS.Timeout | undefined;
    const reload = async () => {
      try {
        const next = await readFile(path, 'utf8');
        if (next === current || next.trim() === '') return;
        await healthCheck(next);
        update(next);
        current = next;
        logger.info({ path }, 'supergraph reloaded');
      } catch (err) {
        logger.error({ err, path }, 'supergraph reload failed; keeping the previous one');
      }
    };
    // Editors and `npm run supergraph:compose` write in bursts: wait for the last event.
    const watcher = watch(path, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 100);
    });
    return {
      supergraphSdl: current,
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}
