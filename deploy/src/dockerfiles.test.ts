import { existsSync, readFileSync } from 'node:fs';
import { DELIVERED_SERVICES, repoPath } from './services';

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const lines = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

function instructions(dir: string, keyword: string): string[] {
  const text = readFileSync(repoPath(dir, 'Dockerfile'), 'utf8');
  return parseDockerfile(text)
    .filter((instruction) => instruction.keyword === keyword)
    .map(({ args }) => args);
}

function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(repoPath('package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in package-lock.json`);
  return version;
}

const workspaces = (
  JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { workspaces: string[] }
).workspaces;

const dockerignore = readFileSync(repoPath('.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

describe.each(DELIVERED_SERVICES)('$dir/Dockerfile', ({ dir, workspace, port, healthPath }) => {
  it('builds in one stage and runs from another', () => {
    const stages = instructions(dir, 'FROM');
    expect(stages).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
    expect(instructions(dir, 'ARG')).toContain('NODE_IMAGE=node:20-bookworm-slim');
  });

  it('installs only the production dependencies of its workspace, plus tsx at the locked version', () => {
    const runs = instructions(dir, 'RUN').join('\n');
    expect(runs).toContain(
      `npm ci --omit=dev --workspace ${workspace} --include-workspace-root=false`,
    );
    expect(runs).toContain('tsx@${TSX_VERSION}');
    expect(instructions(dir, 'ARG')).toContain(`TSX_VERSION=${lockedVersion('tsx')}`);
  });

  it('copies every workspace manifest (npm ci checks them all against the lockfile)', () => {
    const copies = instructions(dir, 'COPY');
    expect(copies).toContain('package.json package-lock.json ./');
    for (const workspaceDir of workspaces) {
      expect(copies).toContain(`${workspaceDir}/package.json ${workspaceDir}/`);
    }
    expect(copies).toEqual(
      expect.arrayContaining(['packages/shared/ packages/shared/', `${dir}/ ${dir}/`]),
    );
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const sources = instructions(dir, 'COPY')
      .filter((args) => !args.startsWith('--from'))
      .flatMap((args) => args.split(' ').slice(0, -1));
    for (const source of sources) {
      expect({ source, exists: existsSync(repoPath(source)) }).toEqual({ source, exists: true });
      expect(dockerignore).not.toContain(source.replace(/\/$/, ''));
    }
  });

  it('runs as a non-root user, given by number', () => {
    expect(instructions(dir, 'USER')).toEqual(['1000:1000']);
  });

  it('exposes its port and health-checks its health path with node', () => {
    expect(instructions(dir, 'EXPOSE')).toEqual([String(port)]);
    expect(instructions(dir, 'ENV').join(' ')).toContain(`PORT=${port}`);
    const [healthcheck = ''] = instructions(dir, 'HEALTHCHECK');
    expect(healthcheck).toContain('CMD ["node", "-e", "fetch(');
    expect(healthcheck).toContain(`(process.env.PORT || ${port}) + '${healthPath}'`);
  });

  it('starts the service as `npm start` does, with tsx', () => {
    expect(instructions(dir, 'WORKDIR').at(-1)).toBe(`/app/${dir}`);
    expect(instructions(dir, 'CMD')).toEqual(['["node", "--import", "tsx", "src/index.ts"]']);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, git history, tests and local caches out of the build context', () => {
    expect(dockerignore).toEqual(
      expect.arrayContaining(['**/node_modules', '.git', '**/*.test.ts', '**/.cache', 'e2e']),
    );
  });

  it('lets through what the services read at run time', () => {
    for (const needed of [
      'supergraph.graphql',
      'legacy-monolith/migrations',
      'legacy-monolith/seed',
      'gateway/playground',
      'subgraphs/movies/schema.graphql',
      'subgraphs/monolith/schema.graphql',
    ]) {
      expect(existsSync(repoPath(needed))).toBe(true);
      expect(dockerignore.filter((pattern) => needed.startsWith(pattern))).toEqual([]);
    }
  });
});
