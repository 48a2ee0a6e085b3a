import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isTransientDatabaseError } from '@cinemaabyss/shared/db';
import { registerPath } from '@cinemaabyss/shared/http';
import type { Logger } from '@cinemaabyss/shared/logging';
import { integerField, parseInput, strictBodySchema } from '@cinemaabyss/shared/validation';
import { z } from 'zod';
import { DEFAULT_WINDOW_MS } from '../figures/figuresRecorder';
import type { ShadowResult } from '../figures/figuresRecorder';
import type { FiguresStore } from '../figures/figuresStore';
import { toSeries } from '../figures/migrationSeries';
import type { MismatchStore } from '../shadow/mismatchStore';
import type { NoiseStore } from '../shadow/noiseStore';
import { rolloutBody } from '../rollout/rolloutPlan';
import type { Rollout, RolloutStore } from '../rollout/rolloutStore';
import { adminErrors } from '../errors';
import { bearerTokenMatches } from './adminToken';
import type { MigrationDial } from './migrationDial';
import { MIGRATION_NAME } from './migrationStore';
import type { MigrationSetting, MigrationStore } from './migrationStore';

export interface AdminApiOptions {
  /** ADMIN_TOKEN; without one the admin API is off and every /admin path answers 404. */
  token: string | undefined;
  store: MigrationStore;
  dial: MigrationDial;
  /** The fleet figures, for each migration's shadow results and its per-window series. */
  figures: Pick<FiguresStore, 'totals' | 'series'>;
  mismatches: Pick<MismatchStore, 'latest'>;
  /** The fleet's unexpired noise marks, shown with each migration. */
  noise: Pick<NoiseStore, 'list'>;
  /** Automated rollouts; a manual percentage change goes through it to be refused during one. */
  rollouts: Pick<
    RolloutStore,
    'start' | 'latest' | 'pause' | 'resume' | 'abort' | 'changeSettings'
  >;
  /** Says what an operator's rollout command did (log line, webhook). */
  onRolloutCommand(rollout: Rollout, event: string): void;
  /** The status page serves GET /admin: leave that path to it. @default false */
  statusPage?: boolean;
  logger: Logger;
}

export const DEFAULT_AUDIT_LIMIT = 20;
export const MAX_AUDIT_LIMIT = 500;
/** An admin body is one small JSON object; anything larger is not one. */
const ADMIN_BODY_LIMIT = 4 * 1024;

export const MAX_IGNORE_PATHS = 50;
/** `/field`, `/*\/field`: slash-separated keys, each non-empty, `*` for any one index or key. */
const IGNORE_PATH = /^(\/[^/\p{Cc}]+){1,20}$/u;

const changeBody = strictBodySchema({
  percent: integerField('percent', { min: 0, max: 100 }).optional(),
  shadowPercent: integerField('shadowPercent', { min: 0, max: 100 }).optional(),
  noisePercent: integerField('noisePercent', { min: 0, max: 100 }).optional(),
  ignorePaths: z
    .array(
      z
        .string({ error: 'ignorePaths must be an array of paths such as "/updated_at"' })
        .max(200, { error: 'ignorePaths entries must be at most 200 characters' })
        .regex(IGNORE_PATH, {
          error: (issue) =>
            `ignorePaths entry ${JSON.stringify(issue.input)} must be a path such as "/updated_at" or "/*/rating"`,
        }),
      { error: 'ignorePaths must be an array of paths such as "/updated_at"' },
    )
    .max(MAX_IGNORE_PATHS, { error: `ignorePaths must have at most ${MAX_IGNORE_PATHS} entries` })
    .optional(),
}).refine((body) => Object.values(body).some((value) => value !== undefined), {
  error: 'request body must set at least one of percent, shadowPercent, noisePercent, ignorePaths',
});

export const DEFAULT_MISMATCH_LIMIT = 20;
export const MAX_MISMATCH_LIMIT = 1_000;

/** The status page's default view of the figures. */
export const DEFAULT_METRICS_MINUTES = 15;
/** A day: the figures are kept two hours by default, so a longer span could show nothing more. */
export const MAX_METRICS_MINUTES = 1_440;

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

