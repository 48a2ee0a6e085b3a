import {
  ConfigError,
  boolean,
  host,
  hostList,
  httpUrl,
  integer,
  oneOf,
  parseEnv,
  port,
  postgresUrl,
  ratio,
  text,
} from './config';
import type { Env } from './config';

describe('config schemas', () => {
  it('falls back when the variable is unset or blank', () => {
    expect(parseEnv({ PORT: port(8080) }, {}).PORT).toBe(8080);
    expect(parseEnv({ PORT: port(8080) }, { PORT: '  ' }).PORT).toBe(8080);
    expect(parseEnv({ GRADUAL_MIGRATION: boolean(false) }, {}).GRADUAL_MIGRATION).toBe(false);
  });

  it('parses valid values', () => {
    expect(parseEnv({ PORT: port(8080) }, { PORT: '0' }).PORT).toBe(0);
    expect(parseEnv({ U: httpUrl('http://y') }, { U: 'http://x:1/' }).U).toBe('http://x:1');
    expect(parseEnv({ B: boolean(false) }, { B: 'TRUE' }).B).toBe(true);
    expect(parseEnv({ P: integer(0, { min: 0, max: 100 }) }, { P: '50' }).P).toBe(50);
    expect(parseEnv({ K: hostList() }, { K: 'a:9092, b:9093' }).K).toEqual(['a:9092', 'b:9093']);
    expect(parseEnv({ HOST: host('0.0.0.0') }, {}).HOST).toBe('0.0.0.0');
    expect(parseEnv({ HOST: host('0.0.0.0') }, { HOST: ' ::1 ' }).HOST).toBe('::1');
  });

  it.each([
    ['PORT', () => parseEnv({ PORT: port(1) }, { PORT: 'abc' })],
    ['PORT', () => parseEnv({ PORT: port(1) }, { PORT: '70000' })],
    ['MONOLITH_URL', () => parseEnv({ MONOLITH_URL: httpUrl('') }, { MONOLITH_URL: 'not a url' })],
    ['MONOLITH_URL', () => parseEnv({ MONOLITH_URL: httpUrl('') }, { MONOLITH_URL: 'ftp://x' })],
    [
      'DB_CONNECTION_STRING',
      () =>
        parseEnv(
          { DB_CONNECTION_STRING: postgresUrl('') },
          { DB_CONNECTION_STRING: 'mysql://x/db' },
        ),
    ],
    [
      'DB_CONNECTION_STRING',
      () =>
        parseEnv(
          { DB_CONNECTION_STRING: postgresUrl('') },
          { DB_CONNECTION_STRING: 'postgres://x' },
        ),
    ],
    [
      'GRADUAL_MIGRATION',
      () => parseEnv({ GRADUAL_MIGRATION: boolean(false) }, { GRADUAL_MIGRATION: 'maybe' }),
    ],
    [
      'MOVIES_MIGRATION_PERCENT',
      () =>
        parseEnv(
          { MOVIES_MIGRATION_PERCENT: integer(0, { min: 0, max: 100 }) },
          { MOVIES_MIGRATION_PERCENT: '150' },
        ),
    ],
    ['HOST', () => parseEnv({ HOST: host('0.0.0.0') }, { HOST: '0.0.0.0 ' + 'x' })],
    ['HOST', () => parseEnv({ HOST: host('0.0.0.0') }, { HOST: 'host/path' })],
    [
      'KAFKA_BROKERS',
      () => parseEnv({ KAFKA_BROKERS: hostList() }, { KAFKA_BROKERS: 'localhost' }),
    ],
    [
      'KAFKA_BROKERS',
      () => parseEnv({ KAFKA_BROKERS: hostList() }, { KAFKA_BROKERS: 'a:1,host:port' }),
    ],
    ['KAFKA_BROKERS', () => parseEnv({ KAFKA_BROKERS: hostList() }, { KAFKA_BROKERS: 'a:1 b:2' })],
    [
      'KAFKA_BROKERS',
      () => parseEnv({ KAFKA_BROKERS: hostList() }, { KAFKA_BROKERS: 'http://a:1' }),
    ],
  ])('rejects a bad %s with a ConfigError naming it', (name, read) => {
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(name);
  });

  // The messages operators already know, word for word.
  it.each<[string, Env, string]>([
    ['PORT', { PORT: ' x ' }, 'PORT must be a port number between 0 and 65535, got "x"'],
    ['HOST', { HOST: 'a b' }, 'HOST must be a hostname or an IP address, got "a b"'],
    ['URL', { URL: 'nope' }, 'URL must be an absolute URL, got "nope"'],
    ['URL', { URL: 'ftp://x' }, 'URL must be an http or https URL, got "ftp://x"'],
    ['DB', { DB: 'not a url' }, 'DB must be a postgres:// connection string, got an invalid URL'],
    ['DB', { DB: 'mysql://x/db' }, 'DB must start with postgres:// or postgresql://'],
    [
      'DB',
      { DB: 'postgres://x' },
      'DB must name a database, e.g. postgres://host:5432/cinemaabyss',
    ],
    ['FLAG', { FLAG: ' maybe ' }, 'FLAG must be true or false, got " maybe "'],
    ['COUNT', { COUNT: '1.5' }, 'COUNT must be a whole number from 0 to 10, got "1.5"'],
    ['RATIO', { RATIO: '1.5' }, 'RATIO must be a ratio from 0 to 1, got "1.5"'],
    ['SWITCH', { SWITCH: ' Maybe' }, 'SWITCH must be on or off, got " Maybe"'],
  ])('refuses a bad %s with the message it always had (%p)', (_name, env, message) => {
    const shape = {
      PORT: port(1),
      HOST: host('h'),
      URL: httpUrl('http://u'),
      DB: postgresUrl('postgres://h/db'),
      FLAG: boolean(false),
      COUNT: integer(0, { min: 0, max: 10 }),
      RATIO: ratio(1),
      SWITCH: oneOf(['on', 'off'], { expected: 'on or off' }),
    };
    expect(() => parseEnv(shape, env)).toThrow(new ConfigError(message));
  });
});

