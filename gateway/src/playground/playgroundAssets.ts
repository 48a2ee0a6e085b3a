import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const GATEWAY_DIR = path.resolve(__dirname, '..', '..');

/** The playground's browser sources (entry.tsx and its stylesheet), built by `npm run build`. */
export const PLAYGROUND_SOURCE_DIR = path.join(GATEWAY_DIR, 'playground');
export const PLAYGROUND_ENTRY = path.join(PLAYGROUND_SOURCE_DIR, 'entry.tsx');
/** The built files: content-hashed names, each beside its `.br` and `.gz`. */
export const PLAYGROUND_ASSETS_DIR = path.join(GATEWAY_DIR, 'dist', 'public', 'playground');
/** Outside the served folder: which hashed files the page links, and what they were built from. */
export const PLAYGROUND_MANIFEST = path.join(GATEWAY_DIR, 'dist', 'public', 'playground.json');

const manifestSchema = z.object({
  /** A hash of every input of the build; the build tooling compares it to skip a rebuild. */
  inputHash: z.string().min(1),
  /** File names inside the assets folder. */
  js: z.string().regex(/^[\w.-]+\.js$/),
  css: z.string().regex(/^[\w.-]+\.css$/),
});

/** What the build leaves for the gateway to serve. */
export type WebAssetsManifest = z.infer<typeof manifestSchema>;

/**
 * Reads a build's manifest. Rejects with an error that says how to build when there is none
 * (a checkout where `npm run build` has not run), so the gateway fails at start-up.
 */
export async function readWebAssetsManifest(
  manifestPath = PLAYGROUND_MANIFEST,
): Promise<WebAssetsManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    throw new Error(
      `no built front-end assets at ${manifestPath}: run \`npm run build\` (npm start does it)`,
      { cause: err },
    );
  }
  return manifestSchema.parse(JSON.parse(text));
}
