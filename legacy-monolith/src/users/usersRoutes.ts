import type { FastifyInstance } from 'fastify';
import {
  bodySchema,
  emailField,
  notFound,
  parseIdParam,
  parseInput,
  registerPath,
  textField,
} from '@cinemaabyss/shared';
import type { UsersRepository } from './usersRepository';

const newUserBody = bodySchema({
  username: textField('username', { max: 64 }),
  email: emailField('email'),
});

export function registerUsersRoutes(app: FastifyInstance, users: UsersRepository): void {
  registerPath(app, '/api/users', {
    GET: async (request) => {
      const id = parseIdParam(request.query, 'id');
      if (id === undefined) return users.list();
      const user = await users.findById(id);
      if (!user) throw notFound(`user ${id} not found`);
      return user;
    },
    POST: async (request, reply) => {
      const input = parseInput(newUserBody, request.body);
      reply.code(201);
      return users.create(input);
    },
  });
}