/** ?<name>=, an integer from 1 to `max` (at most 9999); `fallback` when absent. */
function countOf(
  request: FastifyRequest,
  name: 'limit' | 'minutes',
  fallback: number,
  max: number,
): number {
  const raw = (request.query as Record<string, unknown>)[name];
  if (raw === undefined) return fallback;
  const count = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(count >= 1 && count <= max)) {
    throw adminErrors.badInput(`query parameter ${name} must be an integer between 1 and ${max}`);
  }
  return count;
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
  const {
    token,
    store,
    dial,
    figures,
    mismatches,
    noise,
    rollouts,
    onRolloutCommand,
    logger,
    statusPage = false,
  } = options;

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

    // Operator data is never kept by a browser or a proxy, refusals included.
    admin.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });
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
    /**
     * The setting with its shadow results, summed over the fleet since its shadow settings
     * changed, and the paths the fleet currently treats as noise.
     */
    async function withShadowResults(setting: MigrationSetting) {
      const [totals, marks] = await fromStore(
        Promise.all([
          figures.totals(setting.name, new Date(setting.shadowSince)),
          noise.list(setting.name),
        ]),
      );
      const sum = (result: ShadowResult) =>
        totals.reduce((total, row) => total + row.shadow[result], 0);
      return {
        ...setting,
        shadow: {
          // A noisy comparison was made: it just proved nothing either way.
          compared: sum('match') + sum('mismatch') + sum('noise'),
          matched: sum('match'),
          mismatched: sum('mismatch'),
          noise: sum('noise'),
          skipped: sum('skipped'),
          errors: sum('error'),
          since: setting.shadowSince,
        },
        noise: marks.map(({ path, route, lastSeen }) => ({ path, route, lastSeen })),
      };
    }

    /**
     * What GET /admin/migrations/:name shows: the setting, shadow results, the newest rollout.
     * The rollout is read first and the setting after it: a rollout transition commits its state
     * and its percentage together, so a state shown always comes with the percentage it set
     * (read the other way round, a rollback landing in between showed `rolled_back` at 25 %).
     */
    async function migrationState(name: string) {
      const rollout = await fromStore(rollouts.latest(name));
      const withShadow = await withShadowResults(await requireMigration(name));
      return { ...withShadow, rollout: rollout ?? null };
    }

    /** Runs an operator's rollout command, applies its dial change here and says what it did. */
    async function rolloutCommand(
      request: FastifyRequest,
      event: string,
      run: (name: string, actor: string) => Promise<Rollout | undefined>,
    ) {
      const { name } = request.params as { name: string };
      const actor = actorOf(request);
      checkName(name);
      const rollout = await fromStore(run(name, actor));
      if (!rollout) throw adminErrors.unknownMigration(name);
      onRolloutCommand(rollout, `${event} by ${actor}`);
      await dial.refresh();
      return migrationState(name);
    }

    registerPath(admin, '/admin/migrations/:name', {
      GET: async (request) => {
        const { name } = request.params as { name: string };
        checkName(name);
        return migrationState(name);
      },
      PUT: async (request) => {
        const { name } = request.params as { name: string };
        const actor = actorOf(request);
        const changes = parseInput(changeBody, request.body);
        checkName(name);
        const result = await fromStore(
          rollouts.changeSettings({ name, changes, actor, address: request.ip }),
        );
        if (!result) throw adminErrors.unknownMigration(name);
        if (result.before.updatedAt !== result.after.updatedAt) {
          logger.info(
            {
              migration: name,
              actor,
              from: result.before.percent,
              to: result.after.percent,
              shadowPercent: result.after.shadowPercent,
              noisePercent: result.after.noisePercent,
              ignorePaths: result.after.ignorePaths,
            },
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
        const limit = countOf(request, 'limit', DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT);
        await requireMigration(name);
        return fromStore(store.audit(name, limit));
      },
    });
    registerPath(admin, '/admin/migrations/:name/mismatches', {
      GET: async (request) => {
        const { name } = request.params as { name: string };
        const limit = countOf(request, 'limit', DEFAULT_MISMATCH_LIMIT, MAX_MISMATCH_LIMIT);
        await requireMigration(name);
        return fromStore(mismatches.latest(name, limit));
      },
    });
    registerPath(admin, '/admin/migrations/:name/rollout', {
      POST: async (request, reply) => {
        const body = parseInput(rolloutBody, request.body);
        const state = await rolloutCommand(request, 'started', (name, actor) =>
          rollouts.start(name, body, { actor, address: request.ip }),
        );
        return reply.code(201).send(state);
      },
    });
    registerPath(admin, '/admin/migrations/:name/rollout/pause', {
      POST: (request) =>
        rolloutCommand(request, 'paused', (name, actor) => rollouts.pause(name, actor)),
    });
    registerPath(admin, '/admin/migrations/:name/rollout/resume', {
      POST: (request) => rolloutCommand(request, 'resumed', (name) => rollouts.resume(name)),
    });
    registerPath(admin, '/admin/migrations/:name/rollout/abort', {
      POST: (request) =>
        rolloutCommand(request, 'aborted', (name, actor) =>
          rollouts.abort(name, { actor, address: request.ip }),
        ),
    });
    /** The fleet's figures per side and window over the last ?minutes=: the status page's chart. */
    registerPath(admin, '/admin/migrations/:name/metrics', {
      GET: async (request) => {
        const { name } = request.params as { name: string };
        const minutes = countOf(request, 'minutes', DEFAULT_METRICS_MINUTES, MAX_METRICS_MINUTES);
        await requireMigration(name);
        const to = new Date();
        const from = new Date(to.getTime() - minutes * 60_000);
        const windows = await fromStore(figures.series(name, from));
        return {
          migration: name,
          minutes,
          windowSeconds: windows[0]?.windowSeconds ?? DEFAULT_WINDOW_MS / 1000,
          from: from.toISOString(),
          to: to.toISOString(),
          sides: toSeries(windows),
        };
      },
    });
    // GET /admin is the status page (registerStatusPage), outside the token check.
    if (!statusPage) {
      admin.all('/admin', async (request) => {
        throw adminErrors.noRoute(request.method, '/admin');
      });
    }
    admin.all('/admin/*', async (request) => {
      throw adminErrors.noRoute(request.method, request.url.split('?')[0] ?? '');
    });
  });
}
