import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMemoryLogger } from '@cinemaabyss/shared/testing';
import { readOrBuildPlaygroundAssets } from './loadPlaygroundAssets';

describe('readOrBuildPlaygroundAssets', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'playground-cache-'));
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('builds GraphiQL once into the cache, drops older builds, then reads it back', async () => {
    const stale = path.join(cacheDir, '0123456789abcdef');
    await mkdir(stale);
    const { logger, lines } = createMemoryLogger({ level: 'debug' });

    const built = await readOrBuildPlaygroundAssets({ logger, cacheDir });
    const cached = await readOrBuildPlaygroundAssets({ logger, cacheDir });

    expect(lines.map((line) => line.msg)).toEqual([
      'playground bundle built',
      'playground bundle cached',
    ]);
    expect(cached.js.equals(built.js)).toBe(true);
    expect(cached.css.equals(built.css)).toBe(true);
    const builds = await readdir(cacheDir);
    expect(builds).toHaveLength(1);
    expect(builds[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(existsSync(stale)).toBe(false);
  });

  it('bundles React, GraphiQL and its fonts, with nothing left to fetch from a CDN', async () => {
    const { logger } = createMemoryLogger({ level: 'debug' });

    const { js, css } = await readOrBuildPlaygroundAssets({ logger, cacheDir });
    const script = js.toString('utf8');
    const stylesheet = css.toString('utf8');

    expect(script).toContain('graphiql-execute-button');
    expect(script).toContain('react.dev/errors');
    expect(stylesheet).toContain('.graphiql-container');
    expect(stylesheet).toMatch(/@font-face\{[^}]*src:url\(data:font\/woff2;base64,/);
    // Every url() in the stylesheet is inline data; no @import pulls in anything else.
    expect(stylesheet.match(/url\((?!data:)[^)]*\)/g)).toBeNull();
    expect(stylesheet).not.toContain('@import');
    expect(script).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|fonts\.googleapis/);
  });
});
