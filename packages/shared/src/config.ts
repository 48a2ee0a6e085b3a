import { z } from 'zod';

/** Thrown when a variable is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** process.env, or any object shaped like it (tests pass literals). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The schemas of one service's variables, by name: `{ PORT: port(8080), HOST: host('0.0.0.0') }`.
 * Each takes the variable's raw value (a string, or undefined when unset).
 */
export type EnvShape = z.ZodRawShape;

/**
 * Parses `env` against `shape`: every variable of the shape is read, and every bad one is named
 * in the ConfigError thrown, one clause per line, each starting with the variable's name.
 */
export function parseEnv<const Shape extends EnvShape>(
  shape: Shape,
  env: Env,
): z.output<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map(clause).join('\n'));
}

function clause(issue: z.core.$ZodIssue): string {
  const [variable] = issue.path;
  return variable === undefined ? issue.message : `${String(variable)} ${issue.message}`;
}

/** Blank or whitespace-only counts as unset: `PORT=` in a compose file means the default. */
function blankAsUnset(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/** A refusal that quotes the value as the check saw it, e.g. `must be …, got "x"`. */
function got(rule: string) {
  return (issue: { input?: unknown }) => `${rule}, got "${String(issue.input)}"`;
}

const PORT = z
  .string()
  .trim()
  .refine((value) => /^\d+$/.test(value) && Number(value) <= 65535, {
    error: got('must be a port number between 0 and 65535'),
  })
  .transform(Number);

/** A TCP port (0–65535); 0 lets the OS choose, which tests use. */
export function port(fallback: number) {
  return z.preprocess(blankAsUnset, PORT.default(fallback));
}

const HOST = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.:-]+$/, { error: got('must be a hostname or an IP address') });

/** The address to listen on: a hostname or an IP address (IPv6 without brackets). */
export function host(fallback: string) {
  // prefault: the fallback is checked like a set value.
  return z.preprocess(blankAsUnset, HOST.prefault(fallback));
}

const HTTP_URL = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value), { error: got('must be an absolute URL'), abort: true })
  .refine((value) => /^https?:$/.test(new URL(value).protocol), {
    error: got('must be an http or https URL'),
  })
  .transform((value) => value.replace(/\/+$/, ''));

/** An absolute http(s) URL, returned without a trailing slash; unset → `fallback`, if given. */
export function httpUrl(fallback: string): z.ZodType<string, unknown>;
export function httpUrl(): z.ZodType<string | undefined, unknown>;
export function httpUrl(fallback?: string): z.ZodType<string | undefined, unknown> {
  return z.preprocess(
    blankAsUnset,
    fallback === undefined ? HTTP_URL.optional() : HTTP_URL.prefault(fallback),
  );
}

const POSTGRES_URL = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value), {
    error: 'must be a postgres:// connection string, got an invalid URL',
    abort: true,
  })
  .refine((value) => ['postgres:', 'postgresql:'].includes(new URL(value).protocol), {
    error: 'must start with postgres:// or postgresql://',
    abort: true,
  })
  .refine((value) => new URL(value).pathname.length > 1, {
    error: 'must name a database, e.g. postgres://host:5432/cinemaabyss',
  });

/** A postgres:// (or postgresql://) connection string naming a database. */
export function postgresUrl(fallback: string) {
  return z.preprocess(blankAsUnset, POSTGRES_URL.prefault(fallback));
}

const TRUE_WORDS = ['true', '1', 'yes'];
const FALSE_WORDS = ['false', '0', 'no'];
const word = (value: string) => value.trim().toLowerCase();
// The refusal quotes the value untrimmed, as it always has.
const BOOLEAN = z
  .string()
  .refine((value) => [...TRUE_WORDS, ...FALSE_WORDS].includes(word(value)), {
    error: got('must be true or false'),
  })
  .transform((value) => TRUE_WORDS.includes(word(value)));

