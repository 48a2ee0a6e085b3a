import { isDeepStrictEqual } from 'node:util';
import type { Pool } from '@cinemaabyss/shared/db';
import { measureAlternating } from '../load/measureAlternating';
import type {
  AlternatingOptions,
  AlternatingTarget,
  TargetSummary,
} from '../load/measureAlternating';
import type { LoadTarget } from '../load/runLoad';
import type { BenchChild } from '../processes/startChild';
import { graphqlHeaders, postGraphql } from '../queries';
import type { GraphqlResponse } from '../queries';
import { roundRatios, spread } from '../stats';
import type { Spread } from '../stats';
import {
  createWorkload,
  generateWorkload,
  sampleEachOperation,
  VARIED_OPERATIONS,
} from '../workload/variedWorkload';
import type { WorkloadOperation, WorkloadUniverse } from '../workload/variedWorkload';
import { WORKLOAD_SEED, workloadUniverse } from './variedWorkload';

/** Signed-in callers of the part: a token each (a subject of its own), sent in turn. */
export const AUTH_CALLERS = 50;
/**
 * Requests per second, below what either caller saturates on 2 cores (about 600 on the public
 * operations, 200 on the whole workload signed in): both sides of a comparison do the same work
 * per second, so their CPU per request differs only by what a token costs.
 */
export const AUTH_RATE = { sameAnswers: 300, whole: 120 } as const;
/** Requests of each operation answered both ways before the load, to sort the operations. */
const CHECKED_PER_OPERATION = 4;
/** The one error an anonymous answer may carry: a field the gateway removed. */
const UNAUTHORIZED = 'UNAUTHORIZED_FIELD_OR_TYPE';

/** Signed-in ÷ anonymous over one workload. */
export interface AuthComparison {
  /** Requests per second offered to each side. */
  rate: number;
  anonymous: TargetSummary;
  signedIn: TargetSummary;
  /** Gateway CPU ms per request, signed in ÷ anonymous, per round. */
  cpuRatio: Spread;
}

export interface AuthCostResult {
  users: number;
  callers: number;
  /** The operations that ask for no protected field: every caller gets the same answer. */
  publicOperations: string[];
  /** The operations an anonymous caller gets cut answers to (nulls, UNAUTHORIZED_FIELD_OR_TYPE). */
  protectedOperations: string[];
  /**
   * The varied workload narrowed to its public operations: the same data either way, so the
   * ratio is what a token costs the gateway (verification, identity forwarded, rights evaluated).
   */
  sameAnswers: AuthComparison;
  /** The whole varied workload: anonymous answers leave the protected fields out. */
  whole: AuthComparison;
}

/** One request of the sample, answered anonymously and signed in. */
export interface AnsweredBothWays {
  operation: string;
  anonymous: { status: number; body: GraphqlResponse<unknown> };
  signedIn: { status: number; body: GraphqlResponse<unknown> };
}

/**
 * Sorts the operations by their sampled answers: public if every anonymous answer equals the
 * signed-in one, protected if every anonymous answer is cut by the gateway (data, and only
 * UNAUTHORIZED_FIELD_OR_TYPE errors). Anything else (a failed request, an operation public for
 * some variables only) means the part would measure something other than authorization.
 */
export function sortOperations(answers: readonly AnsweredBothWays[]): {
  publicOperations: string[];
  protectedOperations: string[];
} {
  const kinds = new Map<string, 'public' | 'protected'>();
  for (const { operation, anonymous, signedIn } of answers) {
    if (signedIn.status !== 200 || !signedIn.body.data || signedIn.body.errors) {
      throw new Error(
        `${operation} failed signed in: ${JSON.stringify(signedIn.body).slice(0, 300)}`,
      );
    }
    const cut =
      anonymous.status === 200 &&
      anonymous.body.data !== undefined &&
      (anonymous.body.errors ?? []).length > 0 &&
      (anonymous.body.errors ?? []).every((e) => e.extensions?.code === UNAUTHORIZED);
    const same =
      anonymous.status === 200 &&
      !anonymous.body.errors &&
      isDeepStrictEqual(anonymous.body.data, signedIn.body.data);
    if (!cut && !same) {
      throw new Error(
        `${operation} answered anonymously neither as signed in nor cut by the gateway: ` +
          JSON.stringify(anonymous.body).slice(0, 300),
      );
    }
    const kind = same ? 'public' : 'protected';
    const earlier = kinds.get(operation);
    if (earlier && earlier !== kind) {
      throw new Error(`${operation} is public for some variables and protected for others`);
    }
    kinds.set(operation, kind);
  }
  const named = (kind: 'public' | 'protected') =>
    [...kinds].filter(([, k]) => k === kind).map(([name]) => name);
  return { publicOperations: named('public'), protectedOperations: named('protected') };
}

