import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startChild } from '../processes/startChild';
import type { BenchChild } from '../processes/startChild';
import { profileWindow } from './profileWindow';

const BUSY_CHILD = path.resolve(__dirname, '../testing/busyChildMain.ts');
/**
 * The spinning function, or the request handler once the JIT has inlined it there (seen in a
 * full test run): either way a frame of the busy child's own file, not of Node's.
 */
const HOT_FRAME = /^(spinForProfileTest|\(anonymous\)) .*busyChildMain\.ts/;

describe('profileWindow (a real bench child, the inspector protocol)', () => {
  let child: BenchChild;
  let dir: string;

  beforeAll(async () => {
    child = await startChild(BUSY_CHILD, { name: 'busy' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'bench-profile-test-'));
  });

  afterAll(async () => {
    await child?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("names the child's hottest function over the window and writes the profile", async () => {
    const { result, profiles } = await profileWindow({ 'busy (child)': child }, dir, async () => {
      for (let i = 0; i < 20; i += 1) await fetch(`${child.url}/20`);
      return 'done';
    });
    expect(result).toBe('done');
    const profile = profiles?.['busy (child)'];
    // The name made a file name: no punctuation, no dangling dash.
    expect(profile?.file).toBe(path.join(dir, 'busy-child.cpuprofile'));
    expect(existsSync(profile?.file as string)).toBe(true);
    expect(profile?.top).toHaveLength(5);
    expect(profile?.top[0]?.name).toMatch(HOT_FRAME);
    expect(profile?.top[0]?.selfPercent).toBeGreaterThan(30);
    // 400 ms of spinning, give or take the sampling.
    expect(profile?.cpuSeconds).toBeGreaterThan(0.2);
  });

  it('only runs the work when no folder is given', async () => {
    const outcome = await profileWindow({ 'busy child': child }, undefined, async () => 7);
    expect(outcome).toEqual({ result: 7 });
  });

  it('can profile the same child again, window after window', async () => {
    for (let round = 0; round < 2; round += 1) {
      const { profiles } = await profileWindow({ again: child }, dir, async () => {
        await fetch(`${child.url}/50`);
      });
      expect(profiles?.again?.top[0]?.name).toMatch(HOT_FRAME);
      expect(profiles?.again?.cpuSeconds).toBeGreaterThan(0.02);
    }
  });
});
