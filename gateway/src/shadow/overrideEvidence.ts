import { Kind, getNamedType, getOperationAST, isInterfaceType, isObjectType } from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLNamedType,
  GraphQLSchema,
  SelectionSetNode,
} from 'graphql';
import type { OverrideIndex } from '../graphql/overrideIndex';

/**
 * The parts of an operation's answer that say something about one override label, by response
 * key: a leaf is compared whole; a node with children compares its shape (null or not, list
 * length) and those children.
 */
export interface Evidence {
  leaf?: true;
  children: Map<string, Evidence>;
}

/**
 * Where an operation's answer is evidence on `label`: the fields the label overrides and, beneath
 * them, the fields both of its sides can resolve (the overridden side serves them in one plan, the
 * other in the other). A field only one subgraph resolves is fetched from it in both plans: not
 * evidence. Undefined when the operation selects no field of the label.
 */
export function overrideEvidence(
  document: DocumentNode,
  operationName: string | null | undefined,
  schema: GraphQLSchema,
  index: OverrideIndex,
  label: string,
): Evidence | undefined {
  const sides = index.labels.get(label);
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!sides || !operation || !rootType) return undefined;
  const { to, from } = sides;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }

  function walk(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    underOverride: boolean,
    into: Map<string, Evidence>,
  ): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        walk(selection.selectionSet, type, underOverride, into);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) {
          const type = schema.getType(fragment.typeCondition.name.value);
          walk(fragment.selectionSet, type, underOverride, into);
        }
        continue;
      }
      if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue; // __typename and other meta fields
      const coordinate = `${parent.name}.${field.name}`;
      const resolvers = index.resolvers.get(coordinate);
      const evidence =
        index.fields.get(coordinate)?.label === label ||
        (underOverride && !!resolvers?.has(to) && resolvers.has(from));
      const key = selection.alias?.value ?? selection.name.value;
      if (!selection.selectionSet) {
        if (evidence) into.set(key, { leaf: true, children: new Map() });
        continue;
      }
      const node = into.get(key) ?? { children: new Map<string, Evidence>() };
      walk(selection.selectionSet, getNamedType(field.type), evidence, node.children);
      if (evidence || node.children.size > 0) into.set(key, node);
    }
  }

  const root: Evidence = { children: new Map() };
  walk(operation.selectionSet, rootType, false, root.children);
  return root.children.size > 0 ? root : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The part of an answer's data that is evidence: the same shape, other fields left out. */
export function projectEvidence(value: unknown, evidence: Evidence): unknown {
  if (evidence.leaf) return value;
  if (Array.isArray(value)) return value.map((item) => projectEvidence(item, evidence));
  if (!isObject(value)) return value;
  const projected: Record<string, unknown> = {};
  for (const [key, child] of evidence.children) {
    if (key in value) projected[key] = projectEvidence(value[key], child);
  }
  return projected;
}