/** "true"/"false" (also 1/0, yes/no), case-insensitive. */
export function boolean(fallback: boolean) {
  return z.preprocess(blankAsUnset, BOOLEAN.default(fallback));
}

/** A whole number inside [min, max]. */
export function integer(fallback: number, { min, max }: { min: number; max: number }) {
  const schema = z
    .string()
    .trim()
    .refine((value) => /^-?\d+$/.test(value) && Number(value) >= min && Number(value) <= max, {
      error: got(`must be a whole number from ${min} to ${max}`),
    })
    .transform(Number);
  return z.preprocess(blankAsUnset, schema.default(fallback));
}

const RATIO = z
  .string()
  .trim()
  .refine(
    (value) => /^\d*\.?\d+(?:e-?\d+)?$/i.test(value) && Number(value) >= 0 && Number(value) <= 1,
    { error: got('must be a ratio from 0 to 1') },
  )
  .transform(Number);

/** A number from 0 to 1, e.g. a sampling ratio: `0.05`, `1`, `5e-3`. */
export function ratio(fallback: number) {
  return z.preprocess(blankAsUnset, RATIO.default(fallback));
}

/**
 * One of `values`, case-insensitive and returned in lower case; `expected` completes the refusal
 * (`must be ${expected}, got "…"`), which quotes the value untrimmed. Unset → `fallback`, if given.
 */
export function oneOf<const V extends string>(
  values: readonly V[],
  options: { expected: string; fallback: NoInfer<V> },
): z.ZodType<V, unknown>;
export function oneOf<const V extends string>(
  values: readonly V[],
  options: { expected: string },
): z.ZodType<V | undefined, unknown>;
export function oneOf<const V extends string>(
  values: readonly V[],
  { expected, fallback }: { expected: string; fallback?: V },
): z.ZodType<string | undefined, unknown> {
  const schema = z
    .string()
    .refine((value) => (values as readonly string[]).includes(word(value)), {
      error: got(`must be ${expected}`),
    })
    .transform(word);
  return z.preprocess(
    blankAsUnset,
    fallback === undefined ? schema.optional() : schema.default(fallback),
  );
}

/** Free text, trimmed; unset → `fallback`, if given. */
export function text(fallback: string): z.ZodType<string, unknown>;
export function text(): z.ZodType<string | undefined, unknown>;
export function text(fallback?: string): z.ZodType<string | undefined, unknown> {
  const schema = z.string().trim();
  return z.preprocess(
    blankAsUnset,
    fallback === undefined ? schema.optional() : schema.default(fallback),
  );
}

const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/;
const HOST_LIST = z.array(z.string()).refine((hosts) => hosts.every((h) => HOST_PORT.test(h)), {
  error: (issue) =>
    `must be a comma-separated list of host:port; bad entries: ${(issue.input as string[])
      .filter((h) => !HOST_PORT.test(h))
      .map((h) => `"${h}"`)
      .join(', ')}`,
});

/** Its entries, spaces around them and empty ones dropped; none at all counts as unset. */
function splitHostList(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const hosts = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return hosts.length === 0 ? undefined : hosts;
}

/**
 * A comma-separated list of host:port pairs, e.g. KAFKA_BROKERS: spaces around entries and
 * empty entries are ignored, an IPv6 host is bracketed (`[::1]:9092`). The one parser of
 * KAFKA_BROKERS, for the services and for the dev launcher alike. Unset, blank or only commas
 * → `fallback`, if given.
 */
export function hostList(fallback: readonly string[]): z.ZodType<string[], unknown>;
export function hostList(): z.ZodType<string[] | undefined, unknown>;
export function hostList(fallback?: readonly string[]): z.ZodType<string[] | undefined, unknown> {
  return z.preprocess(
    splitHostList,
    fallback === undefined ? HOST_LIST.optional() : HOST_LIST.default(() => [...fallback]),
  );
}
