import { isDeepStrictEqual } from 'node:util';
import type { Pool } from '@cinemaabyss/shared/db';
import { measureAlternating } from '../load/measureAlternating';
import type {
  AlternatingOptions,
  AlternatingTarget,
  TargetSummary,
} from '../load/measureAlternating';
import type { BenchChild } from '../processes/startChild';
import {
  BENCH_CALLER_IDENTITY,
  graphqlHeaders,
  graphqlTarget,
  MONOLITH_SUBGRAPH_PART,
  MOVIES_SUBGRAPH_PART,
  NESTED_USERS_QUERY,
  postGraphql,
} from '../queries';
import { gatewayRatios } from './gatewayRatios';
import type { GatewayRatios } from './gatewayRatios';

export const GATEWAYS = [
  'ours',
  'ours-nodedup',
  'stock',
  'hive',
  'hive-nodedup',
  'hive-rust',
] as const;
export type GatewayName = (typeof GATEWAYS)[number];

export interface GatewayComparisonResult {
  query: string;
  users: number;
  responseBytes: number;
  /** Whether every gateway returned the same data as the subgraphs hold. */
  sameData: boolean;
  gateways: Record<GatewayName, TargetSummary & { peakRssMiB: number }>;
  /** The subgraphs loaded directly with the gateways' subgraph requests. */
  subgraphs: { monolith: TargetSummary; movies: TargetSummary; sequentialCeilingRps: number };
  ratios: GatewayRatios;
}

export interface GatewayComparisonDeps {
  gateways: Record<GatewayName, BenchChild>;
  monolith: BenchChild;
  monolithSubgraph: BenchChild;
  movies: BenchChild;
  pool: Pool;
}

async function representations(pool: Pool) {
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM users ORDER BY id');
  return rows.map((r) => ({ __typename: 'User', id: String(r.id) }));
}

/** Every gateway answers the nested query once, with the same data and no errors. */
async function checkAnswers(deps: GatewayComparisonDeps) {
  let reference: unknown;
  let sameData = true;
  let bytes = 0;
  let users = 0;
  for (const name of GATEWAYS) {
    const {
      status,
      body,
      bytes: size,
    } = await postGraphql<{ users: unknown[] }>(deps.gateways[name].url, NESTED_USERS_QUERY);
    if (status !== 200 || body.errors || !body.data) {
      throw new Error(
        `${name} gateway failed the nested query: ${JSON.stringify(body).slice(0, 500)}`,
      );
    }
    if (reference === undefined) {
      reference = body.data;
      bytes = size;
      users = body.data.users.length;
    } else if (!isDeepStrictEqual(reference, body.data)) {
      sameData = false;
    }
  }
  return { sameData, bytes, users };
}

/**
 * Part 1: ours vs stock Apollo vs Hive Gateway on the nested query, alternating in the same
 * run, ours and Hive each also with in-flight dedup off, with the subgraphs' own throughput
 * for the same work as the ceiling.
 */
export async function compareGateways(
  deps: GatewayComparisonDeps,
  options: AlternatingOptions,
): Promise<GatewayComparisonResult> {
  const check = await checkAnswers(deps);
  // The gateway's own CPU, and what its requests cost everything behind it.
  const backends = [deps.monolithSubgraph, deps.monolith, deps.movies];
  const gatewayTargets: AlternatingTarget[] = GATEWAYS.map((name) => ({
    id: name,
    load: graphqlTarget(deps.gateways[name].url, NESTED_USERS_QUERY, 'users'),
    cpu: { gateway: [deps.gateways[name]], backends },
  }));
  // Loaded directly, the subgraphs are told who the caller is as a gateway would tell them.
  const asGateway = { ...graphqlHeaders(null), ...BENCH_CALLER_IDENTITY };
  const subgraphTargets: AlternatingTarget[] = [
    {
      id: 'monolith-subgraph',
      load: graphqlTarget(
        `${deps.monolithSubgraph.url}/graphql`,
        MONOLITH_SUBGRAPH_PART,
        'users',
        undefined,
        asGateway,
      ),
      cpu: { backends: [deps.monolithSubgraph, deps.monolith] },
    },
    {
      id: 'movies-subgraph',
      load: graphqlTarget(
        `${deps.movies.url}/graphql`,
        MOVIES_SUBGRAPH_PART,
        '_entities',
        { representations: await representations(deps.pool) },
        asGateway,
      ),
      cpu: { backends: [deps.movies] },
    },
  ];
  const measured = await measureAlternating([...gatewayTargets, ...subgraphTargets], options);
  const gateways = {} as GatewayComparisonResult['gateways'];
  for (const name of GATEWAYS) {
    const stats = await deps.gateways[name].stats();
    gateways[name] = {
      ...(measured[name] as TargetSummary),
      peakRssMiB: Math.round((stats.maxRssKiB / 1024) * 10) / 10,
    };
  }
  const monolith = measured['monolith-subgraph'] as TargetSummary;
  const movies = measured['movies-subgraph'] as TargetSummary;
  return {
    query: NESTED_USERS_QUERY,
    users: check.users,
    responseBytes: check.bytes,
    sameData: check.sameData,
    gateways,
    subgraphs: {
      monolith,
      movies,
      // The plan's two fetches run one after the other, so a gateway with zero cost of its
      // own could at best serve one query per (monolith fetch + movies fetch) of CPU time.
      sequentialCeilingRps: 1 / (1 / monolith.rps.median + 1 / movies.rps.median),
    },
    ratios: gatewayRatios(gateways),
  };
}
