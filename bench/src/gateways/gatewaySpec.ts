/** Where a gateway under test finds the supergraph and the backends (passed as JSON in argv). */
export interface GatewaySpec {
  supergraphPath: string;
  /** By subgraph name, as in the supergraph's join__Graph. */
  subgraphUrls: Record<string, string>;
  /** REST backends, for our gateway's strangler shim. */
  monolithUrl: string;
  moviesServiceUrl: string;
  eventsServiceUrl: string;
  /** The database of our gateway's live migration dial (the bench's throw-away one). */
  dbConnectionString: string;
}

export function readGatewaySpec(): GatewaySpec {
  const raw = process.argv[2];
  if (!raw) throw new Error('expected the gateway spec as JSON in argv[2]');
  return JSON.parse(raw) as GatewaySpec;
}
