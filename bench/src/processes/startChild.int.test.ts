import path from 'node:path';
import { startChild } from './startChild';
import type { BenchChild } from './startChild';

const BUSY_CHILD = path.resolve(__dirname, '../testing/busyChildMain.ts');

describe('startChild (a real bench child)', () => {
  let child: BenchChild;

  beforeAll(async () => {
    child = await startChild(BUSY_CHILD, { name: 'busy', args: ['--some-flag'] });
  });

  afterAll(async () => {
    await child?.stop();
  });

  it('loads a TypeScript entry point and serves without the loader, as a deployed service runs', async () => {
    const response = await fetch(`${child.url}/process`, { signal: AbortSignal.timeout(10_000) });
    expect(await response.json()).toEqual({
      // The entry sees itself as the script, with its own arguments.
      script: 'busyChildMain.ts',
      args: ['--some-flag'],
      typeScriptLoaderActive: false,
    });
  });

  it('answers over the IPC protocol once it serves', async () => {
    const stats = await child.stats();
    expect(stats.cpuMs).toBeGreaterThan(0);
    expect(stats.maxRssKiB).toBeGreaterThan(stats.heapUsedKiB / 4);
  });
});
