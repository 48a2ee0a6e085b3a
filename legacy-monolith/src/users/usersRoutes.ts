import type { FastifyInstance } from 'fastify';
import { registerPath } from '@cinemaabyss/shared/http';
import {
  bodySchema,
  emailField,
  parseIdListParam,
  parseIdParam,
  parseInput,
  textField,
} from '@cinemaabyss/shared/validation';
import type { UsersRepository } from './usersRepository';
import { monolithErrors } from '../errors';

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
        if (id !== undefined) throw monolithErrors.cannotCombine('id', 'ids');
        return users.findByIds(ids);
      }
      if (id === undefined) return users.list();
      const user = await users.findById(id);
      if (!user) throw monolithErrors.userNotFound(id);
      return user;
    },
    POST: async (request, reply) => {
      const input = parseInput(newUserBody, request.body);
      reply.code(201);
      return users.create(input);
    },
  });
}
