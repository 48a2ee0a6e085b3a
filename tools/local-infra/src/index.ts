/**
 * Local infrastructure for development, tests and the bench: servers the platform needs but
 * does not contain (the Kafka broker, the Zipkin tracing backend), run on this machine from
 * Maven Central jars. Never imported by a service.
 */
export { ensureKafka, KafkaLauncherError, startLocalKafka } from './kafka/localKafka';
export type { LocalKafka, StartLocalKafkaOptions } from './kafka/localKafka';
export { DEFAULT_KAFKA_VERSION } from './kafka/kafkaJars';
export { startLocalZipkin, ZipkinLauncherError } from './zipkin/localZipkin';
export type { LocalZipkin, StartLocalZipkinOptions } from './zipkin/localZipkin';
export { DEFAULT_ZIPKIN_VERSION } from './zipkin/zipkinJar';
export { ensureTracingBackend } from './zipkin/tracingBackend';
export type { TracingBackend } from './zipkin/tracingBackend';
export { waitForHealth } from './waitForHealth';
export { findFreePort } from './jvm/freePort';
export { hasExited, stopChild } from './process/stopChild';
export type { StopChildOptions } from './process/stopChild';
export {
  DEV_TOKEN_AUDIENCE,
  DEV_TOKEN_ISSUER,
  devGatewayAuthEnv,
  devSigningKeyFiles,
  ensureDevSigningKey,
  signDevToken,
} from './auth/devSigningKey';
export type { DevSigningKeyFiles, DevTokenClaims } from './auth/devSigningKey';
