export * from './insertOutboxEvent';
export * from './outboxRelay';
