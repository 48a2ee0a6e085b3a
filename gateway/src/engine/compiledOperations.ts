import type { Schema } from '@apollo/federation-internals';
import type { buildOperationContext } from '@apollo/gateway';
import { Kind, OperationTypeNode, executeSync, visit } from 'graphql';
import type { DocumentNode, GraphQLSchema, SelectionNode, VariableDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { CompiledOperation } from './executePlan';
import { federation } from './federationExports';
import { compileResultShape } from './resultShape';
import type { IntrospectionAnswer } from './resultShape';

/** The selected operation and its fragments, as @apollo/gateway's public builder returns them. */
export type OperationContext = ReturnType<typeof buildOperationContext>;

/**
 * Operations compiled for execution, per loaded supergraph: built with `operationFromDocument`
 * and compiled to a ResultShape once per operation, where executeQueryPlan builds the operation
 * again for every request.
 */
export interface OperationCache {
  /**
   * The compiled operation; throws the GraphQLError its document gives (never cached). Without
   * a key (no query hash), compiled for this request only.
   */
  get(key: string | undefined, operationContext: OperationContext): CompiledOperation;
}

/** Enough for every operation a client sends in a day; an entry is a few kB. */
const MAX_OPERATIONS = 2_000;

export function createOperationCache(apiSchema: Schema): OperationCache {
  const compiled = new LRUCache<string, CompiledOperation>({ max: MAX_OPERATIONS });
  return {
    get(key, operationContext) {
      let operation = key === undefined ? undefined : compiled.get(key);
      if (!operation) {
        // As executeQueryPlan reads it: the selected operation and every fragment.
        const built = federation.operationFromDocument(
          apiSchema,
          {
            kind: Kind.DOCUMENT,
            definitions: [operationContext.operation, ...Object.values(operationContext.fragments)],
          },
          { validate: false },
        );
        operation = {
          shape: compileResultShape(built),
          variableDefinitions: built.variableDefinitions,
        };
        if (key !== undefined) compiled.set(key, operation);
      }
      return operation;
    },
  };
}

/** The variables an introspection selection uses, defined as the operation defines them. */
function introspectionDocument(
  selection: SelectionNode,
  definitions: readonly VariableDefinitionNode[] | undefined,
): DocumentNode {
  const used = new Set<string>();
  visit(selection, {
    Variable: ({ name }) => {
      used.add(name.value);
    },
  });
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        variableDefinitions: definitions?.filter((d) => used.has(d.variable.name.value)),
        selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] },
      },
    ],
  };
}

/** Answers `__schema` / `__type` selections of one request from the API schema. */
export function introspectionAnswer(
  schema: GraphQLSchema,
  operationContext: OperationContext,
  variables: Record<string, unknown> | undefined,
): IntrospectionAnswer {
  return (selection) => {
    const { data, errors } = executeSync({
      schema,
      document: introspectionDocument(selection, operationContext.operation.variableDefinitions),
      rootValue: {},
      variableValues: variables,
    });
    if (errors?.length || !data) {
      throw new Error(
        `Introspection of ${selection.kind} failed: ${errors?.[0]?.message ?? 'no data'}`,
      );
    }
    const name = selection.kind === Kind.FIELD ? (selection.alias ?? selection.name).value : '';
    return Object.hasOwn(data, name) ? data[name] : undefined;
  };
}
