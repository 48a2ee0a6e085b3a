import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { BenchResults } from './benchResults';
import { renderMarkdown } from './renderMarkdown';

/** Formatted as the repository formats everything, so `prettier --check .` stays clean. */
async function pretty(file: string, text: string): Promise<string> {
  const config = (await resolveConfig(file)) ?? {};
  return format(text, { ...config, filepath: file });
}

/**
 * Writes `latest.json` (every round) and `latest.md` (the tables), the only files a run writes,
 * and returns the Markdown for the terminal.
 */
export async function writeResults(dir: string, results: BenchResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  const markdown = await pretty(md, renderMarkdown(results));
  await writeFile(json, await pretty(json, JSON.stringify(results)));
  await writeFile(md, await pretty(md, `# Benchmarks: latest results\n\n${markdown}`));
  return markdown;
}
