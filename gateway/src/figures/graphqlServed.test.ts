import type { GatewayExecutionResult } from '@apollo/server-gateway-interface';
import type { ServedRequest } from './figuresRecorder';
import { countGraphqlServed, subgraphFailed } from './graphqlServed';

const failedOn = (serviceName: string, code: string): GatewayExecutionResult =>
  ({
    data: null,
    errors: [{ message: 'x', extensions: { code, serviceName } }],
  }) as unknown as GatewayExecutionResult;

describe('GraphQL operations in the fleet figures', () => {
  it('counts a side’s subgraph failing, never a client’s mistake or another subgraph', () => {
    expect(subgraphFailed(failedOn('movies', 'SERVICE_UNAVAILABLE'), 'movies')).toBe(true);
    expect(subgraphFailed(failedOn('movies', 'DOWNSTREAM_SERVICE_ERROR'), 'movies')).toBe(true);
    expect(subgraphFailed(failedOn('movies', 'BAD_USER_INPUT'), 'movies')).toBe(false);
    expect(subgraphFailed(failedOn('monolith', 'SERVICE_UNAVAILABLE'), 'movies')).toBe(false);
    expect(subgraphFailed({ data: {} }, 'movies')).toBe(false);
  });

  it('counts each migration label on the side it chose; a thrown execution is a failure', () => {
    const served: ServedRequest[] = [];
    const figures = { served: (request: ServedRequest) => void served.push(request) };
    const decisions = [
      { label: 'migration:movies', active: true, migration: 'movies', servedBy: 'movies' },
      { label: 'percent(5)', active: false, migration: undefined, servedBy: 'monolith' },
    ];
    countGraphqlServed(figures, decisions, failedOn('movies', 'SERVICE_UNAVAILABLE'), 12);
    countGraphqlServed(
      figures,
      [{ ...decisions[0]!, active: false, servedBy: 'monolith' }],
      undefined,
      3,
    );
    expect(served).toEqual([
      { migration: 'movies', side: 'new', surface: 'graphql', failed: true, durationMs: 12 },
      { migration: 'movies', side: 'old', surface: 'graphql', failed: true, durationMs: 3 },
    ]);
  });
});
