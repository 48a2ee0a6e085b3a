import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from '@cinemaabyss/shared/db';
import { loadConfig } from '@cinemaabyss/gateway/config';
import { disableApolloTelemetryByDefault } from '@cinemaabyss/gateway/telemetry-default';
import {
  DEV_TOKEN_AUDIENCE,
  DEV_TOKEN_ISSUER,
  ensureDevSigningKey,
  ensureKafka,
  signDevToken,
} from '@cinemaabyss/local-infra';
import { ensureAllWebAssets } from '@cinemaabyss/web-build';
import { parseBenchOptions } from './benchOptions';
import type { BenchOptions } from './benchOptions';
import { createCleanupStack } from './cleanupStack';
import { createBenchDatabase } from './database/benchDatabase';
import { DATA_SHAPE, growUsersTo, seedMovies } from './database/seedData';
import type { GatewaySpec } from './gateways/gatewaySpec';
import type { AlternatingOptions } from './load/measureAlternating';
import { describeMachine } from './machine';
import { AUTH_CALLERS, measureAuthCost } from './phases/authCost';
import { measureEventLatency } from './phases/eventLatency';
import { measureEventsRest } from './phases/eventsRest';
import { compareGateways } from './phases/gatewayComparison';
import {
  compareGatewaysOnVariedWorkload,
  variedTarget,
  workloadUniverse,
} from './phases/variedWorkload';
import { countMoviesLists, countUsersQuery } from './phases/nPlusOne';
import { measureOutboxRelay } from './phases/outboxRelay';
import { measureOverrideLabels } from './phases/overrideLabels';
import { writeLabelFreeSupergraph } from './gateways/labelFreeSupergraph';
import { measureRestShim } from './phases/restShim';
import {
  SHADOW_RATE,
  graphqlServingSide,
  measureShadowCost,
  restShadowLoad,
} from './phases/shadowCost';
import { measureSubscriptionFanout } from './phases/subscriptionFanout';
import { TRACED_RATIOS, measureTracingCost, tracingEnv, tracingRounds } from './phases/tracingCost';
import {
  startGatewayChild,
  startServiceChild,
  startSpanSinkChild,
} from './processes/benchProcesses';
import type { GatewayKind } from './processes/benchProcesses';
import type { BenchChild } from './processes/startChild';
import type { BenchResults } from './report/benchResults';
import { evaluateTargets } from './report/evaluateTargets';
import { mergeResults } from './report/mergeResults';
import { writeResults } from './report/writeResults';
import { startCountingStack } from './stack/countingStack';
import { ensureNginx } from './nginx/ensureNginx';
import { BENCH_CALLER_SCOPES, useBenchCaller } from './queries';
import { startNginx } from './nginx/startNginx';

const SUPERGRAPH = path.resolve(__dirname, '../../supergraph.graphql');

// Part 3 runs our gateway in this process (startCountingStack), not through gateway/src/index.ts;
// the bench's child processes get the variable from startChild.
disableApolloTelemetryByDefault(process.env);

const startedAt = performance.now();
const log = (line: string) => {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench ${seconds}s] ${line}\n`);
};

async function dataSet(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM movies)::int AS movies,
            (SELECT count(*) FROM payments)::int AS payments,
            (SELECT count(*) FROM subscriptions)::int AS subscriptions,
            (SELECT count(*) FROM user_ratings)::int AS ratings`,
  );
  return rows[0] ?? {};
}

