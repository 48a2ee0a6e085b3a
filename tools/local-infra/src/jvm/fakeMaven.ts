import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What the stand-in for Maven does when called. */
export type FakeMavenBehaviour =
  { succeed: { jar: string; delaySeconds?: number } } | { fail: { error: string } };

/**
 * For the launchers' tests: writes an executable `mvn` into dir that records its arguments and
 * then drops `jar` into its -DoutputDirectory (after a pause that lets concurrent callers
 * overlap), or prints Maven's kind of error and exits 1. Returns its path and its calls.
 */
export async function writeFakeMaven(
  dir: string,
  behaviour: FakeMavenBehaviour,
): Promise<{ mvn: string; calls(): Promise<string[]> }> {
  const mvn = path.join(dir, 'mvn');
  const callsLog = path.join(dir, 'mvn-calls.log');
  const body =
    'succeed' in behaviour
      ? `for arg in "$@"; do case "$arg" in -DoutputDirectory=*) out="\${arg#-DoutputDirectory=}";; esac; done
sleep ${behaviour.succeed.delaySeconds ?? 0}
mkdir -p "$out" && echo jar > "$out/${behaviour.succeed.jar}"`
      : `echo "${behaviour.fail.error}"
exit 1`;
  await writeFile(mvn, `#!/bin/sh\necho "$*" >> '${callsLog}'\n${body}\n`);
  await chmod(mvn, 0o755);
  return {
    mvn,
    calls: async () =>
      existsSync(callsLog) ? (await readFile(callsLog, 'utf8')).trim().split('\n') : [],
  };
}
