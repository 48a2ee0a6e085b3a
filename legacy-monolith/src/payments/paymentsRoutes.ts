import type { FastifyInstance } from 'fastify';
import {
  badUserInput,
  bodySchema,
  decimalField,
  idField,
  notFound,
  parseIdListParam,
  parseIdParam,
  parseInput,
  registerPath,
} from '@cinemaabyss/shared';
import type { PaymentsRepository } from './paymentsRepository';

const newPaymentBody = bodySchema({
  user_id: idField('user_id'),
  amount: decimalField('amount', { min: 0, exclusiveMin: true, max: 1_000_000, decimals: 2 }),
});

export function registerPaymentsRoutes(app: FastifyInstance, payments: PaymentsRepository): void {
  registerPath(app, '/api/payments', {
    GET: async (request) => {
      const id = parseIdParam(request.query, 'id');
      const userId = parseIdParam(request.query, 'user_id');
      const ids = parseIdListParam(request.query, 'ids');
      const userIds = parseIdListParam(request.query, 'user_ids');
      if (id !== undefined && (ids !== undefined || userIds !== undefined)) {
        throw badUserInput('query parameter id cannot be combined with ids or user_ids');
      }
      if (userId !== undefined && userIds !== undefined) {
        throw badUserInput('query parameters user_id and user_ids cannot be combined');
      }
      if (id === undefined) {
        return payments.list({ ids, userIds: userId === undefined ? userIds : [userId] });
      }
      const payment = await payments.findById(id);
      if (!payment) throw notFound(`payment ${id} not found`);
      return payment;
    },
    POST: async (request, reply) => {
      const input = parseInput(newPaymentBody, request.body);
      const created = await payments.create({ userId: input.user_id, amount: input.amount });
      reply.code(201);
      return created;
    },
  });
}
