/**
 * Local infrastructure for development, tests and the bench: servers the platform needs but
 * does not contain, run on this machine from Maven Central jars. Never imported by a service.
 */
export { ensureKafka, KafkaLauncherError, startLocalKafka } from './kafka/localKafka';
export type { LocalKafka, StartLocalKafkaOptions } from './kafka/localKafka';
export { DEFAULT_KAFKA_VERSION } from './kafka/kafkaJars';
