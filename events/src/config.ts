import { host, hostList, integer, parseEnv, port, postgresUrl } from '@cinemaabyss/shared/config';

export const DEFAULT_DB_CONNECTION_STRING = 'postgres://postgres@127.0.0.1:5432/cinemaabyss';
export const DEFAULT_KAFKA_BROKERS: readonly string[] = ['127.0.0.1:9092'];

export interface EventsConfig {
  readonly port: number;
  /** Address to listen on (HOST): all interfaces by default, as a container needs. */
  readonly host: string;
  readonly kafkaBrokers: readonly string[];
  /** Holds `processed_events` (and the outbox this service relays). */
  readonly dbConnectionString: string;
  /** Partitions of the topics created at start; existing topics are left alone. */
  readonly topicPartitions: number;
  /**
   * Put before every topic name, outbox topics included, so deployments (or test files) can
   * share one cluster without reading each other's events.
   */
  readonly topicPrefix: string;
  /** One group for all three topics: instances of this service share the partitions. */
  readonly consumerGroupId: string;
  /** Handling attempts of one event before it goes to the dead-letter topic. */
  readonly maxAttempts: number;
  /** Whether this instance publishes the outbox (several may; see the relay's lanes). */
  readonly relayOutbox: boolean;
  /**
   * How long processed_events rows are kept for deduplication (0 keeps them). Longer than the
   * topics' retention (Kafka's default is 7 days), so any copy still deliverable is recognised.
   */
  readonly processedEventsRetentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const ENV = {
  PORT: port(8082),
  HOST: host('0.0.0.0'),
  KAFKA_BROKERS: hostList(DEFAULT_KAFKA_BROKERS),
  DB_CONNECTION_STRING: postgresUrl(DEFAULT_DB_CONNECTION_STRING),
  KAFKA_TOPIC_PARTITIONS: integer(3, { min: 1, max: 1000 }),
  PROCESSED_EVENTS_RETENTION_DAYS: integer(14, { min: 0, max: 3650 }),
};

/** Reads and validates the environment once; throws a ConfigError naming a bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): EventsConfig {
  const vars = parseEnv(ENV, env);
  return Object.freeze({
    port: vars.PORT,
    host: vars.HOST,
    kafkaBrokers: vars.KAFKA_BROKERS,
    dbConnectionString: vars.DB_CONNECTION_STRING,
    topicPartitions: vars.KAFKA_TOPIC_PARTITIONS,
    topicPrefix: '',
    consumerGroupId: 'cinemaabyss-events',
    maxAttempts: 3,
    relayOutbox: true,
    processedEventsRetentionMs: vars.PROCESSED_EVENTS_RETENTION_DAYS * DAY_MS,
  });
}
