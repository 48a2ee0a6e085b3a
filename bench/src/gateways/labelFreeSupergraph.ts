import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { composeSupergraph } from '@cinemaabyss/supergraph';

/**
 * The committed supergraph with every progressive `@override` made a plain one: the movies
 * subgraph owns the migrated fields outright. Every gateway of the comparison serves this one, so
 * all plan the same fetches (stock Apollo and Hive would plan a label they cannot evaluate as
 * false, the monolith side), and ours on the labelled supergraph against it measures what label
 * evaluation alone costs.
 */
export async function writeLabelFreeSupergraph(dir: string): Promise<string> {
  const result = await composeSupergraph(undefined, {
    editSchema: (_subgraph, sdl) => sdl.replace(/,\s*label:\s*"[^"]*"/g, ''),
  });
  if (!result.ok) throw new Error(`label-free composition failed: ${result.errors.join('; ')}`);
  if (result.supergraphSdl.includes('overrideLabel: "')) {
    throw new Error('the label-free supergraph still has override labels');
  }
  const file = path.join(dir, 'supergraph.label-free.graphql');
  await writeFile(file, result.supergraphSdl);
  return file;
}
