export * from './testDatabase';
export * from './http';
export * from './contracts/expectations';
export * from './contracts/moviesRestContract';
export * from './freshProcess';
export * from './mockBackends';
export * from './graphql';
