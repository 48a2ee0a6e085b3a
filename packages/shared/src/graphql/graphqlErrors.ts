import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from '../http/errors';
import type { Logger } from '../logger';

/** Codes Apollo itself assigns to a bad request; their messages are meant for clients. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * Apollo's formatError for every subgraph: an AppError keeps its message and becomes
 * `extensions.code`; a GraphQLError a resolver threw on purpose keeps its code; anything else
 * is logged and answered as "internal error", so SQL and stack traces never leave the process.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return { ...formatted, message: original.message, extensions: { code: original.code } };
    }
    const code = formatted.extensions?.code;
    if (
      original instanceof GraphQLError &&
      typeof code === 'string' &&
      code !== 'INTERNAL_SERVER_ERROR'
    ) {
      return { ...formatted, extensions: { code } };
    }
    if (typeof code === 'string' && CLIENT_CODES.has(code)) return formatted;
    logger.error({ err: original }, 'graphql resolver failed');
    return {
      message: 'internal error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
