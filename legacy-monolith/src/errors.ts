import { badUserInput, conflict, notFound } from '@cinemaabyss/shared/http';

/**
 * Every failure the legacy monolith reports to a client, each an AppError (string code + HTTP
 * status; REST answers `{"error": message}`). Malformed fields are reported by the shared
 * validation (`@cinemaabyss/shared/validation`); these are the monolith's own.
 */
export const monolithErrors = {
  userNotFound: (id: number) => notFound(`user ${id} not found`),
  movieNotFound: (id: number) => notFound(`movie ${id} not found`),
  paymentNotFound: (id: number) => notFound(`payment ${id} not found`),
  subscriptionNotFound: (id: number) => notFound(`subscription ${id} not found`),
  /** A payment or subscription for a user that does not exist. */
  unknownUser: (userId: number) => badUserInput(`user_id ${userId} does not exist`),
  duplicateUser: (field: string, value: string) =>
    conflict(`a user with this ${field} already exists: ${value}`),
  /** Query parameters that select rows in different ways. */
  cannotCombine: (first: string, second: string) =>
    badUserInput(`query parameters ${first} and ${second} cannot be combined`),
  cannotCombineWithAny: (parameter: string, others: string[]) =>
    badUserInput(`query parameter ${parameter} cannot be combined with ${others.join(' or ')}`),
};
