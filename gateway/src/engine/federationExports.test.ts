import { assertFederationExports, federation, mismatchedExports } from './federationExports';

describe("Apollo Federation's public exports the engine is built from", () => {
  it('are all there, with the parameters the engine passes', () => {
    expect(mismatchedExports()).toEqual([]);
    expect(() => assertFederationExports()).not.toThrow();
  });

  it('are named when one is gone or takes fewer parameters, so an upgrade fails loudly', () => {
    const reshaped = {
      ...federation,
      executeQueryPlan: (plan: unknown) => plan,
      buildOperationContext: undefined,
    } as unknown as typeof federation;

    expect(mismatchedExports(reshaped)).toEqual(['buildOperationContext', 'executeQueryPlan']);
    expect(() => assertFederationExports(reshaped)).toThrow(
      /buildOperationContext, executeQueryPlan no longer fit/,
    );
  });

  it("include the error codes executePlan raises with, by each code's constructor", () => {
    const reshaped = { ...federation, ERRORS: {} } as unknown as typeof federation;

    expect(mismatchedExports(reshaped)).toEqual([
      'ERRORS.INVALID_GRAPHQL.err',
      'ERRORS.DOWNSTREAM_SERVICE_ERROR.err',
    ]);
  });

  it('include a planner method that is checked on its prototype', () => {
    class PlannerWithoutConditions {
      constructor(readonly supergraph: unknown) {}
      buildQueryPlan(operation: unknown) {
        return operation;
      }
    }
    const reshaped = { ...federation, QueryPlanner: PlannerWithoutConditions };

    expect(mismatchedExports(reshaped as unknown as typeof federation)).toEqual([
      'QueryPlanner#buildQueryPlan',
    ]);
  });
});
