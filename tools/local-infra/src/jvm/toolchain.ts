import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Kafka 4.x brokers and Zipkin 3 are compiled for Java 17. */
export const MIN_JAVA_MAJOR = 17;

export interface Toolchain {
  /** Absolute path of the `java` launcher. */
  java: string;
  /** Absolute path of the `mvn` launcher. */
  mvn: string;
}

/** Like `which`: the first executable file called `name` on `env.PATH`, or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `$JAVA_HOME/bin/java` wins over PATH, as it does for Maven and Kafka's own scripts. */
function findJava(env: NodeJS.ProcessEnv): string | undefined {
  if (env.JAVA_HOME) {
    const fromHome = path.join(env.JAVA_HOME, 'bin', 'java');
    if (isExecutableFile(fromHome)) return fromHome;
  }
  return findExecutable('java', env);
}

/** Reads the major version from `java -version` (it prints to stderr): 1.8 → 8, 17.0.15 → 17. */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/**
 * Finds java and mvn and checks the Java version. Every problem is listed at once, so a
 * developer fixes the machine in one go instead of one tool at a time; the caller says what
 * it needed them for.
 */
export async function inspectToolchain(
  env: NodeJS.ProcessEnv,
): Promise<{ toolchain?: Toolchain; problems: string[] }> {
  const java = findJava(env);
  const mvn = findExecutable('mvn', env);
  const problems: string[] = [];
  if (!java) problems.push('`java` was not found on PATH (nor in JAVA_HOME)');
  if (!mvn) problems.push('`mvn` (Maven) was not found on PATH');
  if (java) {
    const major = await readJavaMajorVersion(java, env);
    if (major === undefined) problems.push(`could not read the version of ${java}`);
    else if (major < MIN_JAVA_MAJOR) problems.push(`${java} is Java ${major}`);
  }
  if (problems.length > 0 || !java || !mvn) return { problems };
  return { toolchain: { java, mvn }, problems };
}

/** What to install, for the messages of the launchers. */
export const INSTALL_JAVA_HINT = `Install Java ${MIN_JAVA_MAJOR}+ and Maven (e.g. \`apt-get install openjdk-17-jre-headless maven\`)`;

async function readJavaMajorVersion(
  java: string,
  env: NodeJS.ProcessEnv,
): Promise<number | undefined> {
  try {
    const { stdout, stderr } = await execFileAsync(java, ['-version'], { env, timeout: 30_000 });
    return parseJavaMajorVersion(`${stderr}\n${stdout}`);
  } catch {
    return undefined;
  }
}
