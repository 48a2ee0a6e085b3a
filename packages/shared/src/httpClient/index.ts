export * from './keepAliveAgent';
