/** `npm run supergraph:compose`: writes supergraph.graphql, or prints why composition failed. */
import { writeFile } from 'node:fs/promises';
import { composeSupergraph, SUPERGRAPH_PATH } from '@cinemaabyss/supergraph';

async function main(): Promise<number> {
  const result = await composeSupergraph();
  for (const hint of result.hints) process.stderr.write(`hint: ${hint}\n`);
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`error: ${error}\n`);
    process.stderr.write(`composition failed with ${result.errors.length} error(s)\n`);
    return 1;
  }
  await writeFile(SUPERGRAPH_PATH, result.supergraphSdl);
  process.stdout.write(`wrote ${SUPERGRAPH_PATH}\n`);
  return 0;
}

main().then((code) => process.exit(code));
