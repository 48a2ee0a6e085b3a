import { isUnionType } from 'graphql';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { badUserInput } from '../http/errors';

/**
 * Wraps `Query._entities` so that a representation which names no entity of this subgraph (not
 * an object, no `__typename`, a type without `@key`) is BAD_USER_INPUT naming it. The gateway
 * never sends one; a client calling the subgraph directly may, and @apollo/subgraph answers it
 * with a plain Error, which reads as an internal failure.
 */
export function guardEntityRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const entitiesField = schema.getQueryType()?.getFields()._entities;
  const entityUnion = schema.getType('_Entity');
  if (!entitiesField || !isUnionType(entityUnion)) return schema;
  const entityTypes = new Set(entityUnion.getTypes().map((type) => type.name));
  const resolve = entitiesField.resolve as GraphQLFieldResolver<unknown, unknown>;
  entitiesField.resolve = (source, args: { representations?: unknown }, context, info) => {
    const representations = Array.isArray(args.representations) ? args.representations : [];
    representations.forEach((representation: unknown, i) => {
      const typename =
        typeof representation === 'object' && representation !== null
          ? (representation as { __typename?: unknown }).__typename
          : undefined;
      if (typeof typename !== 'string' || !entityTypes.has(typename)) {
        throw badUserInput(
          `representations[${i}] must be an object whose __typename is one of ${[...entityTypes].join(', ')}`,
        );
      }
    });
    return resolve(source, args, context, info);
  };
  return schema;
}
