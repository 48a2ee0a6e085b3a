import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time needs. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

type CallFrame = CpuProfile['nodes'][number]['callFrame'];

export interface ProfileLine {
  /** Share of the busy (non-idle) samples spent in this function itself. */
  selfPercent: number;
  /** Share of the busy samples with this function anywhere on the stack. */
  totalPercent: number;
  name: string;
}

export interface ProfileSummary {
  /** Busy CPU time in the profile after the skipped start. */
  cpuSeconds: number;
  self: ProfileLine[];
  total: ProfileLine[];
}

function label(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, '');
  const marker = 'node_modules/';
  const where = file.includes(marker)
    ? file.slice(file.lastIndexOf(marker) + marker.length)
    : path.relative(process.cwd(), file) || file;
  const name = frame.functionName || '(anonymous)';
  return where ? `${name} ${where}:${frame.lineNumber + 1}` : name;
}

/**
 * Top functions by self time and by inclusive time, weighted by the samples' time deltas.
 * `skipSeconds` drops the start of the profile (module loading, schema building) and idle
 * samples are left out, so the shares are of the CPU time the workload actually used.
 */
export function summarizeProfile(
  file: string,
  { top = 25, skipSeconds = 0 }: { top?: number; skipSeconds?: number } = {},
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  // The inspector's own work (stopping and serialising the profile) is not the workload's.
  const underProfiler = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)?.callFrame.url === 'node:inspector') return true;
    }
    return false;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    const weight = profile.timeDeltas[i] ?? 0;
    elapsed += weight;
    const node = byId.get(id);
    if (!node || elapsed < skipSeconds * 1e6 || node.callFrame.functionName === '(idle)') return;
    if (underProfiler(id)) return;
    busy += weight;
    const name = label(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + weight);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame) break;
      const frameName = label(frame.callFrame);
      if (seen.has(frameName)) continue;
      seen.add(frameName);
      total.set(frameName, (total.get(frameName) ?? 0) + weight);
    }
  });
  const share = (map: Map<string, number>, name: string) => ((map.get(name) ?? 0) * 100) / busy;
  const line = (name: string) => ({
    name,
    selfPercent: share(self, name),
    totalPercent: share(total, name),
  });
  const topOf = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name]) => line(name));
  return { cpuSeconds: busy / 1e6, self: topOf(self), total: topOf(total) };
}

/** A profile file, or the largest one in a folder (a child's main thread, not tsx's worker). */
function mainProfile(fileOrDir: string): string {
  if (!statSync(fileOrDir).isDirectory()) return fileOrDir;
  const files = readdirSync(fileOrDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(fileOrDir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) throw new Error(`no .cpuprofile in ${fileOrDir}`);
  return files[0];
}

/**
 * `tsx bench/src/profile/summarizeProfile.ts bench/results/profiles/ours [top] [skipSeconds]`
 * (after `npm run bench -- --profile`): the child's hottest functions, self and total.
 */
if (require.main === module) {
  const [target, top = '25', skip = '0'] = process.argv.slice(2);
  if (!target) throw new Error('usage: summarizeProfile.ts <file.cpuprofile | dir> [top] [skip]');
  const summary = summarizeProfile(mainProfile(target), {
    top: Number(top),
    skipSeconds: Number(skip),
  });
  const row = (l: ProfileLine) =>
    `${l.selfPercent.toFixed(1).padStart(5)}% self ${l.totalPercent.toFixed(1).padStart(5)}% total  ${l.name}\n`;
  process.stdout.write(
    `${summary.cpuSeconds.toFixed(2)} s busy after the first ${skip} s\n` +
      `by self time:\n${summary.self.map(row).join('')}\n` +
      `by total time:\n${summary.total.map(row).join('')}`,
  );
}
