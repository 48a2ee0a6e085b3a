import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { createMigrationDial } from './migrationDial';
import type { MigrationSetting, MigrationStore } from './migrationStore';

const setting = (percent: number): MigrationSetting => ({
  name: 'movies',
  percent,
  shadowPercent: 0,
  noisePercent: 10,
  ignorePaths: [],
  shadowSince: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
  updatedBy: 'tests',
});

/** A store whose reads the test answers one by one. */
function controlledStore() {
  const pending: Array<(rows: MigrationSetting[]) => void> = [];
  let reads = 0;
  const store = {
    list: () => {
      reads += 1;
      return new Promise<MigrationSetting[]>((resolve) => pending.push(resolve));
    },
  } as unknown as MigrationStore;
  return { store, pending, reads: () => reads };
}

describe('the migration dial’s refresh', () => {
  it('answers a refresh asked during a read with the read after it, never the one in progress', async () => {
    const { store, pending, reads } = controlledStore();
    const dial = createMigrationDial({
      store,
      // No start(): no LISTEN connection, no timer; refresh() alone is under test.
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      refreshMs: 60_000,
      logger: createSilentLogger(),
    });
    const first = dial.refresh();
    // A change commits now; its caller asks for a refresh while the first read is in flight.
    let secondDone = false;
    const second = dial.refresh().then(() => (secondDone = true));
    pending.shift()?.([setting(10)]);
    await first;
    expect(dial.percent('movies')).toBe(10);
    await new Promise(setImmediate);
    expect(secondDone).toBe(false);
    expect(reads()).toBe(2);
    pending.shift()?.([setting(25)]);
    await second;
    expect(dial.percent('movies')).toBe(25);
    await dial.stop();
  });

  it('hands out the whole setting read, the shadow and noise shares included', async () => {
    const { store, pending } = controlledStore();
    const dial = createMigrationDial({
      store,
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      refreshMs: 60_000,
      logger: createSilentLogger(),
    });
    const read = dial.refresh();
    pending.shift()?.([{ ...setting(10), shadowPercent: 50, noisePercent: 25 }]);
    await read;

    expect(dial.setting('movies')).toMatchObject({ shadowPercent: 50, noisePercent: 25 });
    expect(dial.setting('payments')).toBeUndefined();
    await dial.stop();
  });

  it('reads nothing once stopped', async () => {
    const { store, reads } = controlledStore();
    const dial = createMigrationDial({
      store,
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      refreshMs: 60_000,
      logger: createSilentLogger(),
    });
    await dial.stop();
    await dial.refresh();
    expect(reads()).toBe(0);
  });
});
