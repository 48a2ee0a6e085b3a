export * from './startMonolithSubgraph';
export * from './closedLoopbackUrl';
export * from './legacyMock';
