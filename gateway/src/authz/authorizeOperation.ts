import { Kind, getNamedType, getOperationAST, isInterfaceType, isObjectType } from 'graphql';
import { operationWithSelections } from '../graphql/operationWithSelections';
import type {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLNamedType,
  GraphQLSchema,
  NamedTypeNode,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';
import type { Caller } from '@cinemaabyss/shared/identity';
import type { Requirement, SecurityIndex } from './securityDirectives';

/** A field taken out of an operation: where it was asked (response keys), and what it is. */
export interface RemovedField {
  coordinate: string;
  path: readonly string[];
}

/** An operation as one caller may ask it. */
export interface AuthorizedOperation {
  /** The fields the caller may not see; empty: the operation runs as it came. */
  removed: readonly RemovedField[];
  /** The operation without them (fragments inlined); undefined when nothing is left to ask. */
  document?: DocumentNode;
  operation?: OperationDefinitionNode;
}

/**
 * Stands in for a selection set whose every field was removed, so the objects around it are
 * still fetched (and nulled field by field); taken out of the answer again.
 */
export const PLACEHOLDER_KEY = 'authzPlaceholder__';
const PLACEHOLDER: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: PLACEHOLDER_KEY },
  name: { kind: Kind.NAME, value: '__typename' },
};

/** Whether `caller` meets `requirement`: signed in if asked, and one whole scope set if any. */
export function isAuthorized(requirement: Requirement, caller: Caller | undefined): boolean {
  if (!requirement.authenticated && requirement.anyOf.length === 0) return true;
  if (!caller) return false;
  return (
    requirement.anyOf.length === 0 ||
    requirement.anyOf.some((set) => set.every((scope) => caller.scopes.includes(scope)))
  );
}

/** What decides an operation's removals for a caller: signed in or not, and which scopes. */
export function rightsKey(caller: Caller | undefined): string {
  return caller ? `signed-in:${caller.scopes.join(' ')}` : 'anonymous';
}

/**
 * The operation as `caller` may ask it, as Apollo Router does before planning: every field whose
 * requirement (`@authenticated`, `@requiresScopes`, on the field or the type it returns) the
 * caller does not meet is removed, and remembered with its path so that its answer is `null`
 * with an UNAUTHORIZED_FIELD_OR_TYPE error.
 */
export function authorizeOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  schema: GraphQLSchema,
  index: SecurityIndex,
  caller: Caller | undefined,
): AuthorizedOperation {
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) return { removed: [] };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const removed: RemovedField[] = [];

  function walk(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    path: readonly string[],
  ): SelectionNode[] {
    const kept: SelectionNode[] = [];
    const keepFragment = (
      typeCondition: NamedTypeNode | undefined,
      directives: readonly DirectiveNode[] | undefined,
      inner: SelectionSetNode,
    ) => {
      const type = typeCondition ? schema.getType(typeCondition.name.value) : parent;
      const selections = walk(inner, type ?? undefined, path);
      if (selections.length === 0) return;
      kept.push({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition,
        directives,
        selectionSet: { kind: Kind.SELECTION_SET, selections },
      });
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        keepFragment(selection.typeCondition, selection.directives, selection.selectionSet);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) {
          keepFragment(fragment.typeCondition, selection.directives, fragment.selectionSet);
        }
        continue;
      }
      const key = selection.alias?.value ?? selection.name.value;
      const field =
        parent && (isObjectType(parent) || isInterfaceType(parent))
          ? parent.getFields()[selection.name.value]
          : undefined;
      const coordinate = field && parent ? `${parent.name}.${field.name}` : undefined;
      const requirement = coordinate ? index.fields.get(coordinate) : undefined;
      if (coordinate && requirement && !isAuthorized(requirement, caller)) {
        // The same field asked twice (two fragments) is one removal.
        if (!removed.some((r) => r.path.join('.') === [...path, key].join('.'))) {
          removed.push({ coordinate, path: [...path, key] });
        }
        continue;
      }
      if (!selection.selectionSet || !field) {
        kept.push(selection);
        continue;
      }
      const selections = walk(selection.selectionSet, getNamedType(field.type), [...path, key]);
      kept.push({
        ...selection,
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: selections.length > 0 ? selections : [PLACEHOLDER],
        },
      });
    }
    return kept;
  }

  const selections = walk(operation.selectionSet, rootType, []);
  if (removed.length === 0) return { removed };
  if (selections.length === 0) return { removed };
  const filtered = operationWithSelections(operation, selections);
  return {
    removed,
    document: filtered,
    operation: filtered.definitions[0] as OperationDefinitionNode,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Applies `change` to every object at `path` under `value`, through lists. */
function atPath(
  value: unknown,
  path: readonly string[],
  change: (object: Record<string, unknown>, key: string) => void,
): void {
  if (Array.isArray(value)) {
    for (const item of value) atPath(item, path, change);
    return;
  }
  if (!isObject(value) || path.length === 0) return;
  const [key, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) change(value, key);
  else atPath(value[key], rest, change);
}

/** The answer with `null` where each removed field was asked, and no placeholder left. */
export function nullRemovedFields(
  data: Record<string, unknown>,
  removed: readonly RemovedField[],
): Record<string, unknown> {
  for (const { path } of removed) {
    atPath(data, path, (object, key) => {
      object[key] = null;
    });
    atPath(data, [...path.slice(0, -1), PLACEHOLDER_KEY], (object, key) => {
      delete object[key];
    });
  }
  return data;
}
