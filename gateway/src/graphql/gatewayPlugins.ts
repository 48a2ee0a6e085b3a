import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayMetrics } from '../metrics';
import type { GatewayContext } from './subgraphDataSource';

/** Messages of failed subgraph fetches name hosts and sockets; clients get the subgraph name. */
const FETCH_FAILURE = /fetch|ECONNREFUSED|ECONNRESET|socket|timeout|aborted|network/i;

/**
 * Errors leave the gateway with a code, the subgraph that raised them (`serviceName`) and the
 * subgraph's own message; nothing else (no stack traces, hostnames or internal extensions).
 */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  const serviceName =
    typeof extensions.serviceName === 'string' ? extensions.serviceName : undefined;
  let code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR';
  let message = formatted.message;
  if (code === 'INTERNAL_SERVER_ERROR' || code === 'DOWNSTREAM_SERVICE_ERROR') {
    if (serviceName && FETCH_FAILURE.test(message)) {
      code = 'SERVICE_UNAVAILABLE';
      message = `subgraph ${serviceName} is unavailable`;
    } else if (!serviceName) {
      message = 'internal error';
    }
  }
  return {
    message,
    ...(formatted.locations && { locations: formatted.locations }),
    ...(formatted.path && { path: formatted.path }),
    extensions: { code, ...(serviceName && { serviceName }) },
  };
}

/** Counts operations by type and outcome, and errors by code, for /metrics. */
export function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            metrics.graphqlErrors.inc({ code: typeof code === 'string' ? code : 'UNKNOWN' });
          }
        },
        async willSendResponse({ operation, response }) {
          const failed =
            response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          metrics.graphqlOperations.inc({
            operation: operation?.operation ?? 'unknown',
            outcome: failed ? 'error' : 'ok',
          });
        },
      };
    },
  };
}
