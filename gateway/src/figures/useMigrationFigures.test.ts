import { createMemoryLogger } from '@cinemaabyss/shared/testing';
import type { FiguresRow } from './figuresRecorder';
import type { FiguresStore } from './figuresStore';
import { useMigrationFigures } from './useMigrationFigures';

/** An in-memory stand-in for the table: what each flush added, and a switch to make it fail. */
function recordingStore() {
  const added: FiguresRow[][] = [];
  const pruned: Date[] = [];
  let down = false;
  const store: Pick<FiguresStore, 'add' | 'prune'> = {
    add: async (_replica, rows) => {
      if (down) throw new Error('connection refused');
      added.push([...rows]);
    },
    prune: async (before) => {
      pruned.push(before);
      return 0;
    },
  };
  return {
    store: store as FiguresStore,
    added,
    pruned,
    setDown: (value: boolean) => (down = value),
  };
}

const served = { migration: 'movies', side: 'new', surface: 'rest', failed: false } as const;

describe('useMigrationFigures', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('writes the counts every flushMs and prunes windows past the retention', async () => {
    const { store, added, pruned } = recordingStore();
    const figures = useMigrationFigures({
      store,
      logger: createMemoryLogger().logger,
      flushMs: 5_000,
      retentionMs: 3_600_000,
    });
    figures.served({ ...served, durationMs: 12 });

    await jest.advanceTimersByTimeAsync(4_999);
    expect(added).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    expect(added).toEqual([[expect.objectContaining({ requests: 1 })]]);
    expect(pruned).toEqual([new Date(1_000_000_005_000 - 3_600_000)]);
    await figures.stop();
  });

  it('keeps the counts of a failed flush for the next one, warning once', async () => {
    const { store, added, setDown } = recordingStore();
    const { logger, lines } = createMemoryLogger({ level: 'warn' });
    const figures = useMigrationFigures({ store, logger, flushMs: 5_000 });
    setDown(true);
    figures.served({ ...served, durationMs: 12 });
    await jest.advanceTimersByTimeAsync(5_000);
    figures.served({ ...served, durationMs: 12 });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);

    setDown(false);
    await jest.advanceTimersByTimeAsync(5_000);

    expect(added).toEqual([[expect.objectContaining({ requests: 2 })]]);
    await figures.stop();
  });

  it('writes what is left when stopped', async () => {
    const { store, added } = recordingStore();
    const figures = useMigrationFigures({ store, logger: createMemoryLogger().logger });
    figures.served({ ...served, failed: true, durationMs: 12 });

    await figures.stop();

    expect(added).toEqual([[expect.objectContaining({ requests: 1, failures: 1 })]]);
  });
});
