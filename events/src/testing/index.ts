export * from './startEventsService';
export * from './kafkaRecords';
export * from './eventually';
