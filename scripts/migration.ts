/**
 * `npm run migration -- <command>`: the operators' client of the gateway's admin API.
 *
 *   show [name]              every migration's setting, or one with its shadow results, noise and latest changes
 *   set <name> <percent>     turn a migration's dial (0-100)
 *   shadow <name> <percent>  the share of reads also sent to the other side and compared (0-100)
 *   noise <name> <percent>   the share of compared reads also asked twice of the serving side, to learn noise (0-100)
 *   ignore <name> [path...]  the paths the comparison leaves out (none: compare everything)
 *   mismatches <name> [limit] the latest requests whose two answers differed, newest first
 *   audit <name> [limit]     the latest changes of one migration, newest first
 *   rollout <name> --steps 5,25,50,100 [--step-seconds N] [--min-requests N] [--max-error-rate X]
 *           [--max-latency-ratio X] [--max-mismatch-rate X] [--max-extensions N] [--rollback-to N]
 *                            start an automated rollout: the dial walks the steps, each judged on the
 *                            fleet figures, and rolls back on its own when a step fails
 *   rollout-status <name>    the newest rollout: its state, step, settings and every step's analysis
 *   pause <name>             hold the running rollout at its step
 *   resume <name>            run the paused rollout's step again from its start
 *   abort <name>             end the rollout and return the dial to its rollback percentage
 *
 * GATEWAY_URL (default http://127.0.0.1:8000), ADMIN_TOKEN (required), ADMIN_ACTOR (recorded as
 * who made the change; default the login name). Exit status: 0 done, 1 refused or unreachable,
 * 2 usage.
 */
import os from 'node:os';
import { request } from 'undici';
import { isTimeoutError } from '@cinemaabyss/shared/http-client';
import { formatTable } from '@cinemaabyss/shared/text';
import type {
  MigrationChange,
  MigrationSetting,
  MigrationState,
  Mismatch,
  StepAnalysis,
} from '@cinemaabyss/gateway/admin-contract';

const TIMEOUT_MS = 5_000;
const USAGE = `usage: npm run migration -- show [name]
       npm run migration -- set <name> <percent 0-100>
       npm run migration -- shadow <name> <percent 0-100>
       npm run migration -- noise <name> <percent 0-100>
       npm run migration -- ignore <name> [path ...]     e.g. /updated_at /*/rating
       npm run migration -- mismatches <name> [limit]
       npm run migration -- audit <name> [limit]
       npm run migration -- rollout <name> --steps 5,25,50,100 [--step-seconds N] [--min-requests N]
                              [--max-error-rate X] [--max-latency-ratio X] [--max-mismatch-rate X]
                              [--max-extensions N] [--rollback-to N]
       npm run migration -- rollout-status <name>
       npm run migration -- pause|resume|abort <name>
environment: GATEWAY_URL (default http://127.0.0.1:8000), ADMIN_TOKEN, ADMIN_ACTOR`;

/** GET /admin/migrations lists settings; GET of one adds its shadow results, noise and rollout. */
type Setting = MigrationSetting & Partial<Pick<MigrationState, 'shadow' | 'noise'>>;
type Change = MigrationChange;

/** A failure the operator can act on; its message is printed as is. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const env = process.env;
const gatewayUrl = (env.GATEWAY_URL?.trim() || 'http://127.0.0.1:8000').replace(/\/+$/, '');

function describeRefusal(status: number, error: string): string {
  switch (status) {
    case 401:
      return `the gateway refused the admin token (401): ${error}. Check ADMIN_TOKEN.`;
    case 404:
      return `not found (404): ${error}`;
    case 400:
      return `the gateway refused the request (400): ${error}`;
    case 409:
      return `conflict (409): ${error}`;
    default:
      return `the gateway answered ${status}: ${error}`;
  }
}

/** Who the audit row names: ADMIN_ACTOR, else the login name (which a container may not have). */
function actorName(): string {
  const given = env.ADMIN_ACTOR?.trim();
  if (given) return given;
  try {
    return os.userInfo().username;
  } catch {
    throw new CliError('set ADMIN_ACTOR: this user has no login name to record as the actor', 2);
  }
}

