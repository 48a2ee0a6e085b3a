import { Kind, parse, print, visit } from 'graphql';
import type { ConstDirectiveNode, ConstValueNode, DocumentNode } from 'graphql';

/**
 * What a field or type demands of its caller: to be signed in, and (when `anyOf` is not empty)
 * to hold every scope of at least one of its sets, as `@requiresScopes(scopes: [[a, b], [c]])`
 * reads: (a and b) or c.
 */
export interface Requirement {
  authenticated: boolean;
  anyOf: readonly (readonly string[])[];
}

/** The security directives of a supergraph, by field coordinate (`User.email`). */
export interface SecurityIndex {
  /** Each field's own requirement joined with that of the type it returns. */
  fields: ReadonlyMap<string, Requirement>;
}

const SPECS = {
  authenticated: 'https://specs.apollo.dev/authenticated/',
  requiresScopes: 'https://specs.apollo.dev/requiresScopes/',
} as const;

/** Both requirements at once: signed in if either asks, and a scope set of each. */
export function joinRequirements(a: Requirement, b: Requirement): Requirement {
  const anyOf =
    a.anyOf.length === 0
      ? b.anyOf
      : b.anyOf.length === 0
        ? a.anyOf
        : a.anyOf.flatMap((left) => b.anyOf.map((right) => [...new Set([...left, ...right])]));
  return { authenticated: a.authenticated || b.authenticated, anyOf };
}

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((arg) => arg.name.value === name)?.value;
}

function stringValue(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** `[["a", "b"], ["c"]]` as arrays of strings. */
function scopeSets(value: ConstValueNode | undefined): string[][] {
  if (value?.kind !== Kind.LIST) return [];
  return value.values.map((set) =>
    set.kind === Kind.LIST
      ? set.values.map(stringValue).filter((scope): scope is string => scope !== undefined)
      : [],
  );
}

/** The local names of the two directives, from the supergraph's `@link`s (`as:` renames them). */
function directiveNames(document: DocumentNode) {
  const names: { authenticated?: string; requiresScopes?: string } = {};
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) {
      continue;
    }
    for (const link of definition.directives ?? []) {
      const url = stringValue(argument(link, 'url'));
      if (link.name.value !== 'link' || !url) continue;
      for (const [spec, prefix] of Object.entries(SPECS) as [keyof typeof SPECS, string][]) {
        if (url.startsWith(prefix)) names[spec] = stringValue(argument(link, 'as')) ?? spec;
      }
    }
  }
  return names;
}

/**
 * Reads `@authenticated` and `@requiresScopes` from a composed supergraph, and returns the same
 * supergraph without them: their `@link`s (marked `for: SECURITY`, which ApolloGateway refuses
 * to load since it does not implement them), their definitions and every use. The gateway
 * enforces them itself, from the index.
 */
export function readSecurityDirectives(supergraphSdl: string): {
  sdl: string;
  index: SecurityIndex;
} {
  const document = parse(supergraphSdl, { noLocation: true });
  const names = directiveNames(document);
  const fields = new Map<string, Requirement>();
  if (!names.authenticated && !names.requiresScopes)
    return { sdl: supergraphSdl, index: { fields } };

  const requirementOf = (directives: readonly ConstDirectiveNode[] | undefined): Requirement => {
    let requirement: Requirement = { authenticated: false, anyOf: [] };
    for (const directive of directives ?? []) {
      if (directive.name.value === names.authenticated) {
        requirement = joinRequirements(requirement, { authenticated: true, anyOf: [] });
      } else if (directive.name.value === names.requiresScopes) {
        const anyOf = scopeSets(argument(directive, 'scopes'));
        requirement = joinRequirements(requirement, { authenticated: true, anyOf });
      }
    }
    return requirement;
  };
  const demands = (requirement: Requirement) =>
    requirement.authenticated || requirement.anyOf.length > 0;

  // Types first: a field returning a protected type is protected too.
  const types = new Map<string, Requirement>();
  for (const definition of document.definitions) {
    if ('name' in definition && definition.name && 'directives' in definition) {
      const requirement = requirementOf(definition.directives as ConstDirectiveNode[]);
      if (demands(requirement)) types.set(definition.name.value, requirement);
    }
  }
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      let type = field.type;
      while (type.kind !== Kind.NAMED_TYPE) type = type.type;
      const requirement = joinRequirements(
        joinRequirements(
          types.get(definition.name.value) ?? { authenticated: false, anyOf: [] },
          types.get(type.name.value) ?? { authenticated: false, anyOf: [] },
        ),
        requirementOf(field.directives),
      );
      if (demands(requirement))
        fields.set(`${definition.name.value}.${field.name.value}`, requirement);
    }
  }

  const removed = new Set([names.authenticated, names.requiresScopes].filter(Boolean));
  const scopeScalar = names.requiresScopes && `${names.requiresScopes}__Scope`;
  const stripped = visit(document, {
    Directive: (node) => {
      if (removed.has(node.name.value)) return null;
      if (node.name.value !== 'link') return undefined;
      const url = stringValue(argument(node as ConstDirectiveNode, 'url')) ?? '';
      return Object.values(SPECS).some((prefix) => url.startsWith(prefix)) ? null : undefined;
    },
    DirectiveDefinition: (node) => (removed.has(node.name.value) ? null : undefined),
    ScalarTypeDefinition: (node) => (node.name.value === scopeScalar ? null : undefined),
  });
  return { sdl: print(stripped), index: { fields } };
}

/** The supergraph as a gateway that does not implement the security directives can load it. */
export function withoutSecurityDirectives(supergraphSdl: string): string {
  return readSecurityDirectives(supergraphSdl).sdl;
}