async function run(options: BenchOptions): Promise<BenchResults> {
  const started = performance.now();
  const cleanup = createCleanupStack((err) => log(`cleanup failed: ${String(err)}`));
  const interrupted = () => void cleanup.run().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const alternating: AlternatingOptions = { ...options, progress: log };
  const partial: Omit<BenchResults, 'targets' | 'durationSeconds'> = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: describeMachine(),
    settings: {
      quick: options.quick,
      rounds: options.rounds,
      measureSeconds: options.measureSeconds,
      warmupSeconds: options.warmupSeconds,
      settleSeconds: options.settleSeconds,
      connections: options.connections,
    },
    dataSet: {},
  };
  try {
    // Our gateway serves its pages' built files, which a fresh checkout does not have yet.
    const built = await ensureAllWebAssets();
    if (built.length > 0) log(`browser pages built (${built.join(', ')})`);
    const db = await createBenchDatabase();
    cleanup.push(() => db.drop());
    log(`database ${new URL(db.connectionString).pathname.slice(1)}`);
    await seedMovies(db.pool);

    const child = async (start: Promise<BenchChild>) => {
      const running = await start;
      cleanup.push(() => running.stop());
      return running;
    };
    const profile = { profileDir: options.profileDir };
    // Independent start-ups overlap (tsx compiles each child's sources on start).
    const [monolith, movies] = await Promise.all([
      child(startServiceChild({ kind: 'monolith', db: db.connectionString }, profile)),
      child(startServiceChild({ kind: 'movies', db: db.connectionString }, profile)),
    ]);
    const monolithSubgraph = await child(
      startServiceChild({ kind: 'monolith-subgraph', monolithUrl: monolith.url }, profile),
    );
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-bench-'));
    cleanup.push(() => rm(scratch, { recursive: true, force: true }));
    // A throw-away signing key: our gateway verifies the bench caller's token with it.
    const benchKey = await ensureDevSigningKey(scratch);
    useBenchCaller(
      await signDevToken(benchKey, {
        subject: '1',
        scopes: BENCH_CALLER_SCOPES,
        expiresInSeconds: 6 * 3600,
      }),
    );
    // Every gateway compared serves the label-free supergraph (the same plan for all); ours on
    // the committed, labelled one is measured against it alone (part 1b).
    const spec: GatewaySpec = {
      supergraphPath: await writeLabelFreeSupergraph(scratch),
      subgraphUrls: {
        monolith: `${monolithSubgraph.url}/graphql`,
        movies: `${movies.url}/graphql`,
      },
      monolithUrl: monolith.url,
      moviesServiceUrl: movies.url,
      eventsServiceUrl: 'http://127.0.0.1:9',
      dbConnectionString: db.connectionString,
      auth: {
        jwksFile: benchKey.jwksFile,
        issuer: DEV_TOKEN_ISSUER,
        audience: DEV_TOKEN_AUDIENCE,
      },
    };
    const comparing = options.parts.has('gateways');
    const gateway = (kind: GatewayKind) => child(startGatewayChild(kind, spec, profile));
    const rest = options.parts.has('rest');
    const shadow = options.parts.has('shadow');
    const auth = options.parts.has('auth');
    const [ours, oursLabels, oursNoDedup, stock, hive, hiveNoDedup, hiveRust, bareProxy] =
      await Promise.all([
        comparing || rest || shadow || auth ? gateway('ours') : undefined,
        // The labelled supergraph: GraphQL shadowing compares the plans of the label's two sides.
        comparing || shadow
          ? child(
              startGatewayChild(
                'ours',
                { ...spec, supergraphPath: SUPERGRAPH },
                {
                  name: 'ours-labels',
                  ...profile,
                },
              ),
            )
          : undefined,
        comparing ? gateway('ours-nodedup') : undefined,
        comparing ? gateway('stock') : undefined,
        comparing ? gateway('hive') : undefined,
        comparing ? gateway('hive-nodedup') : undefined,
        comparing ? gateway('hive-rust') : undefined,
        rest ? gateway('bare-proxy') : undefined,
      ]);
    const peers =
      oursNoDedup && stock && hive && hiveNoDedup && hiveRust
        ? {
            'ours-nodedup': oursNoDedup,
            stock,
            hive,
            'hive-nodedup': hiveNoDedup,
            'hive-rust': hiveRust,
          }
        : undefined;
    const counting = options.parts.has('nplus1')
      ? await startCountingStack(db.connectionString, spec.auth)
      : undefined;
    if (counting) cleanup.push(() => counting.stop());

    // The user base grows step by step; each part measures at the sizes it is about.
    for (const users of options.userSteps) {
      await growUsersTo(db.pool, users);
      await db.pool.query('ANALYZE');
      if (counting) {
        log(`part 3: counting REST calls and SQL statements at ${users} users`);
        const count = await countUsersQuery(counting);
        partial.nPlusOne = {
          byUsers: [...(partial.nPlusOne?.byUsers ?? []), count],
          moviesLists: [],
        };
      }
      if (ours && peers && options.gatewayUsers.includes(users)) {
        log(`part 1: ours vs stock Apollo vs Hive Gateway at ${users} users`);
        const compared = await compareGateways(
          { gateways: { ours, ...peers }, monolith, monolithSubgraph, movies, pool: db.pool },
          alternating,
        );
        partial.gateways = [...(partial.gateways ?? []), compared];
      }
      // Varied traffic at the largest user base compared: the most distinct users to draw from.
      if (ours && peers && users === options.gatewayUsers.at(-1)) {
        log(`part 1: the varied workload, ours vs stock Apollo vs Hive Gateway at ${users} users`);
        partial.variedWorkload = await compareGatewaysOnVariedWorkload(
          {
            gateways: { ours, ...peers },
            backends: {
              'monolith subgraph': monolithSubgraph,
              'legacy monolith': monolith,
              'movies service': movies,
            },
            pool: db.pool,
          },
          alternating,
          profile,
        );
      }
      // At the smaller user base: the fixed cost of a request's spans weighs the most there.
      if (options.parts.has('tracing') && users === options.gatewayUsers[0]) {
        log(
          `part 1c: the nested query with tracing off, sampled at 1 % and at 100 % at ${users} users`,
        );
        const sink = await child(startSpanSinkChild());
        const traced = (name: string, ratio?: number) =>
          child(
            startGatewayChild('ours-nodedup', spec, {
              name,
              ...profile,
              ...(ratio === undefined ? {} : { env: tracingEnv(ratio, sink.url) }),
            }),
          );
        const [off, sampled1, sampled100] = await Promise.all([
          traced('tracing-off'),
          traced('tracing-1pct', TRACED_RATIOS.sampled1),
          traced('tracing-100pct', TRACED_RATIOS.sampled100),
        ]);
        partial.tracingCost = await measureTracingCost(
          { off, sampled1, sampled100 },
          { ...alternating, rounds: tracingRounds(alternating.rounds, options.quick) },
        );
        // Their memory and timers stay off the parts that follow.
        await Promise.all([off, sampled1, sampled100, sink].map((running) => running.stop()));
      }
    }
    if (comparing && ours && oursLabels) {
      log('part 1b: the nested query with the migration:movies label evaluated, and without');
      partial.overrideLabels = await measureOverrideLabels(
        { withoutLabels: ours, withLabels: oursLabels },
        alternating,
      );
    }
    if (ours && auth) {
      log(`part 1d: the varied workload anonymous and from ${AUTH_CALLERS} signed-in callers`);
      const tokens = await Promise.all(
        Array.from({ length: AUTH_CALLERS }, (_, k) =>
          signDevToken(benchKey, {
            subject: String(k + 1),
            scopes: BENCH_CALLER_SCOPES,
            expiresInSeconds: 6 * 3600,
          }),
        ),
      );
      partial.authCost = await measureAuthCost(
        { gateway: ours, pool: db.pool, tokens },
        alternating,
      );
    }
    if (counting && partial.nPlusOne)
      partial.nPlusOne.moviesLists = await countMoviesLists(counting);
    partial.dataSet = { ...(await dataSet(db.pool)), ...DATA_SHAPE };

    if (ours && bareProxy) {
      log('part 2: the REST shim, nginx doing the same routing as its anchor');
      const nginx = await child(
        startNginx(await ensureNginx(log), {
          backends: { movies: movies.url, monolith: monolith.url, events: spec.eventsServiceUrl },
          // As the gateway child is configured (oursMain.ts) and by default.
          moviesPercent: 100,
          // The gateway's own default deadline per backend call.
          timeoutMs: loadConfig({}).backendTimeoutMs,
          prefixDir: path.join(scratch, 'nginx'),
        }),
      );
      partial.rest = await measureRestShim(
        { gateway: ours, bareProxy, nginx, movies },
        alternating,
      );
    }
    if (ours && shadow) {
      log('part 2b: the REST shim at a fixed rate, every read shadowed and none');
      const restRate = options.quick ? SHADOW_RATE.rest.quick : SHADOW_RATE.rest.full;
      partial.shadowCost = await measureShadowCost(
        { gateway: ours, pool: db.pool },
        { surface: 'rest', ...(await restShadowLoad(ours)) },
        { ...alternating, connections: 10, rate: restRate },
      );
    }
    if (oursLabels && shadow) {
      log(
        'part 2b: the varied GraphQL workload at a fixed rate, every migrated query shadowed and none',
      );
      const graphqlRate = options.quick ? SHADOW_RATE.graphql.quick : SHADOW_RATE.graphql.full;
      partial.graphqlShadowCost = await measureShadowCost(
        { gateway: oursLabels, pool: db.pool },
        {
          surface: 'graphql',
          load: variedTarget(oursLabels.url, await workloadUniverse(db.pool)),
          servedBy: await graphqlServingSide(db.pool),
        },
        { ...alternating, connections: 10, rate: graphqlRate },
      );
    }

    // Kafka and the events service, started once for the parts that need them and only then,
    // so the JVM's start-up stays off the CPU the earlier parts time.
    let eventPlatform: Promise<{ brokers: string[]; events: BenchChild }> | undefined;
    const eventsSpec = (brokers: string[]) =>
      ({
        kind: 'events',
        db: db.connectionString,
        brokers,
        topicPrefix: 'bench.',
        groupId: 'bench-events',
      }) as const;
    const startEventPlatform = () =>
      (eventPlatform ??= (async () => {
        const kafka = await ensureKafka({ port: 0 });
        cleanup.push(() => kafka.stop());
        const events = await child(startServiceChild(eventsSpec(kafka.brokers)));
        return { brokers: kafka.brokers, events };
      })());

    if (options.parts.has('events')) {
      log('part 4: events (starting a Kafka broker)');
      const { brokers, events } = await startEventPlatform();
      const gateway = await child(
        startGatewayChild(
          'ours',
          { ...spec, eventsServiceUrl: events.url },
          { name: 'ours-events' },
        ),
      );
      log('mutation → processed latency');
      const latency = await measureEventLatency(db.pool, gateway.url, {
        mutations: options.mutations,
        ratePerSecond: options.mutationRate,
        users: options.userSteps.at(-1) as number,
      });
      log('outbox relay throughput');
      const relayRun = { rows: options.outboxRows, rounds: options.outboxRounds, progress: log };
      const outbox = await measureOutboxRelay(db.pool, relayRun);
      log('POST /api/events/movie');
      const rest = await measureEventsRest({ events, gateway }, alternating);
      partial.events = { rest, outbox, latency };
      const batchSize = options.outboxWhatIfBatchSize;
      if (batchSize) {
        log(`outbox relay throughput with batches of ${batchSize}`);
        // One relay at a time: the default one stops before the tuned one starts.
        await events.stop();
        const tuned = await child(
          startServiceChild({ ...eventsSpec(brokers), relayBatchSize: batchSize }),
        );
        const result = await measureOutboxRelay(db.pool, { ...relayRun, rounds: 1 });
        partial.events.outboxWhatIf = { batchSize, result };
        eventPlatform = Promise.resolve({ brokers, events: tuned });
      }
    }

    if (options.parts.has('subscriptions')) {
      log('part 4d: subscriptions (1,000 subscribers, a resume storm)');
      const { brokers, events } = await startEventPlatform();
      const gateway = await child(
        startGatewayChild(
          'ours',
          {
            ...spec,
            eventsServiceUrl: events.url,
            subscriptions: { brokers, topicPrefix: 'bench.' },
          },
          { name: 'ours-subscriptions' },
        ),
      );
      partial.subscriptions = await measureSubscriptionFanout(gateway, {
        subscribers: 1_000,
        movies: 50,
        ratings: options.quick ? 100 : 300,
        ratePerSecond: 10,
        resumers: 200,
        gapRatings: 100,
        progress: log,
      });
    }
  } finally {
    await cleanup.run();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  const durationSeconds = (performance.now() - started) / 1000;
  return { ...partial, durationSeconds, targets: evaluateTargets({ ...partial, durationSeconds }) };
}

const options = parseBenchOptions(process.argv.slice(2));
/** With --merge, the results already in resultsDir fill the sections this run did not measure. */
async function withEarlierSections(results: BenchResults): Promise<BenchResults> {
  if (!options.merge) return results;
  const earlier = await readFile(path.join(options.resultsDir, 'latest.json'), 'utf8').then(
    (text) => JSON.parse(text) as BenchResults,
    () => undefined,
  );
  if (!earlier) return results;
  const merged = mergeResults(results, earlier);
  return { ...merged, targets: evaluateTargets(merged) };
}

run(options)
  .then(async (results) => {
    const markdown = await writeResults(options.resultsDir, await withEarlierSections(results));
    process.stdout.write(`${markdown}\n`);
  })
  .catch((err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  });
