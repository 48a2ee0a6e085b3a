import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');
const IMPORTS_LOCAL_INFRA = [
  "import { startLocalKafka } from '@cinemaabyss/local-infra';",
  "import { findFreePort } from '../../tools/local-infra/src/jvm/freePort';",
  'export const used = [startLocalKafka, findFreePort];',
  '',
].join('\n');

const RUNTIME_FILES = [
  'gateway/src/server.ts',
  'events/src/consumer/handler.ts',
  'legacy-monolith/src/server.int.test.ts',
  'subgraphs/movies/src/graphql/resolvers.ts',
  'packages/shared/src/kafka/eventBus.ts',
];
const DEV_FILES = [
  'scripts/start.ts',
  'test/globalSetup.ts',
  'e2e/support/startStack.ts',
  'bench/src/run.ts',
];

/**
 * The rule ids the repository's own ESLint config reports for the source placed at each file.
 * ESLint loads its flat config with a dynamic import, which jest's module sandbox cannot do,
 * so it runs in a plain Node process.
 */
async function ruleIdsByFile(files: string[], source: string): Promise<Record<string, string[]>> {
  const script = `
    const { ESLint } = require('eslint');
    const [source, ...files] = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = {};
      for (const file of files) {
        const [result] = await eslint.lintText(source, { filePath: file });
        out[file] = result.messages.map((m) => m.ruleId);
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((err) => { console.error(err); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-e', script, JSON.stringify([source, ...files])],
    { cwd: ROOT, timeout: 60_000 },
  );
  return JSON.parse(stdout) as Record<string, string[]>;
}

describe('the boundary between runtime code and local infrastructure', () => {
  let ruleIds: Record<string, string[]>;

  beforeAll(async () => {
    ruleIds = await ruleIdsByFile([...RUNTIME_FILES, ...DEV_FILES], IMPORTS_LOCAL_INFRA);
  });

  it.each(RUNTIME_FILES)('fails the lint of %s when it imports local-infra', (file) => {
    expect(ruleIds[file]).toEqual(['no-restricted-imports', 'no-restricted-imports']);
  });

  it.each(DEV_FILES)('lets the dev-only entry point %s use it', (file) => {
    expect(ruleIds[file]).not.toContain('no-restricted-imports');
  });
});
