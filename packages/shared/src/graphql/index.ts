export * from './graphqlErrors';
export * from './mountSubgraph';
export * from './ids';
export * from './servableOperationPlugin';
export * from './guardEntityRepresentations';
export * from './pagination';
