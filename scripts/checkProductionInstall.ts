/**
 * The production install, proven the way the image does it (run by .ci/run after
 * `npm run build`): the compiled tree copied without sources, tests or tooling, one
 * `npm ci --omit=dev --prefer-offline` of the five services' workspaces, then each service
 * started with `node dist/index.js` against the real PostgreSQL (and Kafka, which the events
 * service needs) until its health check is green, then all stopped. A service that imports a
 * devDependency, a TypeScript file or a path outside what the image carries fails here.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureKafka } from '@cinemaabyss/local-infra';
import type { LocalKafka } from '@cinemaabyss/local-infra';
import { dropDatabase, withDatabaseName } from '@cinemaabyss/shared/db';
import { createLogger } from '@cinemaabyss/shared/logging';
import { DEFAULT_DB_CONNECTION_STRING } from '@cinemaabyss/legacy-monolith/config';
import { startStackService } from './stack/servicesProcess';
import type { ServiceProcess } from './stack/servicesProcess';
import { freeStackPorts, stackServices } from './stack/stackServices';

const ROOT = path.resolve(__dirname, '..');
const logger = createLogger({ name: 'production-install' });
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** What the image's runtime stage carries of a workspace: everything but these. */
const LEFT_OUT = new Set(['src', 'node_modules', 'playground', 'tsconfig.build.json']);

/** The service workspaces the images are built from, and the package they share. */
function runtimeWorkspaces(services: { dir: string }[]): string[] {
  return ['packages/shared', ...services.map(({ dir }) => dir)];
}

async function copyRuntimeTree(target: string, workspaces: string[]): Promise<void> {
  for (const file of ['package.json', 'package-lock.json', 'supergraph.graphql']) {
    await cp(path.join(ROOT, file), path.join(target, file));
  }
  for (const workspace of workspaces) {
    if (!existsSync(path.join(ROOT, workspace, 'dist'))) {
      throw new Error(`${workspace} has no dist/: run \`npm run build\` first`);
    }
    for (const entry of await readdir(path.join(ROOT, workspace))) {
      if (LEFT_OUT.has(entry)) continue;
      await cp(path.join(ROOT, workspace, entry), path.join(target, workspace, entry), {
        recursive: true,
        // Tests and test helpers stay out, as .dockerignore keeps them out of the image.
        filter: (source) => !/\.test\.[jt]s|[\\/]testing([\\/]|$)/.test(source),
      });
    }
  }
  // npm ci checks every workspace's manifest against the lockfile; tooling brings only that.
  const root = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  for (const workspace of root.workspaces.filter((dir) => !workspaces.includes(dir))) {
    await mkdir(path.join(target, workspace), { recursive: true });
    await cp(
      path.join(ROOT, workspace, 'package.json'),
      path.join(target, workspace, 'package.json'),
    );
  }
}

function npmCiProduction(cwd: string, workspaces: string[]): Promise<void> {
  const args = ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'];
  for (const workspace of workspaces) args.push('--workspace', workspace);
  args.push('--include-workspace-root=false');
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, stdio: 'inherit', timeout: INSTALL_TIMEOUT_MS });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} exited ${code ?? signal}`)),
    );
  });
}

/** The environment of a container: no NODE_OPTIONS (so no "source" condition), production. */
function containerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

async function main(): Promise<void> {
  const ports = await freeStackPorts();
  const services = stackServices(ports);
  const workspaces = runtimeWorkspaces(services);
  const tree = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-production-'));
  const server = process.env.DB_CONNECTION_STRING ?? DEFAULT_DB_CONNECTION_STRING;
  const database = withDatabaseName(
    server,
    `cinemaabyss_production_check_${Date.now().toString(36)}`,
  );
  const running: ServiceProcess[] = [];
  let kafka: LocalKafka | undefined;
  try {
    await copyRuntimeTree(tree, workspaces);
    logger.info({ tree }, 'compiled tree copied; installing production dependencies');
    await npmCiProduction(tree, workspaces);
    kafka = await ensureKafka({ port: 0 });
    for (const service of services) {
      const started = Date.now();
      await startStackService({
        service,
        root: tree,
        runtime: 'compiled',
        env: containerEnv({
          DB_CONNECTION_STRING: database,
          ...service.env({ kafkaBrokers: kafka.brokers.join(',') }),
        }),
        prefix: `[${service.name}]`,
        onSpawned: (child) => running.push(child),
      });
      logger.info({ service: service.name, ms: Date.now() - started }, 'healthy from dist/');
    }
    logger.info({ services: services.length }, 'every service runs from its production install');
  } finally {
    for (const child of running.reverse()) await child.stop();
    await kafka?.stop();
    await dropDatabase(database).catch((err: unknown) =>
      logger.warn({ err }, 'could not drop the database'),
    );
    await rm(tree, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  logger.error({ err }, 'the production install check failed');
  process.exitCode = 1;
});
