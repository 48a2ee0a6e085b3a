import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { HELM_VERSION } from './helm';
import { DELIVERED_SERVICES, repoPath } from './services';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}

interface Job {
  'runs-on': string;
  services?: Record<string, { image: string; env?: Record<string, string>; ports?: string[] }>;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
}

interface Workflow {
  name: string;
  on: Record<string, { branches?: string[]; paths?: string[]; types?: string[] } | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS_DIR = repoPath('.github', 'workflows');
const FILES = readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));

function load(file: string): Workflow {
  const document = parseDocument(readFileSync(repoPath('.github', 'workflows', file), 'utf8'));
  if (document.errors.length > 0) throw new Error(document.errors.join('\n'));
  return document.toJS() as Workflow;
}

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

function stepUsing(workflow: Workflow, action: string): Step {
  const step = steps(workflow).find(({ uses }) => uses?.split('@')[0] === action);
  if (!step) throw new Error(`${workflow.name} does not use ${action}`);
  return step;
}

/** Index of the first step whose `run` contains `command`, -1 when none does. */
function runIndex(workflow: Workflow, command: string): number {
  return steps(workflow).findIndex(({ run }) => run?.includes(command));
}

describe('GitHub workflows', () => {
  it('are the four the project relies on', () => {
    expect(FILES.sort()).toEqual(['chart.yml', 'ci.yml', 'images.yml', 'supergraph.yml']);
  });

  it.each(FILES)('%s parses, names itself, and pins every action to a major version', (file) => {
    const workflow = load(file);
    expect(workflow.name).toEqual(expect.any(String));
    expect(Object.keys(workflow.on).length).toBeGreaterThan(0);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect({ job: name, runsOn: job['runs-on'] }).toEqual({
        job: name,
        runsOn: expect.stringMatching(/^ubuntu-/),
      });
      expect(job.steps[0]?.uses).toMatch(/^actions\/checkout@v\d+$/);
    }
    for (const { uses } of steps(workflow)) {
      if (uses) expect(uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    }
  });

  it.each(FILES)('%s watches only paths that exist', (file) => {
    const triggers = Object.values(load(file).on);
    for (const path of triggers.flatMap((trigger) => trigger?.paths ?? [])) {
      if (!/[*]/.test(path))
        expect({ path, exists: existsSync(repoPath(path)) }).toEqual({ path, exists: true });
    }
  });

  describe('ci.yml', () => {
    const workflow = load('ci.yml');

    it('runs on pushes to main and on pull requests', () => {
      expect(workflow.on.push?.branches).toEqual(['main']);
      expect(workflow.on).toHaveProperty('pull_request');
    });

    it('gives the tests a PostgreSQL 15 with trust auth on 5432', () => {
      const postgres = workflow.jobs.test?.services?.postgres;
      expect(postgres?.image).toBe('postgres:15');
      expect(postgres?.env?.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
      expect(postgres?.ports).toEqual(['5432:5432']);
    });

    it('sets up Node from .nvmrc (24), and Java 17 with Maven for the local Kafka broker', () => {
      expect(stepUsing(workflow, 'actions/setup-node').with?.['node-version-file']).toBe('.nvmrc');
      expect(readFileSync(repoPath('.nvmrc'), 'utf8').trim()).toBe('24');
      expect(stepUsing(workflow, 'actions/setup-java').with?.['java-version']).toBe('17');
      expect(runIndex(workflow, 'mvn --version')).toBeGreaterThanOrEqual(0);
    });

    it('installs, lints, typechecks, builds, proves the production install and tests, in order', () => {
      const order = [
        'npm ci',
        'npm run lint',
        'npm run typecheck',
        'npm run build',
        'npm run check:production-install',
        'npm test',
      ].map((command) => runIndex(workflow, command));
      expect(order.every((index) => index >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });
  });

  describe('supergraph.yml', () => {
    const workflow = load('supergraph.yml');

    it('installs rover with the official script', () => {
      expect(runIndex(workflow, 'curl -sSL https://rover.apollo.dev/nix/')).toBeGreaterThanOrEqual(
        0,
      );
    });

    it('composes supergraph.yaml, accepting the ELv2 licence, and diffs the committed result', () => {
      const compose = runIndex(
        workflow,
        'rover supergraph compose --config supergraph.yaml --elv2-license accept',
      );
      const compare = steps(workflow).findIndex(
        ({ run }) =>
          run?.includes('diff') && run.includes('supergraph.graphql') && run.includes('exit 1'),
      );
      expect(compose).toBeGreaterThanOrEqual(0);
      expect(compare).toBeGreaterThan(compose);
    });

    it('runs whenever a subgraph schema changes', () => {
      const config = readFileSync(repoPath('supergraph.yaml'), 'utf8');
      const schemaFiles = [...config.matchAll(/file:\s*\.?\/?(\S+)/g)].map((match) => match[1]);
      expect(schemaFiles.length).toBeGreaterThan(0);
      expect(workflow.on.pull_request?.paths).toEqual(expect.arrayContaining(schemaFiles));
    });
  });

  describe('images.yml', () => {
    const workflow = load('images.yml');

    it('pushes on main and on published releases', () => {
      expect(workflow.on.push?.branches).toEqual(['main']);
      expect(workflow.on.release?.types).toEqual(['published']);
      expect(workflow.permissions?.packages).toBe('write');
    });

    it('builds every service from the root Dockerfile, in a matrix', () => {
      const matrix = workflow.jobs.image?.strategy?.matrix.service as Record<string, unknown>[];
      expect(matrix).toEqual(
        DELIVERED_SERVICES.map(({ name, dir, port, healthPath }) => ({
          name,
          dir,
          port,
          health_path: healthPath,
        })),
      );
    });

    it('logs in to GHCR and tags by branch, semver and sha', () => {
      expect(stepUsing(workflow, 'docker/login-action').with?.registry).toBe('ghcr.io');
      const tags = String(stepUsing(workflow, 'docker/metadata-action').with?.tags);
      for (const tag of ['type=ref,event=branch', 'type=semver,pattern={{version}}', 'type=sha']) {
        expect(tags).toContain(tag);
      }
      expect(runIndex(workflow, 'ghcr.io/${GITHUB_REPOSITORY,,}/')).toBeGreaterThanOrEqual(0);
    });

    it('builds from the repository root and pushes except for pull requests', () => {
      expect(stepUsing(workflow, 'docker/build-push-action').with).toMatchObject({
        context: '.',
        'build-args': [
          'SERVICE_DIR=${{ matrix.service.dir }}',
          'SERVICE_PORT=${{ matrix.service.port }}',
          'HEALTH_PATH=${{ matrix.service.health_path }}',
          '',
        ].join('\n'),
        push: "${{ github.event_name != 'pull_request' }}",
        tags: '${{ steps.meta.outputs.tags }}',
      });
    });
  });

  describe('chart.yml', () => {
    const workflow = load('chart.yml');

    it('installs the helm version the chart tests use', () => {
      expect(stepUsing(workflow, 'azure/setup-helm').with?.version).toBe(HELM_VERSION);
    });

    it('lints strictly and renders with the default and every ci values file', () => {
      expect(runIndex(workflow, 'helm lint --strict "$CHART"')).toBeGreaterThanOrEqual(0);
      expect(runIndex(workflow, 'for values in "$CHART"/ci/*-values.yaml')).toBeGreaterThanOrEqual(
        0,
      );
      expect(runIndex(workflow, 'helm template cinemaabyss "$CHART"')).toBeGreaterThanOrEqual(0);
      expect(
        readdirSync(repoPath('charts', 'cinemaabyss', 'ci')).every((file) =>
          file.endsWith('-values.yaml'),
        ),
      ).toBe(true);
    });

    it('runs the chart tests with that helm', () => {
      expect(
        runIndex(workflow, 'HELM_BIN="$(command -v helm)" npx jest deploy/src'),
      ).toBeGreaterThanOrEqual(0);
    });
  });
});
