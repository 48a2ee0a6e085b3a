import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Written last, so a cached dir without it is never trusted. */
export const COMPLETE_STAMP = '.cinemaabyss-complete';

export interface FillCacheDirOptions {
  /** The dir to fill once, e.g. `<cache>/kafka-4.4.0/libs`. */
  dir: string;
  /** What the stamp file says, for a person who looks. */
  stamp: string;
  /** Downloads into the given (private, empty) dir; throws when it cannot. */
  fill(partialDir: string): Promise<void>;
}

/**
 * Returns `dir`, filling it only when it lacks its stamp. The download goes into a private
 * sibling dir that is renamed into place, so two first runs at once (parallel jest workers,
 * two checkouts) never see or produce a half-filled dir.
 */
export async function fillCacheDirOnce({ dir, stamp, fill }: FillCacheDirOptions): Promise<string> {
  if (isFilled(dir)) return dir;
  await mkdir(path.dirname(dir), { recursive: true });
  const partialDir = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(partialDir);
    await fill(partialDir);
    await writeFile(path.join(partialDir, COMPLETE_STAMP), `${stamp}\n`);
    await moveIntoPlace(partialDir, dir);
  } finally {
    await rm(partialDir, { recursive: true, force: true });
  }
  return dir;
}

export function isFilled(dir: string): boolean {
  return existsSync(path.join(dir, COMPLETE_STAMP));
}

/** rename(2) is atomic; losing the race to another process that finished first is fine. */
async function moveIntoPlace(partialDir: string, dir: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rename(partialDir, dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      if (isFilled(dir)) return;
      // A dir without a stamp was left by hand or by an older layout: replace it once.
      if (attempt > 0) throw error;
      await rm(dir, { recursive: true, force: true });
    }
  }
}
