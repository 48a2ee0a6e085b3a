import { startGateway } from '@cinemaabyss/gateway/testing';
import { serveAsChild } from '../processes/serveAsChild';
import { readGatewaySpec } from './gatewaySpec';

/**
 * Our gateway as deployed (its documented defaults, silent logger), with the strangler sending
 * every /api/movies request to the movies service (GRADUAL_MIGRATION=true at 100 %).
 */
serveAsChild(async () => {
  const spec = readGatewaySpec();
  const gateway = await startGateway({
    supergraphPath: spec.supergraphPath,
    subgraphUrls: spec.subgraphUrls,
    monolithUrl: spec.monolithUrl,
    moviesServiceUrl: spec.moviesServiceUrl,
    eventsServiceUrl: spec.eventsServiceUrl,
    gradualMigration: true,
    moviesMigrationPercent: 100,
  });
  return {
    url: `${gateway.url}/graphql`,
    info: { base: gateway.url },
    stop: () => gateway.stop(),
  };
});
