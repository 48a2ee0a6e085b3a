/**
 * The status page's client of the admin API (`data-api` of the mount element, e.g.
 * /admin/migrations): the response types, the session's token and actor, and one function per
 * call. The token lives only in sessionStorage and travels only in the Authorization header.
 */

// The answers' shapes are the gateway's own contract, shared with its stores and the CLI.
export type {
  Check,
  Difference,
  MigrationChange as AuditEntry,
  MigrationMetrics as Metrics,
  MigrationSetting,
  MigrationState as MigrationDetail,
  Mismatch,
  NoiseMark,
  Rollout,
  RolloutSettings,
  RolloutState,
  SeriesPoint,
  ShadowResults,
  Side,
  SideFigures,
  StepAnalysis,
  Verdict,
} from '../src/adminContract';
import type {
  MigrationChange as AuditEntry,
  MigrationMetrics as Metrics,
  MigrationSetting,
  MigrationState as MigrationDetail,
  Mismatch,
} from '../src/adminContract';

/** POST {api}/:name/rollout; rollbackTo left out means "the current percentage". */
export interface RolloutRequest {
  steps: number[];
  stepSeconds?: number;
  minRequests?: number;
  maxErrorRate?: number;
  maxLatencyRatio?: number;
  maxMismatchRate?: number;
  maxExtensions?: number;
  rollbackTo?: number;
}

export type RolloutCommand = 'pause' | 'resume' | 'abort';

/** A call that failed: `status` 0 when the gateway could not be reached or did not answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const REQUEST_TIMEOUT_MS = 5_000;
const TOKEN_KEY = 'cinemaabyss.adminToken';
const ACTOR_KEY = 'cinemaabyss.adminActor';

function readSession(key: string): string {
  try {
    return window.sessionStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function writeSession(key: string, value: string): void {
  try {
    if (value) window.sessionStorage.setItem(key, value);
    else window.sessionStorage.removeItem(key);
  } catch {
    // Storage switched off: the value lasts as long as the page.
  }
}

export const session = {
  token: () => readSession(TOKEN_KEY),
  setToken: (token: string) => writeSession(TOKEN_KEY, token),
  clearToken: () => writeSession(TOKEN_KEY, ''),
  actor: () => readSession(ACTOR_KEY),
  setActor: (actor: string) => writeSession(ACTOR_KEY, actor),
};

/** Why an actor name cannot go into X-Admin-Actor; null when it can. */
export function actorProblem(actor: string): string | null {
  const name = actor.trim();
  if (!name) return 'Enter your name (for the audit log) before changing anything.';
  if (name.length > 100) return 'Your name (for the audit log) must be at most 100 characters.';
  // A header value carries Latin-1 only; the API refuses control characters.
  if (/[^\x20-\x7e\xa0-\xff]/.test(name)) {
    return 'Your name (for the audit log) must use printable Latin characters only.';
  }
  return null;
}

async function errorOf(response: Response): Promise<ApiError> {
  let message = `The gateway answered ${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string' && body.error) message = body.error;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  return new ApiError(response.status, message);
}

export type StatusPageApi = ReturnType<typeof createApi>;

/** The admin API under `base`, with the token and actor of this browser session. */
export function createApi(base: string) {
  const root = base.replace(/\/+$/, '');
  const migrationPath = (name: string) => `${root}/${encodeURIComponent(name)}`;

  async function call<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${session.token()}`,
    };
    if (method !== 'GET') {
      const actor = session.actor().trim();
      const problem = actorProblem(actor);
      if (problem) throw new ApiError(0, problem);
      headers['x-admin-actor'] = actor;
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
      throw new ApiError(
        0,
        timedOut
          ? `The gateway did not answer within ${REQUEST_TIMEOUT_MS / 1000} s.`
          : 'The gateway cannot be reached.',
      );
    }
    if (!response.ok) throw await errorOf(response);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(response.status, 'The gateway answered something other than JSON.');
    }
  }

  return {
    list: () => call<MigrationSetting[]>('GET', root),
    detail: (name: string) => call<MigrationDetail>('GET', migrationPath(name)),
    metrics: (name: string, minutes = 15) =>
      call<Metrics>('GET', `${migrationPath(name)}/metrics?minutes=${minutes}`),
    mismatches: (name: string, limit = 10) =>
      call<Mismatch[]>('GET', `${migrationPath(name)}/mismatches?limit=${limit}`),
    audit: (name: string, limit = 20) =>
      call<AuditEntry[]>('GET', `${migrationPath(name)}/audit?limit=${limit}`),
    setPercent: (name: string, percent: number) =>
      call<MigrationSetting>('PUT', migrationPath(name), { percent }),
    setShadowPercent: (name: string, shadowPercent: number) =>
      call<MigrationSetting>('PUT', migrationPath(name), { shadowPercent }),
    startRollout: (name: string, plan: RolloutRequest) =>
      call<MigrationDetail>('POST', `${migrationPath(name)}/rollout`, plan),
    rolloutCommand: (name: string, command: RolloutCommand) =>
      call<MigrationDetail>('POST', `${migrationPath(name)}/rollout/${command}`),
  };
}
