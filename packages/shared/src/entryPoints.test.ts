import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadInFreshProcess } from './testing/freshProcess';

jest.setTimeout(120_000);

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
  exports: Record<string, { source: string; default?: string }>;
};
/** Each subpath and its TypeScript source (the "source" condition). */
const entryPoints = Object.entries(manifest.exports).map(
  ([subpath, conditions]) => [subpath, conditions.source] as const,
);

/** pg's int8 parser once the module is loaded: a string unless something set ours. */
const INT8_PROBE = "typeof require('pg').types.getTypeParser(20)('12')";

describe('@cinemaabyss/shared entry points', () => {
  it('has no root barrel: each concern is imported by its own subpath', () => {
    expect(manifest.exports['.']).toBeUndefined();
    expect(entryPoints.length).toBeGreaterThanOrEqual(10);
  });

  it('points each runtime subpath at its source for development and its dist/ file otherwise', () => {
    for (const [subpath, conditions] of Object.entries(manifest.exports)) {
      expect(conditions.source).toMatch(/^\.\/src\/.+\.ts$/);
      // Test helpers are development-only: no compiled file, so production cannot load them.
      if (subpath === './testing') expect(conditions.default).toBeUndefined();
      else
        expect(conditions.default).toBe(
          conditions.source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js'),
        );
    }
  });

  it.each(entryPoints)('%s loads without touching pg’s type parsers', async (_subpath, file) => {
    const { probe } = await loadInFreshProcess(path.join(__dirname, '..', file), INT8_PROBE);
    expect(probe).toBe('string');
  });

  it.each([
    ['./config', ['pg', 'kafkajs', 'fastify']],
    ['./logging', ['pg', 'kafkajs', 'fastify']],
    ['./http', ['pg', 'kafkajs']],
    ['./validation', ['pg', 'kafkajs']],
    ['./kafka', ['pg']],
    // Loaded first by every service, so that it can instrument these as they load.
    ['./tracing', ['pg', 'kafkajs', 'fastify', 'undici']],
  ])('%s does not pull in %p', async (subpath, unwanted) => {
    const { packages } = await loadInFreshProcess(
      path.join(__dirname, '..', manifest.exports[subpath]?.source ?? `no export ${subpath}`),
    );
    for (const name of unwanted) expect(packages).not.toContain(name);
  });

  it('a pool, once created, reads int8 as a number', async () => {
    const { probe } = await loadInFreshProcess(
      path.join(__dirname, 'db', 'index.ts'),
      `(require(${JSON.stringify(path.join(__dirname, 'db', 'index.ts'))}).createPool({ connectionString: 'postgres://x@127.0.0.1:1/x', applicationName: 't' }), ${INT8_PROBE})`,
    );
    expect(probe).toBe('number');
  });
});
