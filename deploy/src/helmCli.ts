/**
 * `npm run helm -- <args>`: runs the pinned helm (see helm.ts) without installing one, e.g.
 * `npm run helm -- template demo charts/cinemaabyss --values charts/cinemaabyss/ci/canary-nginx-values.yaml`.
 */
import { spawnSync } from 'node:child_process';
import { ensureHelm } from './helm';

ensureHelm({ log: (message) => process.stderr.write(`${message}\n`) }).then(
  (helm) => {
    const result = spawnSync(helm, process.argv.slice(2), { stdio: 'inherit' });
    process.exitCode = result.error ? 1 : (result.status ?? 1);
    if (result.error) process.stderr.write(`${result.error.message}\n`);
  },
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  },
);
