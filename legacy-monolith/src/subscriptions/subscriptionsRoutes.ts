import type { FastifyInstance } from 'fastify';
import { parseUserOwnedQuery } from '../userOwnedRecords';
import {
  bodySchema,
  dateTimeField,
  idField,
  parseInput,
  textField,
} from '@cinemaabyss/shared/validation';
import { registerPath } from '@cinemaabyss/shared/http';
import type { SubscriptionsRepository } from './subscriptionsRepository';
import { monolithErrors } from '../errors';

const newSubscriptionBody = bodySchema({
  user_id: idField('user_id'),
  plan_type: textField('plan_type', { max: 64 }),
  start_date: dateTimeField('start_date'),
  end_date: dateTimeField('end_date'),
}).refine((body) => body.end_date >= body.start_date, {
  error: 'end_date must not be before start_date',
});

export function registerSubscriptionsRoutes(
  app: FastifyInstance,
  subscriptions: SubscriptionsRepository,
): void {
  registerPath(app, '/api/subscriptions', {
    GET: async (request) => {
      const query = parseUserOwnedQuery(request.query);
      if (!('id' in query)) return subscriptions.list(query.filter);
      const { id } = query;
      const subscription = await subscriptions.findById(id);
      if (!subscription) throw monolithErrors.subscriptionNotFound(id);
      return subscription;
    },
    POST: async (request, reply) => {
      const input = parseInput(newSubscriptionBody, request.body);
      const created = await subscriptions.create({
        userId: input.user_id,
        planType: input.plan_type,
        startDate: input.start_date,
        endDate: input.end_date,
      });
      reply.code(201);
      return created;
    },
  });
}
