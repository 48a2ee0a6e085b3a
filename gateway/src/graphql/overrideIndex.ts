import { Kind, TypeInfo, parse, visit, visitWithTypeInfo } from 'graphql';
import type { ConstDirectiveNode, DocumentNode, GraphQLSchema } from 'graphql';

/** A field the supergraph migrates with a labelled `@override`: who serves it on either side. */
export interface OverriddenField {
  label: string;
  /** The subgraph that serves the field while the label is active. */
  to: string;
  /** The subgraph it is taken from, which serves it while the label is inactive. */
  from: string;
}

/** Every labelled override of a supergraph, by field coordinate (`Movie.title`). */
export interface OverrideIndex {
  fields: ReadonlyMap<string, OverriddenField>;
  /** Each label once, with the subgraphs on its two sides. */
  labels: ReadonlyMap<string, { to: string; from: string }>;
  /** The subgraphs able to resolve each field (`Movie.id` → monolith, movies). */
  resolvers: ReadonlyMap<string, ReadonlySet<string>>;
}

function booleanArgument(directive: ConstDirectiveNode, name: string): boolean {
  const argument = directive.arguments?.find((arg) => arg.name.value === name);
  return argument?.value.kind === Kind.BOOLEAN && argument.value.value;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const argument = directive.arguments?.find((arg) => arg.name.value === name);
  if (argument?.value.kind === Kind.STRING) return argument.value.value;
  if (argument?.value.kind === Kind.ENUM) return argument.value.value;
  return undefined;
}

/** Reads the `@join__field(override:, overrideLabel:)` applications of a composed supergraph. */
export function indexOverrides(supergraphSdl: string): OverrideIndex {
  const document = parse(supergraphSdl, { noLocation: true });
  // join__Graph enum values (MOVIES) name subgraphs (movies) through @join__graph(name:).
  const subgraphNames = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') {
      continue;
    }
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = graph && stringArgument(graph, 'name');
      if (name) subgraphNames.set(value.name.value, name);
    }
  }
  const fields = new Map<string, OverriddenField>();
  const labels = new Map<string, { to: string; from: string }>();
  const resolvers = new Map<string, ReadonlySet<string>>();
  const subgraphOf = (graph: string) => subgraphNames.get(graph) ?? graph.toLowerCase();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    ) {
      continue;
    }
    // A field without @join__field is resolvable wherever its type is defined.
    const typeGraphs = (definition.directives ?? [])
      .filter((directive) => directive.name.value === 'join__type')
      .map((directive) => stringArgument(directive, 'graph'))
      .filter((graph): graph is string => graph !== undefined)
      .map(subgraphOf);
    for (const field of definition.fields ?? []) {
      const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
      const fieldGraphs = joins
        .filter((directive) => !booleanArgument(directive, 'external'))
        .map((directive) => stringArgument(directive, 'graph'))
        .filter((graph): graph is string => graph !== undefined)
        .map(subgraphOf);
      resolvers.set(
        `${definition.name.value}.${field.name.value}`,
        new Set(joins.length > 0 ? fieldGraphs : typeGraphs),
      );
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== 'join__field') continue;
        const label = stringArgument(directive, 'overrideLabel');
        const from = stringArgument(directive, 'override');
        const graph = stringArgument(directive, 'graph');
        if (!label || !from || !graph) continue;
        const override = { label, from, to: subgraphOf(graph) };
        fields.set(`${definition.name.value}.${field.name.value}`, override);
        labels.set(label, { to: override.to, from: override.from });
      }
    }
  }
  return { fields, labels, resolvers };
}

/**
 * The override labels an operation document depends on: those of the overridden fields it
 * selects, wherever they sit (fragments included). An operation that selects none plans the
 * same for everyone.
 */
export function labelsSelectedBy(
  document: DocumentNode,
  schema: GraphQLSchema,
  index: OverrideIndex,
): string[] {
  if (index.fields.size === 0) return [];
  const typeInfo = new TypeInfo(schema);
  const labels = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const override = parent && index.fields.get(`${parent.name}.${node.name.value}`);
        if (override) labels.add(override.label);
      },
    }),
  );
  return [...labels].sort();
}
