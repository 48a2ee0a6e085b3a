import { startGateway } from '@cinemaabyss/gateway/testing';
import { createLogger } from '@cinemaabyss/shared/logging';

/**
 * Our gateway as The Guild's federation-gateway-audit runs it, one process per suite
 * (`bench/audit/run.sh`): the whole gateway (engine, labels, authorization, collapsing, the
 * dial on PostgreSQL) on the suite's supergraph, at 127.0.0.1:4000 with `/health`. The REST
 * backends are not part of the audit, so their URLs point nowhere.
 */
async function main(): Promise<void> {
  const [supergraphPath] = process.argv.slice(2);
  const dbConnectionString = process.env.AUDIT_DATABASE_URL;
  if (!supergraphPath || !dbConnectionString) {
    throw new Error('usage: AUDIT_DATABASE_URL=… auditGatewayMain.ts <supergraph.graphql>');
  }
  const nowhere = 'http://127.0.0.1:9';
  const gateway = await startGateway(
    {
      supergraphPath,
      subgraphUrls: {},
      monolithUrl: nowhere,
      moviesServiceUrl: nowhere,
      eventsServiceUrl: nowhere,
      dbConnectionString,
      port: 4000,
    },
    { logger: createLogger({ name: 'gateway', level: 'warn' }) },
  );
  const stop = () => void gateway.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
