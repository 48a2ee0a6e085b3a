import type { SupergraphSdlHook } from '@apollo/gateway';
import { readSecurityDirectives } from './securityDirectives';
import type { SecurityIndex } from './securityDirectives';

/**
 * Wraps a supergraph source so that ApolloGateway gets every version of the supergraph without
 * its security directives, while `onIndex` gets what they demand, each time a version is
 * loaded: the gateway enforces them itself.
 */
export function securedSupergraph(
  source: SupergraphSdlHook,
  onIndex: (index: SecurityIndex) => void,
): SupergraphSdlHook {
  return async (options) => {
    const loaded = await source({
      ...options,
      healthCheck: (sdl) => options.healthCheck(readSecurityDirectives(sdl).sdl),
      update: (sdl) => {
        const { sdl: stripped, index } = readSecurityDirectives(sdl);
        options.update(stripped);
        onIndex(index);
      },
    });
    const { sdl, index } = readSecurityDirectives(loaded.supergraphSdl);
    onIndex(index);
    return { ...loaded, supergraphSdl: sdl };
  };
}
