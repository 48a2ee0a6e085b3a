export * from './startMonolithSubgraph';
export * from './postGraphql';
export * from './closedLoopbackUrl';
export * from './legacyMock';
