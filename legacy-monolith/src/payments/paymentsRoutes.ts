import type { FastifyInstance } from 'fastify';
import { parseUserOwnedQuery } from '../userOwnedRecords';
import { bodySchema, decimalField, idField, parseInput } from '@cinemaabyss/shared/validation';
import { registerPath } from '@cinemaabyss/shared/http';
import type { PaymentsRepository } from './paymentsRepository';
import { monolithErrors } from '../errors';

const newPaymentBody = bodySchema({
  user_id: idField('user_id'),
  amount: decimalField('amount', { min: 0, exclusiveMin: true, max: 1_000_000, decimals: 2 }),
});

export function registerPaymentsRoutes(app: FastifyInstance, payments: PaymentsRepository): void {
  registerPath(app, '/api/payments', {
    GET: async (request) => {
      const query = parseUserOwnedQuery(request.query);
      if (!('id' in query)) return payments.list(query.filter);
      const { id } = query;
      const payment = await payments.findById(id);
      if (!payment) throw monolithErrors.paymentNotFound(id);
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
