export * from './domainEvent';
export * from './entityEvents';
