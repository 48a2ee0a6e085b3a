export * from './errors';
export * from './createHttpApp';
export * from './routes';
export * from './lifecycle';
