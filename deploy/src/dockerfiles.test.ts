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

const workspaces = (
  JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { workspaces: string[] }
).workspaces;

const dockerignore = readFileSync(repoPath('.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** The instructions of one stage, from its FROM to the next. */
function stage(name: string): Instruction[] {
  const start = dockerfile.findIndex(
    ({ keyword, args }) => keyword === 'FROM' && args.endsWith(` AS ${name}`),
  );
  if (start === -1) throw new Error(`the Dockerfile has no stage ${name}`);
  const end = dockerfile.findIndex(
    (instruction, index) => index > start && instruction.keyword === 'FROM',
  );
  return dockerfile.slice(start + 1, end === -1 ? undefined : end);
}

function argsOf(instructions: Instruction[], keyword: string): string[] {
  return instructions
    .filter((instruction) => instruction.keyword === keyword)
    .map(({ args }) => args);
}

describe('Dockerfile', () => {
  it('installs in one stage, compiles in another and runs from a third', () => {
    expect(instructions('FROM')).toEqual([
      '${NODE_IMAGE} AS deps',
      'deps AS build',
      '${NODE_IMAGE} AS runtime',
    ]);
    expect(instructions('ARG')).toContain('NODE_IMAGE=node:24-bookworm-slim');
  });

  it('refuses to build without the service it is for', () => {
    const runs = instructions('RUN');
    expect(runs.some((run) => run.startsWith('test -n "${SERVICE_DIR}" ||'))).toBe(true);
    expect(
      runs.some((run) => run.startsWith('test -n "${SERVICE_PORT}" -a -n "${HEALTH_PATH}" ||')),
    ).toBe(true);
  });

  it('installs only the production dependencies of its workspace for the image', () => {
    expect(argsOf(stage('deps'), 'RUN').join('\n')).toContain(
      'npm ci --omit=dev --workspace "${SERVICE_DIR}" --include-workspace-root=false',
    );
  });

  it("compiles the service (and the gateway's playground) with tsc in the build stage", () => {
    const runs = argsOf(stage('build'), 'RUN').join('\n');
    expect(runs).toContain('npm ci --no-audit --no-fund');
    expect(runs).toContain('npx tsc -b "${SERVICE_DIR}/tsconfig.build.json"');
    expect(runs).toContain('node tools/web-build/dist/cli.js');
    // What the image copies of the service folder carries no TypeScript and no dev install.
    expect(runs).toMatch(/rm -rf "\$\{SERVICE_DIR\}\/src" .*"\$\{SERVICE_DIR\}\/node_modules"/);
    for (const workspaceDir of [...DELIVERED_SERVICES.map(({ dir }) => dir), 'packages/shared']) {
      expect(existsSync(repoPath(workspaceDir, 'tsconfig.build.json'))).toBe(true);
    }
  });

  it('copies every workspace manifest (npm ci checks them all against the lockfile)', () => {
    const copies = instructions('COPY');
    expect(copies).toContain('package.json package-lock.json ./');
    for (const workspaceDir of workspaces) {
      expect(copies).toContain(`${workspaceDir}/package.json ${workspaceDir}/`);
    }
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

  it('runs on the production install and compiled code only: no tsx, TypeScript, tooling or Java', () => {
    const runtime = stage('runtime');
    expect(argsOf(runtime, 'COPY')).toEqual([
      '--from=deps /app ./',
      '--from=build /app/packages/shared/dist packages/shared/dist',
      '--from=build /app/${SERVICE_DIR} ${SERVICE_DIR}',
      'supergraph.graphql ./',
    ]);
    expect(dockerfile.map(({ args }) => args).join('\n')).not.toMatch(/\btsx\b/);
    expect(instructions('RUN').join('\n')).not.toMatch(/\b(java|jdk|jre|mvn|maven)\b/i);
    expect(instructions('FROM').join('\n')).not.toMatch(/jdk|jre|java|temurin/i);
    expect(dockerignore).toEqual(
      expect.arrayContaining(['tools/local-infra/src', 'tools/supergraph/src', 'tools/*/kafka']),
    );
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

  it('starts the compiled service with node, from its workspace folder', () => {
    expect(instructions('WORKDIR').at(-1)).toBe('/app/${SERVICE_DIR}');
    expect(instructions('CMD')).toEqual(['["node", "--enable-source-maps", "dist/index.js"]']);
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
      'subgraphs/movies/schema.graphql',
      'subgraphs/monolith/schema.graphql',
    ]) {
      expect(existsSync(repoPath(needed))).toBe(true);
      expect(dockerignore.filter((pattern) => needed.startsWith(pattern))).toEqual([]);
    }
  });
});