describe('hostList', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    [' , ', undefined],
    ['127.0.0.1:9092', ['127.0.0.1:9092']],
    ['a:1,,b:2,', ['a:1', 'b:2']],
    [' kafka-1:9092 , kafka-2:9093 ', ['kafka-1:9092', 'kafka-2:9093']],
    ['[::1]:9092', ['[::1]:9092']],
  ])('reads %p as %p', (value, expected) => {
    expect(parseEnv({ KAFKA_BROKERS: hostList() }, { KAFKA_BROKERS: value }).KAFKA_BROKERS).toEqual(
      expected,
    );
  });

  it('names every bad entry', () => {
    expect(() => parseEnv({ KAFKA_BROKERS: hostList() }, { KAFKA_BROKERS: 'a:1,b,c:x' })).toThrow(
      'KAFKA_BROKERS must be a comma-separated list of host:port; bad entries: "b", "c:x"',
    );
  });

  it('falls back to its default when unset, blank or only commas', () => {
    const shape = { KAFKA_BROKERS: hostList(['127.0.0.1:9092']) };
    expect(parseEnv(shape, {}).KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(parseEnv(shape, { KAFKA_BROKERS: ' , ' }).KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
  });
});

describe('parseEnv', () => {
  const shape = {
    PORT: port(8080),
    HOST: host('0.0.0.0'),
    MONOLITH_URL: httpUrl('http://127.0.0.1:8080/'),
    EVENTS_URL: httpUrl(),
    DB_CONNECTION_STRING: postgresUrl('postgres://127.0.0.1:5432/cinemaabyss'),
    GRADUAL_MIGRATION: boolean(false),
    PERCENT: integer(0, { min: 0, max: 100 }),
    RATIO: ratio(1),
    MODE: oneOf(['fast', 'safe'], { expected: 'fast or safe', fallback: 'safe' }),
    NAME: text('gateway'),
    NOTE: text(),
  };

  it('gives every default, checking the fallbacks of URL and host kinds like set values', () => {
    expect(parseEnv(shape, {})).toEqual({
      PORT: 8080,
      HOST: '0.0.0.0',
      MONOLITH_URL: 'http://127.0.0.1:8080',
      DB_CONNECTION_STRING: 'postgres://127.0.0.1:5432/cinemaabyss',
      GRADUAL_MIGRATION: false,
      PERCENT: 0,
      RATIO: 1,
      MODE: 'safe',
      NAME: 'gateway',
    });
  });

  it('treats blank and whitespace-only values as unset', () => {
    const blank = Object.fromEntries(Object.keys(shape).map((name) => [name, ' \t ']));
    expect(parseEnv(shape, blank)).toEqual(parseEnv(shape, {}));
  });

  it('trims set values and ignores variables outside its shape', () => {
    expect(
      parseEnv(shape, {
        PORT: ' 9000 ',
        EVENTS_URL: ' https://events:8082// ',
        MODE: ' FAST ',
        NAME: ' movies ',
        NOTE: ' hi ',
        RATIO: '5e-3',
        UNRELATED: 'anything',
      }),
    ).toMatchObject({
      PORT: 9000,
      EVENTS_URL: 'https://events:8082',
      MODE: 'fast',
      NAME: 'movies',
      NOTE: 'hi',
      RATIO: 0.005,
    });
    expect(parseEnv(shape, { UNRELATED: 'x' })).not.toHaveProperty('UNRELATED');
  });

  it('names every bad variable in one ConfigError, one clause a line, in the order of the shape', () => {
    const read = () =>
      parseEnv(shape, {
        PERCENT: '150',
        PORT: 'http',
        NAME: 'fine',
        DB_CONNECTION_STRING: 'mysql://x/y',
      });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      new ConfigError(
        [
          'PORT must be a port number between 0 and 65535, got "http"',
          'DB_CONNECTION_STRING must start with postgres:// or postgresql://',
          'PERCENT must be a whole number from 0 to 100, got "150"',
        ].join('\n'),
      ),
    );
  });

  it('refuses a bad fallback as it would a bad value, naming the variable', () => {
    expect(() => parseEnv({ HOST: host('not a host') }, {})).toThrow(
      'HOST must be a hostname or an IP address, got "not a host"',
    );
  });

  it('reads process.env as it reads a literal', () => {
    const env: NodeJS.ProcessEnv = { PORT: '1234' };
    expect(parseEnv({ PORT: port(1) }, env)).toEqual({ PORT: 1234 });
  });
});
