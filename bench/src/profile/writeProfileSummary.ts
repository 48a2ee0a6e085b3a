import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatTable } from '@cinemaabyss/shared/text';
import { categorizeProfileFile, categoryColumns } from './categorizeProfile';
import { summarizeProfile } from './summarizeProfile';

const pct = (value: number) => value.toFixed(1);
const table = (headers: string[], rows: string[][]) =>
  formatTable(headers, rows, { style: 'markdown' });

/**
 * Markdown for the gateways' profiles in a directory (`*gateway*.cpuprofile`, as
 * `npm run bench -- --only=gateways --profile` writes them under varied-workload/): their busy
 * CPU by part of the engine side by side, then each one's hottest functions by self time.
 */
export function renderProfileSummary(dir: string, { top = 12 } = {}): string {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile') && name.includes('gateway'))
    .sort();
  if (files.length === 0) throw new Error(`no gateway .cpuprofile in ${dir}`);
  const gateways = files.map((name) => {
    const file = path.join(dir, name);
    return {
      name: name.replace(/\.cpuprofile$/, ''),
      categories: categorizeProfileFile(file),
      summary: summarizeProfile(file, { top }),
    };
  });
  const { headers, rows } = categoryColumns(gateways.map((g) => [g.name, g.categories]));
  const categories = table(headers, rows);
  const hottest = gateways.map(
    (g) =>
      `#### ${g.name}: ${g.summary.cpuSeconds.toFixed(1)} s busy, hottest functions by self time\n\n` +
      table(
        ['self %', 'total %', 'function'],
        g.summary.self.map((line) => [
          pct(line.selfPercent),
          pct(line.totalPercent),
          `\`${line.name}\``,
        ]),
      ),
  );
  return `${categories}\n\n${hottest.join('\n\n')}\n`;
}

/**
 * `tsx bench/src/profile/writeProfileSummary.ts <profiles dir> <out.md> "<command that made them>"`
 * writes the summary with where it came from.
 */
if (require.main === module) {
  const [dir, out, command] = process.argv.slice(2);
  if (!dir || !out || !command) {
    throw new Error('usage: writeProfileSummary.ts <profiles dir> <out.md> "<command>"');
  }
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const header =
    `# Where the gateways' CPU goes: the varied workload\n\n` +
    `Profiles from \`${command}\` at commit ${commit}, ${new Date().toISOString().slice(0, 10)}; ` +
    `summarised with \`tsx bench/src/profile/writeProfileSummary.ts ${dir} ${out} "…"\`. ` +
    `Each busy sample (idle and the profiler's own stop left out) is charged to the innermost ` +
    `frame a rule of \`bench/src/profile/categorizeProfile.ts\` recognises, so a built-in such as ` +
    `\`JSON.parse\` counts for its caller; \`native code and runtime\` is V8's \`(program)\`, where a ` +
    `native add-on such as the Rust planner runs.\n\n`;
  writeFileSync(out, header + renderProfileSummary(dir));
}
