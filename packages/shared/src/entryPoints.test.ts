import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadInFreshProcess } from './testing/freshProcess';

jest.setTimeout(120_000);

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
  exports: Record<string, string>;
};
const entryPoints = Object.entries(manifest.exports);

/** pg's int8 parser once the module is loaded: a string unless something set ours. */
const INT8_PROBE = "typeof require('pg').types.getTypeParser(20)('12')";

describe('@cinemaabyss/shared entry points', () => {
  it('has no root barrel: each concern is imported by its own subpath', () => {
    expect(manifest.exports['.']).toBeUndefined();
    expect(entryPoints.length).toBeGreaterThanOrEqual(10);
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
      path.join(__dirname, '..', manifest.exports[subpath] as string),
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
