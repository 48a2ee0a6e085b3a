import { ConfigError } from '@cinemaabyss/shared/config';
import { loadConfig } from './config';

describe('events service config', () => {
  it('defaults to port 8082, a local broker and the cinemaabyss database', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8082,
      kafkaBrokers: ['127.0.0.1:9092'],
      dbConnectionString: 'postgres://postgres@127.0.0.1:5432/cinemaabyss',
      topicPartitions: 3,
      topicPrefix: '',
      processedEventsRetentionMs: 14 * 24 * 60 * 60 * 1000,
    });
  });

  it('reads PROCESSED_EVENTS_RETENTION_DAYS, 0 keeping every row, and refuses a bad one', () => {
    expect(loadConfig({ PROCESSED_EVENTS_RETENTION_DAYS: '0' }).processedEventsRetentionMs).toBe(0);
    expect(loadConfig({ PROCESSED_EVENTS_RETENTION_DAYS: '30' }).processedEventsRetentionMs).toBe(
      30 * 24 * 60 * 60 * 1000,
    );
    expect(() => loadConfig({ PROCESSED_EVENTS_RETENTION_DAYS: '-1' })).toThrow(
      /PROCESSED_EVENTS_RETENTION_DAYS/,
    );
  });

  it('reads the documented variables', () => {
    const config = loadConfig({
      PORT: '9000',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      DB_CONNECTION_STRING: 'postgres://app@db:5432/events',
      KAFKA_TOPIC_PARTITIONS: '6',
    });
    expect(config).toMatchObject({
      port: 9000,
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      dbConnectionString: 'postgres://app@db:5432/events',
      topicPartitions: 6,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['KAFKA_BROKERS', 'kafka'],
    ['PORT', 'http'],
    ['DB_CONNECTION_STRING', 'mysql://x/y'],
    ['KAFKA_TOPIC_PARTITIONS', '0'],
  ])('refuses a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
