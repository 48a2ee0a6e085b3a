import { z } from 'zod';
import { badUserInput } from '../http/errors';

/**
 * Field builders for request bodies. Each message names the field, because clients of the
 * REST contract get exactly this text in `{"error": ...}`.
 */
function typeError(field: string, expected: string) {
  return (issue: { input: unknown }) =>
    issue.input === undefined || issue.input === null
      ? `${field} is required`
      : `${field} must be ${expected}`;
}

/**
 * Text PostgreSQL can store as sent: `text` and `jsonb` refuse NUL characters, and an unpaired
 * UTF-16 surrogate has no UTF-8 encoding. Returns the problem, naming the field, or undefined.
 */
export function unstorableTextProblem(field: string, text: string): string | undefined {
  if (text.includes('\u0000')) return `${field} must not contain NUL characters`;
  if (!text.isWellFormed()) {
    return `${field} must be valid Unicode text (it contains an unpaired surrogate)`;
  }
  return undefined;
}

/** A string refined so that only text PostgreSQL can store passes. */
function storableString(field: string) {
  return z.string({ error: typeError(field, 'a string') }).superRefine((text, ctx) => {
    const problem = unstorableTextProblem(field, text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
  });
}

/** A required, trimmed, non-empty line of text (names, titles, plans). */
export function textField(field: string, { min = 1, max = 255 } = {}) {
  return storableString(field)
    .trim()
    .min(min, { error: min === 1 ? `${field} must not be empty` : `${field} is too short` })
    .max(max, { error: `${field} must be at most ${max} characters` });
}

/** Free text kept as sent (descriptions, reviews): may be empty, never trimmed. */
export function freeTextField(field: string, { max }: { max: number }) {
  return storableString(field).max(max, { error: `${field} must be at most ${max} characters` });
}

export function emailField(field: string) {
  return storableString(field)
    .trim()
    .max(254, { error: `${field} must be at most 254 characters` })
    .pipe(z.email({ error: `${field} must be a valid email address` }));
}

/**
 * A finite number in [min, max] with at most `decimals` digits after the point, so that the
 * database stores exactly what was sent (1e-10 would be rounded to 0.00, not refused).
 */
export function decimalField(
  field: string,
  {
    min,
    max,
    exclusiveMin = false,
    decimals,
  }: { min: number; max: number; exclusiveMin?: boolean; decimals: number },
) {
  return z
    .number({ error: typeError(field, 'a number') })
    .refine((n) => (exclusiveMin ? n > min : n >= min) && n <= max, {
      error: `${field} must be ${exclusiveMin ? 'greater than' : 'at least'} ${min} and at most ${max}`,
    })
    .refine((n) => Number(n.toFixed(decimals)) === n, {
      error: `${field} must have at most ${decimals} decimal place${decimals === 1 ? '' : 's'}`,
    });
}

export function integerField(field: string, { min, max }: { min: number; max: number }) {
  return z
    .number({ error: typeError(field, 'an integer') })
    .int({ error: `${field} must be an integer` })
    .min(min, { error: `${field} must be between ${min} and ${max}` })
    .max(max, { error: `${field} must be between ${min} and ${max}` });
}

/** A positive integer id referencing another row, e.g. `user_id`. */
export function idField(field: string) {
  return integerField(field, { min: 1, max: MAX_ID });
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2})))?$/;
/** The instants accepted: years 1 to 9999, those RFC 3339 can write once in UTC. */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** True when year-month-day is a day of the Gregorian calendar (2025-02-30 is not). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * The instant an RFC 3339 date-time or YYYY-MM-DD date (midnight UTC) names, or undefined when
 * it names none. Date.parse alone would roll 2025-02-30 over to March 2 and store that.
 */
export function parseDateTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match
    .slice(1)
    .map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isCalendarDay(year, month, day)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHour > 23 || offsetMinute > 59) {
    return undefined;
  }
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) || ms < EARLIEST || ms > LATEST ? undefined : new Date(ms);
}

/** An RFC 3339 date-time or a plain YYYY-MM-DD date (midnight UTC) naming a real instant, as a Date. */
export function dateTimeField(field: string) {
  return z
    .string({ error: typeError(field, 'an RFC 3339 date-time string') })
    .transform((text, ctx) => {
      const instant = parseDateTime(text);
      if (instant) return instant;
      ctx.addIssue({
        code: 'custom',
        message: `${field} must be an RFC 3339 date-time (e.g. 2025-01-31T00:00:00Z) or a YYYY-MM-DD date naming a real day`,
      });
      return z.NEVER;
    });
}

/** An object body; anything else (array, string, null) is rejected before its fields are read. */
export function bodySchema<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, { error: 'request body must be a JSON object' });
}

/** An object body that refuses fields it does not know, naming them (operator APIs). */
export function strictBodySchema<T extends z.ZodRawShape>(shape: T) {
  const accepted = Object.keys(shape)
    .map((key) => `"${key}"`)
    .join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}; accepted: ${accepted}`
        : 'request body must be a JSON object',
  });
}

/** Parses input with schema or throws a 400 AppError carrying the first problem found. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw badUserInput(issue?.message ?? 'invalid request body');
}

/**
 * A query-string id (`?id=`, `?user_id=`): one positive integer, or a 400 naming the parameter.
 * Returns undefined when the parameter is absent.
 */
export function parseIdParam(query: unknown, name: string): number | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  const id = parsePositiveId(value);
  if (id === undefined) throw badUserInput(`query parameter ${name} must be a positive integer`);
  return id;
}

/** The largest id a PostgreSQL integer column holds. */
export const MAX_ID = 2_147_483_647;

/**
 * The one id grammar of every surface (query strings, GraphQL `ID`s, entity references): a
 * positive PostgreSQL integer in decimal digits, a number read as its digits; else undefined.
 */
export function parsePositiveId(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,10}$/.test(text)) return undefined;
  const id = Number(text);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

/** The most ids one `?ids=`-style parameter may list; keeps each batch one bounded statement. */
export const MAX_ID_LIST_LENGTH = 1000;

export interface ParseIdListOptions {
  /** Longest accepted list; longer ones are a 400. @default MAX_ID_LIST_LENGTH */
  max?: number;
}

/**
 * A comma-separated list of ids (`?ids=1,2,3`, `?user_ids=4,5`) for batch lookups: positive
 * integers, at least one and at most `max`, or a 400 naming the parameter. Duplicates are
 * dropped (first occurrence kept). Returns undefined when the parameter is absent.
 */
export function parseIdListParam(
  query: unknown,
  name: string,
  { max = MAX_ID_LIST_LENGTH }: ParseIdListOptions = {},
): number[] | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  const invalid = () =>
    badUserInput(`query parameter ${name} must be a comma-separated list of positive integers`);
  // A repeated parameter (?ids=1&ids=2) arrives as an array; one list per parameter is the rule.
  if (typeof value !== 'string') throw invalid();
  const parts = value.split(',');
  if (parts.length > max) {
    throw badUserInput(`query parameter ${name} must list at most ${max} ids, got ${parts.length}`);
  }
  const ids = new Set<number>();
  for (const part of parts) {
    const id = parsePositiveId(part);
    if (id === undefined) throw invalid();
    ids.add(id);
  }
  return [...ids];
}

/** RFC 3339 as Go prints it: UTC, fractional seconds only when non-zero. */
export function toRfc3339(date: Date): string {
  return date
    .toISOString()
    .replace(/\.0+Z$/, 'Z')
    .replace(/(\.\d*?)0+Z$/, '$1Z');
}
