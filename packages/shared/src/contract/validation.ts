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

export function textField(field: string, { min = 1, max = 255 } = {}) {
  return z
    .string({ error: typeError(field, 'a string') })
    .trim()
    .min(min, { error: min === 1 ? `${field} must not be empty` : `${field} is too short` })
    .max(max, { error: `${field} must be at most ${max} characters` });
}

export function emailField(field: string) {
  return z
    .string({ error: typeError(field, 'a string') })
    .trim()
    .max(254, { error: `${field} must be at most 254 characters` })
    .pipe(z.email({ error: `${field} must be a valid email address` }));
}

/** A finite number in [min, max] with at most `decimals` digits after the point. */
export function decimalField(
  field: string,
  {
    min,
    max,
    exclusiveMin = false,
    decimals,
  }: { min: number; max: number; exclusiveMin?: boolean; decimals: number },
) {
  const scale = 10 ** decimals;
  return z
    .number({ error: typeError(field, 'a number') })
    .refine((n) => (exclusiveMin ? n > min : n >= min) && n <= max, {
      error: `${field} must be ${exclusiveMin ? 'greater than' : 'at least'} ${min} and at most ${max}`,
    })
    .refine((n) => Math.abs(Math.round(n * scale) - n * scale) < 1e-6, {
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
  return integerField(field, { min: 1, max: 2_147_483_647 });
}

/** An RFC 3339 date-time or a plain YYYY-MM-DD date (midnight UTC), as a Date. */
export function dateTimeField(field: string) {
  return z
    .string({ error: typeError(field, 'an RFC 3339 date-time string') })
    .refine(
      (s) =>
        /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$/.test(s) &&
        !Number.isNaN(Date.parse(s)),
      {
        error: `${field} must be an RFC 3339 date-time (e.g. 2025-01-31T00:00:00Z) or a YYYY-MM-DD date`,
      },
    )
    .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));
}

/** An object body; anything else (array, string, null) is rejected before its fields are read. */
export function bodySchema<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, { error: 'request body must be a JSON object' });
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
  const id = toId(value);
  if (id === undefined) throw badUserInput(`query parameter ${name} must be a positive integer`);
  return id;
}

/** A positive PostgreSQL integer written in decimal digits, else undefined. */
function toId(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{1,10}$/.test(text)) return undefined;
  const id = Number(text);
  return id >= 1 && id <= 2_147_483_647 ? id : undefined;
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
    const id = toId(part);
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
