import type { FetchDataRewrite, QueryPlanSelectionNode, ResponsePath } from '@apollo/query-planner';
import { isAbstractType, isInterfaceType, isObjectType } from 'graphql';
import type { GraphQLSchema } from 'graphql';

/**
 * The data a query plan reads and writes between fetches: merging a subgraph's reply into the
 * response being built, the representations an entity fetch sends, the rewrites a fetch node
 * asks for, and the entities a flattened path reaches. The semantics are federation's (as the
 * query planner's plans expect them); see executePlan.ts for who calls what.
 */

export type DataObject = Record<string, unknown>;

function isObject(value: unknown): value is DataObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function getOwn(object: DataObject, key: string): unknown {
  return hasOwn(object, key) ? object[key] : undefined;
}

/** Makes `key` an own property before it is written, so data never writes to a prototype. */
function defineOwn(object: DataObject, key: string): void {
  if (!hasOwn(object, key) && key in object) {
    Object.defineProperty(object, key, {
      configurable: true,
      enumerable: true,
      value: undefined,
      writable: true,
    });
  }
}

/** Merges a subgraph's reply into the response being built, objects and same-length lists deep. */
export function deepMerge(target: DataObject, source: unknown): DataObject {
  if (source === undefined || source === null) return target;
  const from = source as DataObject;
  for (const key of Object.keys(from)) {
    const value = from[key];
    if (value === undefined) continue;
    defineOwn(target, key);
    const existing = target[key];
    if (existing && isObject(value)) {
      deepMerge(existing as DataObject, value);
    } else if (
      Array.isArray(value) &&
      Array.isArray(existing) &&
      value.length === existing.length
    ) {
      for (let index = 0; index < value.length; index += 1) {
        if (isObject(existing[index]) && isObject(value[index])) {
          deepMerge(existing[index] as DataObject, value[index]);
        } else {
          existing[index] = value[index];
        }
      }
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** Whether `object`'s `__typename` is `typeCondition` or one of its possible types. */
export function isObjectOfType(
  schema: GraphQLSchema,
  object: DataObject,
  typeCondition: string,
  whenUntyped = false,
): boolean {
  const typename = object['__typename'];
  if (!typename) return whenUntyped;
  if (typename === typeCondition) return true;
  const type = schema.getType(typename as string);
  const condition = schema.getType(typeCondition);
  if (!type || !condition || !isAbstractType(condition)) return false;
  return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
}

const FRAGMENT_PREFIX = '... on ';

function applyAtPath(
  schema: GraphQLSchema,
  path: readonly string[],
  value: unknown,
  rewrite: (object: DataObject) => void,
): void {
  if (Array.isArray(value)) {
    for (const element of value) applyAtPath(schema, path, element, rewrite);
    return;
  }
  if (!isObject(value)) return;
  if (path.length === 0) {
    rewrite(value);
    return;
  }
  const [first = '', ...rest] = path;
  if (first.startsWith(FRAGMENT_PREFIX)) {
    if (isObjectOfType(schema, value, first.slice(FRAGMENT_PREFIX.length), true)) {
      applyAtPath(schema, rest, value, rewrite);
    }
  } else {
    applyAtPath(schema, rest, getOwn(value, first), rewrite);
  }
}

/** A fetch node's input or output rewrites (a value set, a key renamed) applied in place. */
export function applyRewrites(
  schema: GraphQLSchema,
  rewrites: readonly FetchDataRewrite[] | undefined,
  value: unknown,
): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) {
    if (rewrite.path.length === 0) continue;
    const parent = rewrite.path.slice(0, -1);
    const field = rewrite.path[rewrite.path.length - 1] as string;
    if (field.startsWith(FRAGMENT_PREFIX)) {
      throw new Error(`Unexpected fragment as last element of ${rewrite.path.join(',')}`);
    }
    applyAtPath(schema, parent, value, (object) => {
      if (rewrite.kind === 'ValueSetter') {
        defineOwn(object, field);
        object[field] = rewrite.setValueTo;
        return;
      }
      const renamed = getOwn(object, field);
      if (renamed) {
        defineOwn(object, rewrite.renameKeyTo);
        object[rewrite.renameKeyTo] = renamed;
        object[field] = undefined;
      }
    });
  }
}

function responseNameOf(selection: QueryPlanSelectionNode & { kind: 'Field' }): string {
  return selection.alias ?? selection.name;
}

/**
 * What an entity fetch sends for one entity: the `requires` selection read from the data built
 * so far, or null when a field it needs is missing.
 */
export function representationOf(
  schema: GraphQLSchema,
  source: unknown,
  selections: readonly QueryPlanSelectionNode[],
): DataObject | null {
  if (source === null) return null;
  const entity = source as DataObject;
  const result = Object.create(null) as DataObject;
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = responseNameOf(selection);
      const value = hasOwn(entity, name) ? entity[name] : undefined;
      if (value === undefined) return null;
      const inner = selection.selections;
      if (Array.isArray(value)) {
        result[name] = value.map((element: unknown) =>
          inner ? representationOf(schema, element, inner) : element,
        );
      } else {
        result[name] = inner ? representationOf(schema, value, inner) : value;
      }
    } else if (selection.typeCondition && isObjectOfType(schema, entity, selection.typeCondition)) {
      deepMerge(result, representationOf(schema, entity, selection.selections));
    }
  }
  return result;
}

/** The values a flattened path (`@` for each element of a list) reaches, lists flattened. */
export function valuesAtPath(value: unknown, path: ResponsePath): unknown {
  if (path.length === 0 || value === undefined || value === null) return value;
  const [current, ...rest] = path;
  if (current === '@') {
    return (value as unknown[]).flatMap((element) => valuesAtPath(element, rest));
  }
  if (typeof current !== 'string') throw new Error(`Unexpected ${typeof current} found in path`);
  if (Array.isArray(value))
    throw new Error(`Unexpected array in result for path element ${current}`);
  return valuesAtPath(getOwn(value as DataObject, current), rest);
}

/**
 * The full response paths of the entities a flattened path reaches, in the order an entity
 * fetch sent them: an error a subgraph reports at `_entities.<i>` is moved to the i-th.
 */
export function entityPaths(path: ResponsePath, data: unknown): ResponsePath[] {
  const paths: ResponsePath[] = [];
  const walk = (parent: ResponsePath, rest: ResponsePath, value: unknown) => {
    if (value === null || value === undefined) return;
    const [head] = rest;
    if (head === undefined) {
      paths.push([...parent]);
    } else if (head === '@') {
      (value as unknown[]).forEach((element, index) =>
        walk([...parent, index], rest.slice(1), element),
      );
    } else if (typeof head === 'string') {
      if (Array.isArray(value)) {
        value.forEach((element, index) => walk([...parent, index], rest, element));
      } else if (hasOwn(value as object, head)) {
        walk([...parent, head], rest.slice(1), (value as DataObject)[head]);
      }
    } else {
      throw new Error(`unknown path part "${String(head)}"`);
    }
  };
  walk([], path, data);
  return paths;
}
