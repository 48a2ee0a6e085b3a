import {
  ConfigError,
  readBoolean,
  readHost,
  readHostList,
  readHttpUrl,
  readInteger,
  readPort,
  readPostgresUrl,
} from './config';

describe('config readers', () => {
  it('falls back when the variable is unset or blank', () => {
    expect(readPort({}, 'PORT', 8080)).toBe(8080);
    expect(readPort({ PORT: '  ' }, 'PORT', 8080)).toBe(8080);
    expect(readBoolean({}, 'GRADUAL_MIGRATION', false)).toBe(false);
  });

  it('parses valid values', () => {
    expect(readPort({ PORT: '0' }, 'PORT', 8080)).toBe(0);
    expect(readHttpUrl({ U: 'http://x:1/' }, 'U', 'http://y')).toBe('http://x:1');
    expect(readBoolean({ B: 'TRUE' }, 'B', false)).toBe(true);
    expect(readInteger({ P: '50' }, 'P', 0, { min: 0, max: 100 })).toBe(50);
    expect(readHostList({ K: 'a:9092, b:9093' }, 'K')).toEqual(['a:9092', 'b:9093']);
    expect(readHost({}, 'HOST', '0.0.0.0')).toBe('0.0.0.0');
    expect(readHost({ HOST: ' ::1 ' }, 'HOST', '0.0.0.0')).toBe('::1');
  });

  it.each([
    ['PORT', () => readPort({ PORT: 'abc' }, 'PORT', 1)],
    ['PORT', () => readPort({ PORT: '70000' }, 'PORT', 1)],
    ['MONOLITH_URL', () => readHttpUrl({ MONOLITH_URL: 'not a url' }, 'MONOLITH_URL', '')],
    ['MONOLITH_URL', () => readHttpUrl({ MONOLITH_URL: 'ftp://x' }, 'MONOLITH_URL', '')],
    [
      'DB_CONNECTION_STRING',
      () => readPostgresUrl({ DB_CONNECTION_STRING: 'mysql://x/db' }, 'DB_CONNECTION_STRING', ''),
    ],
    [
      'DB_CONNECTION_STRING',
      () => readPostgresUrl({ DB_CONNECTION_STRING: 'postgres://x' }, 'DB_CONNECTION_STRING', ''),
    ],
    [
      'GRADUAL_MIGRATION',
      () => readBoolean({ GRADUAL_MIGRATION: 'maybe' }, 'GRADUAL_MIGRATION', false),
    ],
    [
      'MOVIES_MIGRATION_PERCENT',
      () =>
        readInteger({ MOVIES_MIGRATION_PERCENT: '150' }, 'MOVIES_MIGRATION_PERCENT', 0, {
          min: 0,
          max: 100,
        }),
    ],
    ['HOST', () => readHost({ HOST: '0.0.0.0 ' + 'x' }, 'HOST', '0.0.0.0')],
    ['HOST', () => readHost({ HOST: 'host/path' }, 'HOST', '0.0.0.0')],
    ['KAFKA_BROKERS', () => readHostList({ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS')],
    ['KAFKA_BROKERS', () => readHostList({ KAFKA_BROKERS: 'a:1,host:port' }, 'KAFKA_BROKERS')],
    ['KAFKA_BROKERS', () => readHostList({ KAFKA_BROKERS: 'a:1 b:2' }, 'KAFKA_BROKERS')],
    ['KAFKA_BROKERS', () => readHostList({ KAFKA_BROKERS: 'http://a:1' }, 'KAFKA_BROKERS')],
  ])('rejects a bad %s with a ConfigError naming it', (name, read) => {
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(name);
  });
});

describe('readHostList', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    [' , ', undefined],
    ['127.0.0.1:9092', ['127.0.0.1:9092']],
    ['a:1,,b:2,', ['a:1', 'b:2']],
    [' kafka-1:9092 , kafka-2:9093 ', ['kafka-1:9092', 'kafka-2:9093']],
    ['[::1]:9092', ['[::1]:9092']],
  ])('reads %p as %p', (value, expected) => {
    expect(readHostList({ KAFKA_BROKERS: value }, 'KAFKA_BROKERS')).toEqual(expected);
  });

  it('names every bad entry', () => {
    expect(() => readHostList({ KAFKA_BROKERS: 'a:1,b,c:x' }, 'KAFKA_BROKERS')).toThrow(
      'KAFKA_BROKERS must be a comma-separated list of host:port; bad entries: "b", "c:x"',
    );
  });
});
