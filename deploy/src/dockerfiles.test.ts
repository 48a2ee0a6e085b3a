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

/** The one Dockerfile, at the repository root, that builds every service. */
const dockerfile = parseDockerfile(readFileSync(repoPath('Dockerfile'), 'utf8'));

function instructions(keyword: string): string[] {
  return dockerfile
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

describe('Dockerfile', () => {
  it('builds in one stage and runs from another', () => {
    expect(instructions('FROM')).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
    expect(instructions('ARG')).toContain('NODE_IMAGE=node:20-bookworm-slim');
  });

  it('refuses to build without the service it is for', () => {
    const runs = instructions('RUN');
    expect(runs.some((run) => run.startsWith('test -n "${SERVICE_DIR}" ||'))).toBe(true);
    expect(
      runs.some((run) => run.startsWith('test -n "${SERVICE_PORT}" -a -n "${HEALTH_PATH}" ||')),
    ).toBe(true);
  });

  it('installs only the production dependencies of its workspace, plus tsx at the locked version', () => {
    const runs = instructions('RUN').join('\n');
    expect(runs).toContain(
      'npm ci --omit=dev --workspace "${SERVICE_DIR}" --include-workspace-root=false',
    );
    expect(runs).toContain('tsx@${TSX_VERSION}');
    expect(instructions('ARG')).toContain(`TSX_VERSION=${lockedVersion('tsx')}`);
  });

  it('copies every workspace manifest (npm ci checks them all against the lockfile)', () => {
    const copies = instructions('COPY');
    expect(copies).toContain('package.json package-lock.json ./');
    for (const workspaceDir of workspaces) {
      expect(copies).toContain(`${workspaceDir}/package.json ${workspaceDir}/`);
    }
    expect(copies).toEqual(
      expect.arrayContaining([
        'packages/shared/ packages/shared/',
        '${SERVICE_DIR}/ ${SERVICE_DIR}/',
        'supergraph.graphql ./',
      ]),
    );
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const sources = instructions('COPY')
      .filter((args) => !args.startsWith('--from'))
      .flatMap((args) => args.split(' ').slice(0, -1))
      .filter((source) => !source.includes('${'));
    for (const source of sources) {
      expect({ source, exists: existsSync(repoPath(source)) }).toEqual({ source, exists: true });
      expect(dockerignore).not.toContain(source.replace(/\/$/, ''));
    }
  });

  it('carries no development tooling: the local-infra manifest only, no launcher, pom or Java', () => {
    const sources = instructions('COPY').flatMap((args) => args.split(' ').slice(0, -1));
    expect(sources.filter((source) => source.startsWith('tools/'))).toEqual([
      'tools/local-infra/package.json',
    ]);
    expect(sources.some((source) => /pom\.xml|\.jar$/.test(source))).toBe(false);
    expect(instructions('RUN').join('\n')).not.toMatch(/\b(java|jdk|jre|mvn|maven)\b/i);
    expect(instructions('FROM').join('\n')).not.toMatch(/jdk|jre|java|temurin/i);
    expect(dockerignore).toEqual(expect.arrayContaining(['tools/*/src', 'tools/*/kafka']));
  });

  it('runs as a non-root user, given by number', () => {
    expect(instructions('USER')).toEqual(['1000:1000']);
  });

  it('exposes the service port and health-checks its health path with node', () => {
    expect(instructions('EXPOSE')).toEqual(['${SERVICE_PORT}']);
    const env = instructions('ENV').join(' ');
    expect(env).toContain('PORT=${SERVICE_PORT}');
    expect(env).toContain('HEALTH_PATH=${HEALTH_PATH}');
    const [healthcheck = ''] = instructions('HEALTHCHECK');
    expect(healthcheck).toContain('CMD ["node", "-e", "fetch(');
    expect(healthcheck).toContain(
      "'http://127.0.0.1:' + process.env.PORT + process.env.HEALTH_PATH",
    );
  });

  it('starts the service as `npm start` does, with tsx', () => {
    expect(instructions('WORKDIR').at(-1)).toBe('/app/${SERVICE_DIR}');
    expect(instructions('CMD')).toEqual(['["node", "--import", "tsx", "src/index.ts"]']);
  });
});

describe.each(DELIVERED_SERVICES)('SERVICE_DIR=$dir', ({ dir, workspace }) => {
  it('is the workspace folder of the service, with the entry point the image starts', () => {
    expect(workspaces).toContain(dir);
    const manifest = JSON.parse(readFileSync(repoPath(dir, 'package.json'), 'utf8')) as {
      name: string;
    };
    expect(manifest.name).toBe(workspace);
    expect(existsSync(repoPath(dir, 'src', 'index.ts'))).toBe(true);
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