async function call<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = env.ADMIN_TOKEN?.trim();
  if (!token)
    throw new CliError('ADMIN_TOKEN is not set: export the token the gateway runs with', 2);
  const actor = actorName();
  let response;
  try {
    response = await request(`${gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-admin-actor': actor,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    if (isTimeoutError(err)) {
      throw new CliError(`the gateway at ${gatewayUrl} did not answer within ${TIMEOUT_MS} ms`);
    }
    const code = (err as { code?: string }).code;
    const reason = code === 'ECONNREFUSED' ? 'connection refused' : (err as Error).message;
    throw new CliError(
      `cannot reach the gateway at ${gatewayUrl}: ${reason}. Is it running? Set GATEWAY_URL to point elsewhere.`,
    );
  }
  const text = await response.body.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    throw new CliError(`the gateway answered ${response.statusCode} with a body that is not JSON`);
  }
  // 200, or 201 for a rollout started.
  if (response.statusCode !== 200 && response.statusCode !== 201) {
    const error = (parsed as { error?: unknown } | undefined)?.error;
    throw new CliError(describeRefusal(response.statusCode, String(error ?? 'no details')));
  }
  return parsed as T;
}

const settingsTable = (settings: Setting[]) =>
  formatTable(
    ['MIGRATION', 'PERCENT', 'SHADOW', 'NOISE', 'UPDATED AT', 'UPDATED BY'],
    settings.map((s) => [
      s.name,
      `${s.percent} %`,
      `${s.shadowPercent} %`,
      `${s.noisePercent} %`,
      s.updatedAt,
      s.updatedBy,
    ]),
    { style: 'plain' },
  );

const changesTable = (changes: Change[]) =>
  formatTable(
    ['CHANGED AT', 'SETTING', 'FROM', 'TO', 'BY', 'ADDRESS'],
    changes.map((c) => {
      const shown = (value: string | null) =>
        value === null ? '-' : c.field === 'ignorePaths' ? value : `${value} %`;
      return [
        c.changedAt,
        c.field,
        shown(c.oldValue),
        shown(c.newValue),
        c.actor,
        c.address ?? '-',
      ];
    }),
    { style: 'plain' },
  );

/** What a mismatch asked: a REST path, or a GraphQL operation and the start of its variables' hash. */
function requested(m: Mismatch): string {
  if (m.surface === 'rest') return `${m.request.method} ${m.request.path}`;
  const { method, operationName, variablesHash } = m.request;
  const variables = variablesHash ? ` #${variablesHash.slice(0, 8)}` : '';
  return `${method} ${operationName ?? '(anonymous)'}${variables}`;
}

const mismatchesTable = (mismatches: Mismatch[]) =>
  formatTable(
    ['AT', 'REQUEST', 'SERVED BY', 'STATUS', 'DIFFERENCES'],
    mismatches.map((m) => [
      m.at,
      requested(m),
      m.request.servedSide,
      `${m.status.served} / ${m.status.shadow}`,
      m.differences
        .slice(0, 3)
        .map((d) => `${d.path}: ${d.served} ≠ ${d.shadow}`)
        .join('; ') + (m.differences.length > 3 ? ` (+${m.differences.length - 3} more)` : ''),
    ]),
    { style: 'plain' },
  );

/** The paths the fleet leaves out of comparisons now, as learned noise. */
function noiseSummary(setting: Setting): string {
  const marks = setting.noise ?? [];
  if (marks.length === 0) return '\n\nnoisy paths: none';
  return `\n\nnoisy paths (left out of comparisons until they expire after their last noisy pair):\n${formatTable(
    ['LAST SEEN', 'ROUTE', 'PATH'],
    marks.map((mark) => [mark.lastSeen, mark.route, mark.path]),
    { style: 'plain' },
  )}`;
}

function shadowSummary(setting: Setting): string {
  const shadow = setting.shadow;
  if (!shadow) return '';
  const ignored = setting.ignorePaths.length ? setting.ignorePaths.join(' ') : 'none';
  return (
    `\n\nshadow comparison at ${setting.shadowPercent} % since ${shadow.since} (ignored paths: ${ignored}; ` +
    `noise learned on ${setting.noisePercent} %):\n` +
    `${shadow.compared} compared, ${shadow.matched} matched, ${shadow.mismatched} mismatched, ` +
    `${shadow.noise} noisy, ${shadow.errors} errors, ${shadow.skipped} skipped${noiseSummary(setting)}`
  );
}

/** Observed rates: two decimals below 1 %, as the rollout's own reasons write them. */
const observedRate = (rate: number | null) =>
  rate === null ? '-' : `${(rate * 100).toFixed(rate < 0.01 ? 2 : 1)} %`;
/** A limit as given: 0.001 is 0.1 %. */
const limitRate = (rate: number) => `${Number((rate * 100).toFixed(4))} %`;
const milliseconds = (ms: number | null) => (ms === null ? '-' : `${ms.toFixed(1)} ms`);

const analysesTable = (analyses: StepAnalysis[]) =>
  formatTable(
    [
      'AT',
      'STEP',
      'VERDICT',
      'CHECK',
      'NEW REQUESTS',
      'NEW FAILURE RATE',
      'NEW P99',
      'OLD P99',
      'MISMATCH RATE',
    ],
    analyses.map((a) => {
      const { old, new: next, shadow } = a.figures;
      return [
        a.at,
        `${a.step + 1} (${a.percent} %)`,
        a.early ? `${a.verdict} (early)` : a.verdict,
        a.check ?? '-',
        String(next.requests),
        observedRate(next.failureRate),
        milliseconds(next.p99Ms),
        milliseconds(old.p99Ms),
        shadow.mismatchRate === null
          ? '-'
          : `${observedRate(shadow.mismatchRate)} (${shadow.mismatched} of ${shadow.compared})`,
      ];
    }),
    { style: 'plain' },
  );

/** The migration's newest rollout: where it stands, how it judges, every analysis so far. */
function rolloutStatus(state: MigrationState): string {
  const { rollout } = state;
  if (!rollout) return `${state.name}: no rollout yet; the dial is at ${state.percent} %`;
  const s = rollout.settings;
  const line = (label: string, text: string) => `${`${label}:`.padEnd(15)}${text}`;
  const lines = [
    `${state.name}: rollout ${rollout.state} at step ${rollout.step + 1} of ${rollout.steps.length} ` +
      `(${rollout.steps[rollout.step]} %); the dial is at ${state.percent} %`,
    line(
      'steps',
      `${rollout.steps.join(' → ')} %, back to ${s.rollbackTo} % on a rollback or abort`,
    ),
    line('started', `${rollout.startedAt} by ${rollout.startedBy}`),
    line(
      'step started',
      `${rollout.stepStartedAt}; extended ${rollout.extensions} of ${s.maxExtensions} times for want of traffic`,
    ),
    line('each step', `${s.stepSeconds} s; a side's figures count from ${s.minRequests} requests`),
    line(
      'limits',
      `new failure rate ${limitRate(s.maxErrorRate)}, new p99 ${s.maxLatencyRatio} × old p99, ` +
        `shadow mismatch rate ${limitRate(s.maxMismatchRate)}`,
    ),
    ...(rollout.reason ? [line('reason', rollout.reason)] : []),
  ];
  const analyses = rollout.analyses.length
    ? `analyses:\n${analysesTable(rollout.analyses)}`
    : 'no analyses yet';
  return `${lines.join('\n')}\n\n${analyses}`;
}

const percentArgument = (value: string, what: string) => {
  if (!/^-?\d+$/.test(value))
    throw new CliError(`${what} must be a whole number 0-100, got "${value}"\n${USAGE}`, 2);
  return Number(value);
};

const segment = (name: string) => encodeURIComponent(name);

const usageError = (message: string) => new CliError(`${message}\n${USAGE}`, 2);

/** The rollout's flags: each sets one field of the body. */
const ROLLOUT_FLAGS = new Map<string, { field: string; kind: 'steps' | 'whole' | 'decimal' }>([
  ['steps', { field: 'steps', kind: 'steps' }],
  ['step-seconds', { field: 'stepSeconds', kind: 'whole' }],
  ['min-requests', { field: 'minRequests', kind: 'whole' }],
  ['max-error-rate', { field: 'maxErrorRate', kind: 'decimal' }],
  ['max-latency-ratio', { field: 'maxLatencyRatio', kind: 'decimal' }],
  ['max-mismatch-rate', { field: 'maxMismatchRate', kind: 'decimal' }],
  ['max-extensions', { field: 'maxExtensions', kind: 'whole' }],
  ['rollback-to', { field: 'rollbackTo', kind: 'whole' }],
]);

/** A flag's value in its form, or a usage error naming the flag. */
function flagValue(flag: string, kind: 'steps' | 'whole' | 'decimal', value: string) {
  switch (kind) {
    case 'steps':
      if (!/^\d+(,\d+)*$/.test(value)) {
        throw usageError(
          `--${flag} must be whole-number percentages separated by commas, such as 5,25,50,100, got "${value}"`,
        );
      }
      return value.split(',').map(Number);
    case 'whole':
      if (!/^\d+$/.test(value))
        throw usageError(`--${flag} must be a whole number, got "${value}"`);
      return Number(value);
    case 'decimal':
      if (!/^\d*\.?\d+$/.test(value)) {
        throw usageError(`--${flag} must be a number such as 0.01, got "${value}"`);
      }
      return Number(value);
  }
}

/**
 * The body of POST .../rollout from `--flag value` (or `--flag=value`) pairs. Only the form is
 * checked here; the ranges are the gateway's to judge, as for every other command.
 */
function rolloutBody(flags: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (let i = 0; i < flags.length; i += 1) {
    const arg = flags[i] ?? '';
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw usageError(`unexpected argument "${arg}"`);
    const flag = match[1] ?? '';
    const known = ROLLOUT_FLAGS.get(flag);
    if (!known) throw usageError(`unknown flag --${flag}`);
    if (known.field in body) throw usageError(`--${flag} is given twice`);
    let value = match[2];
    if (value === undefined) {
      i += 1;
      value = flags[i];
      if (value === undefined || value.startsWith('--')) {
        throw usageError(`--${flag} needs a value`);
      }
    }
    body[known.field] = flagValue(flag, known.kind, value);
  }
  if (!body.steps) throw usageError('--steps is required, such as --steps 5,25,50,100');
  return body;
}

const ROLLOUT_COMMANDS = new Set(['pause', 'resume', 'abort']);

async function main(args: string[]): Promise<string> {
  const [command, name, value, ...rest] = args;
  if (command === 'show' && value === undefined) {
    if (!name) return settingsTable(await call<Setting[]>('GET', '/admin/migrations'));
    const setting = await call<Setting>('GET', `/admin/migrations/${segment(name)}`);
    const changes = await call<Change[]>('GET', `/admin/migrations/${segment(name)}/audit?limit=5`);
    return `${settingsTable([setting])}${shadowSummary(setting)}\n\nlatest changes:\n${changesTable(changes)}`;
  }
  if (command === 'set' && name && value !== undefined && rest.length === 0) {
    const setting = await call<Setting>('PUT', `/admin/migrations/${segment(name)}`, {
      percent: percentArgument(value, 'percent'),
    });
    return `${setting.name} is at ${setting.percent} % (set by ${setting.updatedBy} at ${setting.updatedAt}); every gateway replica applies it within a second`;
  }
  if (command === 'shadow' && name && value !== undefined && rest.length === 0) {
    const setting = await call<Setting>('PUT', `/admin/migrations/${segment(name)}`, {
      shadowPercent: percentArgument(value, 'shadow percent'),
    });
    return `${setting.name} compares ${setting.shadowPercent} % of its reads with the other side (set by ${setting.updatedBy} at ${setting.updatedAt})`;
  }
  if (command === 'noise' && name && value !== undefined && rest.length === 0) {
    const setting = await call<Setting>('PUT', `/admin/migrations/${segment(name)}`, {
      noisePercent: percentArgument(value, 'noise percent'),
    });
    return `${setting.name} asks the serving side twice on ${setting.noisePercent} % of its compared reads, to learn noise (set by ${setting.updatedBy} at ${setting.updatedAt})`;
  }
  if (command === 'ignore' && name) {
    const paths = value === undefined ? [] : [value, ...rest];
    const setting = await call<Setting>('PUT', `/admin/migrations/${segment(name)}`, {
      ignorePaths: paths,
    });
    return `${setting.name}'s comparison ignores ${setting.ignorePaths.length ? setting.ignorePaths.join(' ') : 'no path'}`;
  }
  if (command === 'mismatches' && name && rest.length === 0) {
    const limit = value === undefined ? '' : `?limit=${encodeURIComponent(value)}`;
    return mismatchesTable(
      await call<Mismatch[]>('GET', `/admin/migrations/${segment(name)}/mismatches${limit}`),
    );
  }
  if (command === 'audit' && name && rest.length === 0) {
    const limit = value === undefined ? '' : `?limit=${encodeURIComponent(value)}`;
    return changesTable(
      await call<Change[]>('GET', `/admin/migrations/${segment(name)}/audit${limit}`),
    );
  }
  if (command === 'rollout' && name && !name.startsWith('-')) {
    const body = rolloutBody(args.slice(2));
    return rolloutStatus(
      await call<MigrationState>('POST', `/admin/migrations/${segment(name)}/rollout`, body),
    );
  }
  if (command === 'rollout-status' && name && value === undefined) {
    return rolloutStatus(await call<MigrationState>('GET', `/admin/migrations/${segment(name)}`));
  }
  if (command && ROLLOUT_COMMANDS.has(command) && name && value === undefined) {
    return rolloutStatus(
      await call<MigrationState>('POST', `/admin/migrations/${segment(name)}/rollout/${command}`),
    );
  }
  throw new CliError(USAGE, 2);
}

main(process.argv.slice(2)).then(
  (output) => {
    process.stdout.write(`${output}\n`);
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`unexpected failure: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
