import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BenchChild } from '../processes/startChild';
import { categorizeProfileFile } from './categorizeProfile';
import type { CategoryShare } from './categorizeProfile';
import { summarizeProfile } from './summarizeProfile';
import type { ProfileLine } from './summarizeProfile';

/** A child's hottest functions over one window, by self time. */
export interface WindowProfile {
  /** Busy CPU seconds the profile saw. */
  cpuSeconds: number;
  top: ProfileLine[];
  /** The busy time by part of the engine (planning, pipeline, subgraph I/O …), largest first. */
  categories: CategoryShare[];
  /** The `.cpuprofile` written, for `summarizeProfile.ts` or Chrome's DevTools. */
  file: string;
}

const fileName = (name: string) =>
  `${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '')}.cpuprofile`;

/**
 * Runs `work` with every named child profiling just that window (not its start-up or the
 * other parts), then writes each profile to `dir` and names its `top` hottest functions.
 * Without a dir it only runs the work.
 */
export async function profileWindow<T>(
  children: Record<string, BenchChild>,
  dir: string | undefined,
  work: () => Promise<T>,
  { top = 5 }: { top?: number } = {},
): Promise<{ result: T; profiles?: Record<string, WindowProfile> }> {
  if (!dir) return { result: await work() };
  const named = Object.entries(children).filter(([, child]) => child.profile);
  await mkdir(dir, { recursive: true });
  await Promise.all(named.map(([, child]) => child.profile?.start()));
  const result = await work();
  const profiles: Record<string, WindowProfile> = {};
  for (const [name, child] of named) {
    const file = path.join(dir, fileName(name));
    await child.profile?.stop(file);
    const summary = summarizeProfile(file, { top });
    profiles[name] = {
      cpuSeconds: summary.cpuSeconds,
      top: summary.self,
      categories: categorizeProfileFile(file),
      file,
    };
  }
  return { result, profiles };
}