/** A whole answer: data and no error (as every other part of the bench checks). */
export const isWholeAnswer = (body: string): boolean =>
  body.startsWith('{"data":{"') && !body.includes('"errors":');

/**
 * An answer the gateway cut for an anonymous caller: data, and every error's code is
 * UNAUTHORIZED_FIELD_OR_TYPE. Counted in the text, as the load generator shares the CPU.
 */
export function isCutAnswer(body: string): boolean {
  const count = (needle: string) => body.split(needle).length - 1;
  if (!body.includes('"data":{"')) return false;
  return count('"code":"') === count(`"code":"${UNAUTHORIZED}"`);
}

/** The varied workload of `operations` from the seed, anonymous or with `tokens` in turn. */
function workloadTarget(
  url: string,
  universe: WorkloadUniverse,
  operations: readonly WorkloadOperation[],
  tokens: readonly string[] | null,
  verify: (body: string) => boolean,
): LoadTarget {
  const workload = createWorkload(WORKLOAD_SEED, universe, { operations });
  let turn = 0;
  return {
    url,
    method: 'POST',
    headers: graphqlHeaders(null),
    nextBody: () => workload.next().body,
    ...(tokens && {
      nextHeaders: () => {
        turn = (turn + 1) % tokens.length;
        return { authorization: `Bearer ${tokens[turn]}` };
      },
    }),
    verify,
  };
}

/**
 * Part 1d: what authentication and per-field authorization cost our gateway. The varied
 * workload of part 1, anonymous and from AUTH_CALLERS signed-in callers allowed every field,
 * alternating at a fixed rate: on its public operations (the same answers both ways, the
 * target) and whole (anonymous answers cut, shown for what the removed fields save).
 */
export async function measureAuthCost(
  deps: { gateway: BenchChild; pool: Pool; tokens: readonly string[] },
  options: AlternatingOptions,
): Promise<AuthCostResult> {
  const { gateway, tokens } = deps;
  if (tokens.length === 0) throw new Error('the auth part needs signed-in callers');
  const universe = await workloadUniverse(deps.pool);
  const sample = sampleEachOperation(
    generateWorkload(WORKLOAD_SEED, 500, universe),
    CHECKED_PER_OPERATION,
  );
  const answers: AnsweredBothWays[] = [];
  for (const [index, request] of sample.entries()) {
    const bearer = `Bearer ${tokens[index % tokens.length]}`;
    answers.push({
      operation: request.operation,
      anonymous: await postGraphql(
        gateway.url,
        request.query,
        request.variables,
        graphqlHeaders(null),
      ),
      signedIn: await postGraphql(
        gateway.url,
        request.query,
        request.variables,
        graphqlHeaders(bearer),
      ),
    });
  }
  const { publicOperations, protectedOperations } = sortOperations(answers);
  if (publicOperations.length === 0) throw new Error('the varied workload has no public operation');
  const publicMix = VARIED_OPERATIONS.filter((op) => publicOperations.includes(op.name));

  const target = (
    id: string,
    operations: readonly WorkloadOperation[],
    signedIn: boolean,
    verify: (body: string) => boolean,
  ): AlternatingTarget => ({
    id,
    load: workloadTarget(gateway.url, universe, operations, signedIn ? tokens : null, verify),
    cpu: { gateway: [gateway] },
  });
  // Each comparison alone, so one's garbage never lands in the other's windows; the judged one
  // with twice the rounds, its ratio being a few per cent against round-to-round noise.
  const compare = async (
    operations: readonly WorkloadOperation[],
    anonymousVerify: (body: string) => boolean,
    rate: number,
    rounds: number,
  ): Promise<AuthComparison> => {
    const measured = await measureAlternating(
      [
        target('anonymous', operations, false, anonymousVerify),
        target('signed-in', operations, true, isWholeAnswer),
      ],
      { ...options, rate, rounds },
    );
    const anonymous = measured.anonymous as TargetSummary;
    const signedIn = measured['signed-in'] as TargetSummary;
    return {
      rate,
      anonymous,
      signedIn,
      cpuRatio: spread(
        roundRatios(
          signedIn.cpuMsPerRequest.gateway?.rounds ?? [],
          anonymous.cpuMsPerRequest.gateway?.rounds ?? [],
        ),
      ),
    };
  };
  options.progress?.(
    `public operations (${publicOperations.join(', ')}) at ${AUTH_RATE.sameAnswers} rps`,
  );
  const sameAnswers = await compare(
    publicMix,
    isWholeAnswer,
    AUTH_RATE.sameAnswers,
    options.rounds * 2,
  );
  options.progress?.(`the whole workload at ${AUTH_RATE.whole} rps`);
  const whole = await compare(VARIED_OPERATIONS, isCutAnswer, AUTH_RATE.whole, options.rounds);
  return {
    users: universe.userIds.length,
    callers: tokens.length,
    publicOperations,
    protectedOperations,
    sameAnswers,
    whole,
  };
}
