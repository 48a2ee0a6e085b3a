export * from './pool';
export * from './pgErrors';
export * from './database';
export * from './migrate';
export * from './notifications';
export * from './leaderLock';
