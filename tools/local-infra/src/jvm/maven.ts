import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs `mvn -B -q <args>`; on failure throws an Error whose message is the last lines Maven
 * printed (its own "[ERROR] …" explanation), for the caller to put behind its own words.
 */
export async function runMaven(mvn: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await execFileAsync(mvn, ['-B', '-q', '-Dstyle.color=never', ...args], {
      env,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(tail || String(error), { cause: error });
  }
}
