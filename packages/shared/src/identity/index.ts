export * from './callerIdentity';
