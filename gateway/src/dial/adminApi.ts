import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isTransientDatabaseError } from '@cinemaabyss/shared/db';
import { registerPath } from '@cinemaabyss/shared/http';
import type { Logger } from '@cinemaabyss/shared/logging';
import { integerField, parseInput, strictBodySchema } from '@cinemaabyss/shared/validation';
import { adminErrors } from '../errors';
import { bearerTokenMatches } from './adminToken';
import type { MigrationDial } from './migrationDial';
import { MIGRATION_NAME } from './migrationStore';
import type { MigrationStore } from './migrationStore';

export interface AdminApiOptions {
  /** ADMIN_TOKEN; without one the admin API is off and every /admin path answers 404. */
  token: string | undefined;
  store: MigrationStore;
  dial: MigrationDial;
  logger: Logger;
}

export const DEFAULT_AUDIT_LIMIT = 20;
export const MAX_AUDIT_LIMIT = 500;
/** An admin body is one small JSON object; anything larger is not one. */
const ADMIN_BODY_LIMIT = 4 * 1024;

const changeBody = strictBodySchema({ percent: integerField('percent', { min: 0, max: 100 }) });

/** X-Admin-Actor, else "admin": who the audit row says made the change. */
function actorOf(request: FastifyRequest): string {
  const header = request.headers['x-admin-actor'];
  if (header === undefined) return 'admin';
  const actor = typeof header === 'string' ? header.trim() : '';
  // Printable ASCII and beyond, no control characters: it ends up in logs and the audit table.
  if (!/^[^\p{Cc}]{1,100}$/u.test(actor)) {
    throw adminErrors.badInput('X-Admin-Actor must be 1 to 100 printable characters');
  }
  return actor;
}

function auditLimitOf(request: FastifyRequest): number {
  const raw = (request.query as Record<string, unknown>).limit;
  if (raw === undefined) return DEFAULT_AUDIT_LIMIT;
  const limit = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= MAX_AUDIT_LIMIT)) {
    throw adminErrors.badInput(
      `query parameter limit must be an integer between 1 and ${MAX_AUDIT_LIMIT}`,
    );
  }
  return limit;
}

/** The store's answer, with an unreachable database as a 503 rather than an internal error. */
async function fromStore<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isTransientDatabaseError(err)) throw adminErrors.storeUnavailable(err);
    throw err;
  }
}

function parseJsonBody(contentType: string | undefined, body: string): unknown {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    throw adminErrors.badInput('Content-Type must be application/json');
  }
  try {
    return JSON.parse(body);
  } catch {
    throw adminErrors.badInput('malformed JSON in request body');
  }
}

/**
 * The operators' API of the live migration dial under /admin/migrations: read the settings and
 * their audit trail, change a percentage. Bearer-token auth on every path; every change is
 * audited and applied on this replica at once (and on the others by notification).
 */
export async function registerAdminApi(app: FastifyInstance, options: AdminApiOptions) {
  const { token, store, dial, logger } = options;

  await app.register(async function adminApi(admin) {
    if (!token) {
      admin.all('/admin', async () => {
        throw adminErrors.off();
      });
      admin.all('/admin/*', async () => {
        throw adminErrors.off();
      });
      return;
    }

    admin.addHook('onRequest', async (request, reply) => {
      if (!bearerTokenMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="cinemaabyss-admin"');
        throw adminErrors.unauthorized();
      }
    });
    // Bodies are judged here, not by Fastify's defaults, so every mistake is a 400 naming it.
    admin.removeAllContentTypeParsers();
    admin.addHook('onRoute', (route) => {
      route.bodyLimit = ADMIN_BODY_LIMIT;
    });
    admin.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
      try {
        done(null, parseJsonBody(request.headers['content-type'], body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });

    /** A name the table cannot hold (a NUL, capitals) is an unknown migration, never a query. */
    function checkName(name: string) {
      if (!MIGRATION_NAME.test(name)) throw adminErrors.unknownMigration(name);
    }

    async function requireMigration(name: string) {
      checkName(name);
      const setting = await fromStore(store.find(name));
      if (!setting) throw adminErrors.unknownMigration(name);
      return setting;
    }

    registerPath(admin, '/admin/migrations', {
      GET: async () => fromStore(store.list()),
    });
    registerPath(admin, '/admin/migrations/:name', {
      GET: async (request) => requireMigration((request.params as { name: string }).name),
      PUT: async (request) => {
        const { name } = request.params as { name: string };
        const actor = actorOf(request);
        const { percent } = parseInput(changeBody, request.body);
        checkName(name);
        const result = await fromStore(store.change({ name, percent, actor, address: request.ip }));
        if (!result) throw adminErrors.unknownMigration(name);
        if (result.before.percent !== result.after.percent) {
          logger.info(
            { migration: name, actor, from: result.before.percent, to: result.after.percent },
            'migration dial changed',
          );
        }
        // This replica applies it before answering; the others on the change's notification.
        await dial.refresh();
        return result.after;
      },
    });
    registerPath(admin, '/admin/migrations/:name/audit', {
      GET: async (request) => {
        const { name } = request.params as { name: string };
        const limit = auditLimitOf(request);
        await requireMigration(name);
        return fromStore(store.audit(name, limit));
      },
    });
    admin.all('/admin', async (request) => {
      throw adminErrors.noRoute(request.method, '/admin');
    });
    admin.all('/admin/*', async (request) => {
      throw adminErrors.noRoute(request.method, request.url.split('?')[0] ?? '');
    });
  });
}
