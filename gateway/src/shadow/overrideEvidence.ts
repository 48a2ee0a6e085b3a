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
  SelectionNode,
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

/** An operation's evidence, and the operation cut down to it: what a shadow run needs to ask. */
export interface EvidenceOperation {
  evidence: Evidence;
  /** The operation with only the selections on the way to its evidence, fragments inlined. */
  document: DocumentNode;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * Where an operation's answer is evidence on `label`: the fields the label overrides and, beneath
 * them, the fields both of its sides can resolve (the overridden side serves them in one plan, the
 * other in the other). A field only one subgraph resolves is fetched from it in both plans: not
 * evidence. Also the operation cut down to the evidence and the selections leading to it, so
 * a shadow run asks for nothing that cannot differ. Undefined when the operation selects no
 * field of the label.
 */
export function overrideEvidence(
  document: DocumentNode,
  operationName: string | null | undefined,
  schema: GraphQLSchema,
  index: OverrideIndex,
  label: string,
): EvidenceOperation | undefined {
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

  /** Fills `into` with the evidence under `selectionSet`; returns the selections kept. */
  function walk(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    underOverride: boolean,
    into: Map<string, Evidence>,
  ): SelectionNode[] {
    const kept: SelectionNode[] = [];
    const keepFragment = (
      typeCondition: NamedTypeNode | undefined,
      directives: readonly DirectiveNode[] | undefined,
      inner: SelectionSetNode,
    ) => {
      const type = typeCondition ? schema.getType(typeCondition.name.value) : parent;
      const selections = walk(inner, type, underOverride, into);
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
        if (evidence) {
          into.set(key, { leaf: true, children: new Map() });
          kept.push(selection);
        }
        continue;
      }
      const node = into.get(key) ?? { children: new Map<string, Evidence>() };
      const selections = walk(
        selection.selectionSet,
        getNamedType(field.type),
        evidence,
        node.children,
      );
      if (!evidence && node.children.size === 0) continue;
      into.set(key, node);
      // An object whose only evidence is its shape (null or not, how many) still needs a field.
      kept.push({
        ...selection,
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: selections.length > 0 ? selections : [TYPENAME],
        },
      });
    }
    return kept;
  }

  const root: Evidence = { children: new Map() };
  const selections = walk(operation.selectionSet, rootType, false, root.children);
  if (root.children.size === 0) return undefined;
  return { evidence: root, document: operationWithSelections(operation, selections) };
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

/**
 * Whether a response path (an error's) lies in the evidence: every key on it, list indices
 * aside, is a node of the evidence, down to its end or to a leaf. A path-less error concerns the
 * whole operation: always.
 */
export function isInEvidence(
  path: readonly (string | number)[] | undefined,
  evidence: Evidence,
): boolean {
  let node = evidence;
  for (const key of path ?? []) {
    if (node.leaf) return true;
    if (typeof key === 'number') continue;
    const child = node.children.get(key);
    if (!child) return false;
    node = child;
  }
  return true;
}
