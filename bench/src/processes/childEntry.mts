/**
 * How every bench child starts: `node childEntry.mts <entry.ts> [args…]`. Node runs this file
 * itself (type stripping), registers tsx to load the TypeScript entry point, and lets
 * serveAsChild drop tsx's module hooks once the server is up (`dropTypeScriptLoader`).
 *
 * Why drop them: a deployed service runs compiled JavaScript on plain Node, while tsx's resolve
 * hook, left in place, runs on every require() made while serving. Apollo's createHash calls
 * `require('crypto')` on each request, so 2–3 % of a gateway's CPU in the bench was the bench's
 * own loader, charged to whichever gateway required at runtime.
 */
import { pathToFileURL } from 'node:url';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

/** Where serveAsChild finds the release (a global: the two sides load through different loaders). */
const DROP_LOADER = Symbol.for('cinemaabyss.bench.dropTypeScriptLoader');

const [, , entry] = process.argv;
if (!entry) throw new Error('usage: node childEntry.mts <entry.ts> [args…]');
// The entry sees itself as the script, with its own arguments after it.
process.argv.splice(1, 2, entry);

const unregisterCommonJs = registerCommonJs();
const unregisterEsm = registerEsm();
(globalThis as Record<symbol, unknown>)[DROP_LOADER] = async () => {
  unregisterCommonJs();
  await unregisterEsm();
};

await import(pathToFileURL(entry).href);
