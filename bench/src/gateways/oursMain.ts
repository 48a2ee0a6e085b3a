// First: tracing as the gateway's entry point sets it up, from the env the bench gives this
// child (off unless part 1c asks for it), before the modules it instruments load.
import './gatewayTracing';
import { loadConfig } from '@cinemaabyss/gateway/config';
import { startGateway } from '@cinemaabyss/gateway/testing';
import { serveAsChild } from '../processes/serveAsChild';
import { benchGatewayAuth, readGatewaySpec } from './gatewaySpec';

/**
 * Our gateway as deployed (its documented defaults, silent logger), with the strangler sending
 * every /api/movies request to the movies service (GRADUAL_MIGRATION=true at 100 %). By default
 * it collapses identical in-flight queries into one execution and shares one subgraph call among
 * identical in-flight subgraph fetches; with `--no-inflight-dedup` (`deduplicateInFlight: false`,
 * i.e. DEDUPLICATE_INFLIGHT_QUERIES=false) every query runs its whole plan, as Apollo's does.
 */
serveAsChild(async () => {
  const spec = readGatewaySpec();
  const dedup = !process.argv.includes('--no-inflight-dedup');
  const gateway = await startGateway({
    supergraphPath: spec.supergraphPath,
    subgraphUrls: spec.subgraphUrls,
    monolithUrl: spec.monolithUrl,
    moviesServiceUrl: spec.moviesServiceUrl,
    eventsServiceUrl: spec.eventsServiceUrl,
    dbConnectionString: spec.dbConnectionString,
    gradualMigration: true,
    moviesMigrationPercent: 100,
    ...(!dedup && { deduplicateInFlight: false }),
    ...benchGatewayAuth(spec.auth),
    ...(spec.subscriptions && {
      subscriptions: {
        ...loadConfig({}).subscriptions,
        kafkaBrokers: spec.subscriptions.brokers,
        topicPrefix: spec.subscriptions.topicPrefix,
      },
    }),
  });
  return {
    url: `${gateway.url}/graphql`,
    info: { base: gateway.url },
    stop: () => gateway.stop(),
  };
});
