import { Kind, visit } from 'graphql';
import type {
  DocumentNode,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';

/**
 * A one-operation document: `operation` with `selections` at its root (fragments already
 * inlined into them) and only the variables they still use. The one way the gateway rewrites
 * an operation: cut down to a shadow run's evidence, or to what a caller may see.
 */
export function operationWithSelections(
  operation: OperationDefinitionNode,
  selections: SelectionNode[],
): DocumentNode {
  const selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections };
  const used = new Set<string>();
  visit(selectionSet, {
    Variable(node) {
      used.add(node.name.value);
    },
  });
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...operation,
        variableDefinitions: operation.variableDefinitions?.filter((definition) =>
          used.has(definition.variable.name.value),
        ),
        selectionSet,
      },
    ],
  };
}
