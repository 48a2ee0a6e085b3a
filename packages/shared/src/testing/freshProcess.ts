import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FreshLoad {
  /** Every package under node_modules that loading the module pulled in, scoped ones as `@scope/name`. */
  packages: string[];
  /** What the `probe` expression evaluated to after the load, JSON round-tripped. */
  probe: unknown;
}

/**
 * Requires `modulePath` in a new Node process (through tsx, as `npm start` runs the services)
 * and reports what that load brought with it: a module's graph and import side effects can
 * only be seen from a process that has loaded nothing else.
 */
export async function loadInFreshProcess(modulePath: string, probe = 'null'): Promise<FreshLoad> {
  const script = `
    require(${JSON.stringify(path.resolve(modulePath))});
    const names = new Set();
    for (const file of Object.keys(require.cache)) {
      // The innermost node_modules names the package the file belongs to.
      const match = /.*node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file);
      if (match) names.add(match[1]);
    }
    process.stdout.write(JSON.stringify({ packages: [...names].sort(), probe: (${probe}) }));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: path.dirname(path.resolve(modulePath)),
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as FreshLoad;
}
