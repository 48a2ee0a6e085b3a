import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';

/**
 * The gateway with every operation run through `wrap(executor)`: the one way work is layered
 * around ApolloGateway's executor (label evaluation, in-flight collapsing).
 */
export function wrapExecutor(
  gateway: GatewayInterface,
  wrap: (executor: GatewayExecutor) => GatewayExecutor,
): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const { executor } = await gateway.load(options);
      return { executor: executor ? wrap(executor) : executor };
    },
  };
}
