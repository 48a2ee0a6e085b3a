import type { FastifyInstance } from 'fastify';
import { badUserInput, notFound, registerPath } from '@cinemaabyss/shared/http';
import {
  bodySchema,
  emailField,
  parseIdListParam,
  parseIdParam,
  parseInput,
  textField,
} from '@cinemaabyss/shared/validation';
import type { UsersRepository } from './usersRepository';

const newUserBody = bodySchema({
  username: textField('username', { max: 64 }),
  email: emailField('email'),
});

export function registerUsersRoutes(app: FastifyInstance, users: UsersRepository): void {
  registerPath(app, '/api/users', {
    GET: async (request) => {
      const id = parseIdParam(request.query, 'id');
      const ids = parseIdListParam(request.query, 'ids');
      if (ids !== undefined) {
        if (id !== undefined) throw badUserInput('query parameters id and ids cannot be combined');
        return users.findByIds(ids);
      }
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
