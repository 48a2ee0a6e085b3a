import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';

export const PARTS = [
  'gateways',
  'tracing',
  'auth',
  'rest',
  'shadow',
  'nplus1',
  'events',
  'subscriptions',
] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  quick: boolean;
  /** Which parts run; all unless `--only=a,b`. */
  parts: ReadonlySet<Part>;
  /** Alternating measurement rounds per comparison. */
  rounds: number;
  /** Seconds of load per target and round. */
  measureSeconds: number;
  /** Seconds of untimed load per target before the first round (JIT, plan caches, pools). */
  warmupSeconds: number;
  /** Seconds of untimed load right before each measured window. */
  settleSeconds: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** The user base is grown through these sizes; N+1 counts are taken at each. */
  userSteps: readonly number[];
  /** Sizes (among userSteps) at which the gateways are compared. */
  gatewayUsers: readonly number[];
  /** Rows per outbox relay round. */
  outboxRows: number;
  outboxRounds: number;
  /** A second relay measurement (one round) with this batch size, to show what it costs. */
  outboxWhatIfBatchSize: number | undefined;
  /** Mutations timed from commit to processed, sent at `mutationRate` per second. */
  mutations: number;
  mutationRate: number;
  /** Gateway children run with `--cpu-prof`, profiles written here. */
  profileDir: string | undefined;
  /** Where latest.json and latest.md go. */
  resultsDir: string;
  /** Keep the sections of the results already there that this run does not measure. */
  merge: boolean;
}

const RESULTS_DIR = path.resolve(__dirname, '../results');

function readParts(value: string | undefined): Set<Part> {
  if (value === undefined) return new Set(PARTS);
  const parts = value.split(',').map((p) => p.trim());
  const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) {
    const named = unknown.map((p) => `"${p}"`).join(', ');
    throw new Error(`--only: unknown part(s) ${named}; known: ${PARTS.join(', ')}`);
  }
  return new Set(parts as Part[]);
}

function readGatewayUsers(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const sizes = value.split(',').map(Number);
  if (sizes.some((n) => ![3, 50, 500].includes(n))) {
    throw new Error('--gateway-users: a comma-separated subset of 3, 50, 500');
  }
  return sizes;
}

/** The bench's flags, as node:util's parseArgs reads them. */
const FLAGS = {
  quick: { type: 'boolean' },
  merge: { type: 'boolean' },
  only: { type: 'string' },
  profile: { type: 'string' },
  'gateway-users': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

/** Why parseArgs refused an argument, in the bench's words, naming the argument. */
function refusal(arg: string, err: unknown): Error {
  const code = (err as { code?: unknown }).code;
  // Flags are long and lowercase: `-q` or `--Quick` is no flag at all.
  const flag = /^--([a-z-]+)(?==|$)/.exec(arg);
  if (flag && code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new Error(`unknown flag --${flag[1]}`, { cause: err });
  }
  if (flag && code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = flag[1] as keyof typeof FLAGS;
    return new Error(
      FLAGS[name].type === 'boolean'
        ? `--${name} takes no value`
        : `--${name}: needs a value, as in --${name}=…`,
      { cause: err },
    );
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return new Error(`unknown argument ${arg}`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * One argument, parsed strictly and alone: a value is only ever given after `=` (`--only=rest`,
 * not `--only rest`), as the bench has always read them, and a refusal names that argument.
 */
function parseFlag(arg: string) {
  // parseArgs would take `--` as the end of the flags; the bench has no arguments after them.
  if (arg === '--') throw new Error('unknown argument --');
  // parseArgs has no option whose value is optional, and `--profile`'s directory is: a bare
  // `--profile` is read as `--profile=`, whose empty value stands for the default directory.
  // (Parsed alone, `--profile dir` stays refused: `dir` is an argument of its own.)
  const args = [arg === '--profile' ? '--profile=' : arg];
  try {
    return parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw refusal(arg, err);
  }
}

/**
 * `npm run bench [-- --quick] [--only=gateways,tracing,auth,rest,shadow,nplus1,events,subscriptions]
 * [--merge] [--profile[=dir]] [--gateway-users=50,500]`. A flag given twice takes its last value.
 * The full run is sized to finish in about sixteen minutes on 2 cores; --quick in about 1.5.
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const flags = argv.reduce<ReturnType<typeof parseFlag>>(
    (read, arg) => ({ ...read, ...parseFlag(arg) }),
    {},
  );
  const quick = flags.quick ?? false;
  const profile = flags.profile;
  return {
    quick,
    parts: readParts(flags.only),
    rounds: quick ? 2 : 5,
    measureSeconds: quick ? 1 : 5,
    warmupSeconds: quick ? 0.5 : 3,
    settleSeconds: quick ? 0 : 1,
    connections: 10,
    userSteps: [3, 50, 500],
    // 500 users make a 370 KiB answer that takes the subgraphs ~0.2 s of CPU: too slow for a
    // smoke run's 2 s windows.
    gatewayUsers: readGatewayUsers(flags['gateway-users']) ?? (quick ? [50] : [50, 500]),
    outboxRows: quick ? 3_000 : 20_000,
    outboxRounds: quick ? 1 : 3,
    // The relay's batch size before it became 1,000: what the larger default buys.
    outboxWhatIfBatchSize: quick ? undefined : 100,
    mutations: quick ? 40 : 400,
    mutationRate: 20,
    profileDir:
      profile === undefined
        ? undefined
        : path.resolve(profile || path.join(RESULTS_DIR, 'profiles')),
    // A quick run is a smoke test: it must not overwrite the committed full results.
    resultsDir: quick ? path.join(RESULTS_DIR, 'quick') : RESULTS_DIR,
    merge: flags.merge ?? false,
  };
}
