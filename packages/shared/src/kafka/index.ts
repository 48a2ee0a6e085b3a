export { ensureKafka, KafkaLauncherError, parseBrokerList, startLocalKafka } from './localKafka';
export type { LocalKafka, StartLocalKafkaOptions } from './localKafka';
export { ALL_TOPICS, ensureTopics, TOPICS } from './topics';
export type { EnsureTopicsOptions } from './topics';
export { DEFAULT_KAFKA_VERSION } from './kafkaJars';
