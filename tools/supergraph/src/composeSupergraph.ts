import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';

/** The repository's supergraph.yaml and the committed result of composing it. */
export const SUPERGRAPH_CONFIG_PATH = path.resolve(__dirname, '../../../supergraph.yaml');
export const SUPERGRAPH_PATH = path.resolve(__dirname, '../../../supergraph.graphql');

interface SupergraphConfig {
  federation_version?: string;
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

export type CompositionResult =
  | { ok: true; supergraphSdl: string; hints: string[] }
  | { ok: false; errors: string[]; hints: string[] };

export interface ComposeOptions {
  /** Rewrites a subgraph's SDL before composing (the bench composes a label-free variant). */
  editSchema?: (subgraph: string, sdl: string) => string;
}

/** Composes the subgraphs named in a rover-format config, as `rover supergraph compose` does. */
export async function composeSupergraph(
  configPath = SUPERGRAPH_CONFIG_PATH,
  { editSchema = (_subgraph, sdl) => sdl }: ComposeOptions = {},
): Promise<CompositionResult> {
  const config = parseYaml(await readFile(configPath, 'utf8')) as SupergraphConfig;
  const baseDir = path.dirname(configPath);
  const services = await Promise.all(
    Object.entries(config.subgraphs).map(async ([name, subgraph]) => ({
      name,
      url: subgraph.routing_url,
      typeDefs: parse(
        editSchema(name, await readFile(path.resolve(baseDir, subgraph.schema.file), 'utf8')),
      ),
    })),
  );
  const result = composeServices(services);
  const hints = (result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`);
  if (result.errors) {
    return { ok: false, errors: result.errors.map((e) => e.message), hints };
  }
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`, hints };
}
