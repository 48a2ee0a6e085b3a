export { createKafkaClient } from './kafkaClient';
export { ALL_TOPICS, countTopicRecords, ensureTopics, TOPICS } from './topics';
export type { EnsureTopicsOptions } from './topics';
export { createEventBus } from './eventBus';
export type { EventBus, EventBusOptions, PartitionPosition } from './eventBus';
export { EventBusUnavailableError } from './eventBusErrors';
export type {
  EventProducer,
  EventProducerOptions,
  OutgoingRecord,
  RecordPosition,
  SendOptions,
} from './eventProducer';
export type {
  ConsumedRecord,
  ConsumedRecordContext,
  EventConsumer,
  EventConsumerOptions,
  PartitionLag,
  RecordHandler,
} from './eventConsumer';
export type { TraceCarrier } from './messageTracing';
