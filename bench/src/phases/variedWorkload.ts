import path from 'node:path';
import type { Pool } from '@cinemaabyss/shared/db';
import { measureAlternating } from '../load/measureAlternating';
import type {
  AlternatingOptions,
  AlternatingTarget,
  TargetSummary,
} from '../load/measureAlternating';
import type { LoadTarget } from '../load/runLoad';
import type { BenchChild } from '../processes/startChild';
import { profileWindow } from '../profile/profileWindow';
import type { WindowProfile } from '../profile/profileWindow';
import { graphqlHeaders, postGraphql } from '../queries';
import { gatewayRatios } from './gatewayRatios';
import type { GatewayRatios } from './gatewayRatios';
import {
  createWorkload,
  generateWorkload,
  sampleEachOperation,
  VARIED_OPERATIONS,
} from '../workload/variedWorkload';
import type { WorkloadUniverse } from '../workload/variedWorkload';
import { GATEWAYS } from './gatewayComparison';
import type { GatewayName } from './gatewayComparison';

/** The seed every run draws its varied workload from: the same traffic in every run. */
export const WORKLOAD_SEED = 20261204;
/** Requests of each operation every gateway answers before the load, compared across them. */
const CHECKED_PER_OPERATION = 4;

/** The three services behind the gateways, each metered on its own. */
export const BACKENDS = ['monolith subgraph', 'legacy monolith', 'movies service'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface VariedWorkloadResult {
  users: number;
  seed: number;
  operations: { name: string; weight: number; shape: string }[];
  /** Per operation: how many of its requests every gateway answered, and whether alike. */
  responses: { operation: string; compared: number; sameData: boolean }[];
  /** Every compared request got byte-identical data from every gateway. */
  sameData: boolean;
  /** CPU meters: `gateway`, then every BACKENDS name. */
  gateways: Record<GatewayName, TargetSummary>;
  /**
   * With --profile: the hottest functions of our gateway and of each backend over this part
   * (the backends serve every gateway's rounds alike).
   */
  profiles?: Record<string, WindowProfile>;
  ratios: GatewayRatios;
}

export interface VariedWorkloadDeps {
  gateways: Record<GatewayName, BenchChild>;
  backends: Record<BackendName, BenchChild>;
  pool: Pool;
}

/** The ids and genres the variables are drawn from, in a fixed order. */
export async function workloadUniverse(pool: Pool): Promise<WorkloadUniverse> {
  const ids = async (sql: string) =>
    (await pool.query<{ value: string }>(sql)).rows.map((r) => String(r.value));
  return {
    userIds: await ids('SELECT id AS value FROM users ORDER BY id'),
    movieIds: await ids('SELECT id AS value FROM movies ORDER BY id'),
    genres: await ids('SELECT DISTINCT genre AS value FROM movie_genres ORDER BY genre'),
  };
}

/** Every gateway answers the first requests of every operation: no errors, the same data. */
async function compareResponses(
  gateways: VariedWorkloadDeps['gateways'],
  universe: WorkloadUniverse,
): Promise<VariedWorkloadResult['responses']> {
  // Far enough into the sequence that every operation has its share of requests.
  const sample = sampleEachOperation(
    generateWorkload(WORKLOAD_SEED, 500, universe),
    CHECKED_PER_OPERATION,
  );
  const responses = new Map<string, { compared: number; sameData: boolean }>();
  for (const request of sample) {
    let reference: string | undefined;
    let same = true;
    for (const name of GATEWAYS) {
      const { status, body } = await postGraphql(
        gateways[name].url,
        request.query,
        request.variables,
      );
      if (status !== 200 || body.errors || !body.data) {
        throw new Error(
          `${name} gateway failed ${request.operation} ${JSON.stringify(request.variables)}: ` +
            JSON.stringify(body).slice(0, 500),
        );
      }
      const data = JSON.stringify(body.data);
      if (reference === undefined) reference = data;
      else if (data !== reference) same = false;
    }
    const entry = responses.get(request.operation) ?? { compared: 0, sameData: true };
    responses.set(request.operation, {
      compared: entry.compared + 1,
      sameData: entry.sameData && same,
    });
  }
  return [...responses].map(([operation, r]) => ({ operation, ...r }));
}

/** A gateway loaded with the seeded sequence: each target draws its own copy from the start. */
export function variedTarget(url: string, universe: WorkloadUniverse): LoadTarget {
  const workload = createWorkload(WORKLOAD_SEED, universe);
  return {
    url,
    method: 'POST',
    headers: graphqlHeaders(),
    nextBody: () => workload.next().body,
    verify: (body) => body.startsWith('{"data":{"') && !body.includes('"errors":'),
  };
}

/**
 * Part 1, the varied workload: every request different (five operations by weight, variables
 * drawn from a fixed seed), so no gateway collapses any; ours and Hive each with in-flight
 * dedup on and off, alternating in the same rounds, the gateway's CPU and each backend's.
 */
export async function compareGatewaysOnVariedWorkload(
  deps: VariedWorkloadDeps,
  options: AlternatingOptions,
  { profileDir }: { profileDir?: string } = {},
): Promise<VariedWorkloadResult> {
  const universe = await workloadUniverse(deps.pool);
  const responses = await compareResponses(deps.gateways, universe);
  const backendMeters = Object.fromEntries(BACKENDS.map((name) => [name, [deps.backends[name]]]));
  const targets: AlternatingTarget[] = GATEWAYS.map((name) => ({
    id: name,
    load: variedTarget(deps.gateways[name].url, universe),
    cpu: { gateway: [deps.gateways[name]], ...backendMeters },
  }));
  const { result: measured, profiles } = await profileWindow(
    {
      'ours (gateway)': deps.gateways.ours,
      'Hive + Rust QP (gateway)': deps.gateways['hive-rust'],
      ...deps.backends,
    },
    profileDir && path.join(profileDir, 'varied-workload'),
    () => measureAlternating(targets, options),
  );
  const gateways = Object.fromEntries(
    GATEWAYS.map((name) => [name, measured[name] as TargetSummary]),
  ) as Record<GatewayName, TargetSummary>;
  return {
    users: universe.userIds.length,
    seed: WORKLOAD_SEED,
    operations: VARIED_OPERATIONS.map(({ name, weight, shape }) => ({ name, weight, shape })),
    responses,
    sameData: responses.every((r) => r.sameData),
    gateways,
    ...(profiles && { profiles }),
    ratios: gatewayRatios(gateways),
  };
}
