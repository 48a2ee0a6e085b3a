import { readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import type { TargetSummary } from '../load/measureAlternating';
import type { Spread } from '../stats';
import type { GatewayComparisonResult } from '../phases/gatewayComparison';
import type { GatewayRatios } from '../phases/gatewayRatios';
import type { RestShimResult } from '../phases/restShim';
import type { ShadowCostResult } from '../phases/shadowCost';
import type { VariedWorkloadResult } from '../phases/variedWorkload';
import { categoryColumns } from '../profile/categorizeProfile';
import type { WindowProfile } from '../profile/profileWindow';
import { DEFAULT_RELAY_BATCH_SIZE } from '@cinemaabyss/shared/outbox';
import { formatTable } from '@cinemaabyss/shared/text';
import type { BenchResults } from './benchResults';

/**
 * The report's sentences, beside this file. The bench is never compiled (no tsconfig.build.json,
 * not a workspace of the root build): `npm run bench` runs it from source with tsx and jest runs
 * its tests from source, so `__dirname` is always this folder and the template needs no copying.
 */
const TEMPLATE = path.join(__dirname, 'report.md.mustache');

function num(value: number, digits: number): string {
  return Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : '–';
}

/** `median (min–max)`. */
export function fmtSpread(s: Spread | undefined, digits = 0): string {
  if (!s) return '–';
  return `${num(s.median, digits)} (${num(s.min, digits)}–${num(s.max, digits)})`;
}

const table = (headers: string[], rows: string[][]) =>
  formatTable(headers, rows, { style: 'markdown' });

/** Each ratio as `median (min–max)` with two decimals, for the template's ratio sentences. */
function ratiosView(ratios: GatewayRatios): Record<keyof GatewayRatios, string> {
  const view = {} as Record<keyof GatewayRatios, string>;
  for (const [name, ratio] of Object.entries(ratios)) {
    view[name as keyof GatewayRatios] = fmtSpread(ratio, 2);
  }
  return view;
}

/** One row per target; a CPU column per meter name any target reported. */
function loadTable(rows: [string, TargetSummary, ...string[]][], extraHead: string[] = []): string {
  const meters = [...new Set(rows.flatMap(([, t]) => Object.keys(t.cpuMsPerRequest)))];
  return table(
    [
      'target',
      'RPS',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      ...meters.map((m) => `CPU ms/req: ${m}`),
      ...extraHead,
      'failures',
    ],
    rows.map(([name, t, ...extra]) => [
      name,
      fmtSpread(t.rps, 1),
      fmtSpread(t.p50, 1),
      fmtSpread(t.p95, 1),
      fmtSpread(t.p99, 1),
      ...meters.map((m) => fmtSpread(t.cpuMsPerRequest[m], 2)),
      ...extra,
      String(t.failures),
    ]),
  );
}

const GATEWAY_ROWS = [
  ['ours', '**ours** (`@cinemaabyss/gateway`)'],
  ['ours-nodedup', 'ours, in-flight dedup off'],
  ['stock', 'stock `@apollo/gateway` + standalone'],
  ['hive', 'Hive Gateway (`createGatewayRuntime`), defaults'],
  ['hive-nodedup', 'Hive Gateway, in-flight subgraph dedup off'],
  ['hive-rust', "Hive Gateway + Hive Router's Rust query planner (`@graphql-hive/router-runtime`)"],
] as const;

function variedWorkloadView(v: VariedWorkloadResult) {
  const totalWeight = v.operations.reduce((sum, op) => sum + op.weight, 0);
  const compared = new Map(v.responses.map((c) => [c.operation, c]));
  return {
    users: v.users,
    seed: v.seed,
    operationsTable: table(
      ['operation', 'share', 'what it asks for', 'responses compared'],
      v.operations.map((op) => {
        const c = compared.get(op.name);
        return [
          `\`${op.name}\``,
          `${Math.round((op.weight * 100) / totalWeight)} %`,
          op.shape,
          c ? `${c.compared}, ${c.sameData ? 'identical' : '**DIFFERENT**'}` : 'none',
        ];
      }),
    ),
    loadTable: loadTable(GATEWAY_ROWS.map(([name, label]) => [label, v.gateways[name]])),
    ratios: ratiosView(v.ratios),
    sameData: v.sameData,
    backends: backendsView(v),
    profiles: profilesView(v.profiles),
  };
}

/** The backends' CPU per request on our gateway's rounds without dedup, beside the gateway's own. */
function backendsView(v: VariedWorkloadResult) {
  const cpu = v.gateways['ours-nodedup'].cpuMsPerRequest;
  const backends = Object.keys(cpu).filter((meter) => meter !== 'gateway');
  const together = backends.reduce((sum, name) => sum + (cpu[name]?.median ?? NaN), 0);
  const gateway = cpu.gateway?.median ?? NaN;
  return {
    each: backends.map((name) => `${name} ${num(cpu[name]?.median ?? NaN, 2)}`).join(', '),
    together: num(together, 2),
    overGateway: num(together / gateway, 2),
    gateway: num(gateway, 2),
  };
}

/** With --profile: each profiled process's busiest functions by self time over the part. */
function profilesView(profiles: VariedWorkloadResult['profiles']) {
  if (!profiles) return undefined;
  const entries = Object.entries(profiles);
  return {
    table: table(
      ['process', 'CPU s', 'hottest functions (self %)'],
      entries.map(([name, p]) => [
        name,
        num(p.cpuSeconds, 1),
        p.top.map((line) => `${num(line.selfPercent, 1)} % \`${line.name}\``).join('<br>'),
      ]),
    ),
    categories: categoriesTable(entries.filter(([name]) => name.includes('(gateway)'))),
    files: entries.map(([, p]) => `\`${path.relative(process.cwd(), p.file)}\``).join(', '),
  };
}

/** The profiled gateways side by side, their busy CPU split by part of the engine. */
function categoriesTable(gateways: [string, WindowProfile][]) {
  if (gateways.length === 0 || gateways.some(([, p]) => !p.categories)) return undefined;
  const { headers, rows } = categoryColumns(gateways.map(([name, p]) => [name, p.categories]));
  return table(headers, rows);
}

function gatewayView(g: GatewayComparisonResult) {
  const withRss = (label: string, t: TargetSummary & { peakRssMiB: number }) =>
    [label, t, String(t.peakRssMiB)] as [string, TargetSummary, string];
  return {
    users: g.users,
    kib: Math.round(g.responseBytes / 1024),
    loadTable: loadTable(
      [
        ...GATEWAY_ROWS.map(([name, label]) => withRss(label, g.gateways[name])),
        ['monolith subgraph alone (fetch 1 of the plan)', g.subgraphs.monolith, ''],
        ['movies subgraph alone (fetch 2, `_entities`)', g.subgraphs.movies, ''],
      ],
      ['peak RSS MiB'],
    ),
    ratios: ratiosView(g.ratios),
    sequentialCeilingRps: num(g.subgraphs.sequentialCeilingRps, 1),
    sameData: g.sameData,
  };
}

function overrideLabelsView(o: NonNullable<BenchResults['overrideLabels']>) {
  return {
    users: o.users,
    loadTable: loadTable([
      ['ours, label-free supergraph (the gateways above)', o.withoutLabels],
      ['ours, committed supergraph, `migration:movies` at 100 %', o.withLabels],
    ]),
    rpsRatio: fmtSpread(o.rpsRatio, 2),
  };
}

function tracingCostView(t: NonNullable<BenchResults['tracingCost']>) {
  const spans = (variant: keyof typeof t.spans) =>
    `${num(t.spans[variant].exported, 0)} exported, ${num(t.spans[variant].dropped, 0)} dropped`;
  return {
    users: t.users,
    rounds: t.off.rounds.length,
    loadTable: loadTable(
      [
        ['ours, tracing off (no SDK registered)', t.off, '—', '—'],
        ['ours, sampled at 1 %', t.sampled1, fmtSpread(t.cpuRatio.sampled1, 2), spans('sampled1')],
        [
          'ours, sampled at 100 %',
          t.sampled100,
          fmtSpread(t.cpuRatio.sampled100, 2),
          spans('sampled100'),
        ],
      ],
      ['gateway CPU ÷ off', 'spans'],
    ),
  };
}

function authCostView(a: NonNullable<BenchResults['authCost']>) {
  const names = (operations: string[]) => operations.map((name) => `\`${name}\``).join(', ');
  return {
    users: a.users,
    callers: a.callers,
    publicOperations: names(a.publicOperations),
    protectedOperations: names(a.protectedOperations),
    loadTable: loadTable(
      [
        [`public operations at ${a.sameAnswers.rate} rps, anonymous`, a.sameAnswers.anonymous, '—'],
        [
          `… ${a.callers} signed-in callers`,
          a.sameAnswers.signedIn,
          fmtSpread(a.sameAnswers.cpuRatio, 2),
        ],
        [`whole workload at ${a.whole.rate} rps, anonymous (answers cut)`, a.whole.anonymous, '—'],
        [`… ${a.callers} signed-in callers`, a.whole.signedIn, fmtSpread(a.whole.cpuRatio, 2)],
      ],
      ['gateway CPU ÷ anonymous'],
    ),
    ratio: fmtSpread(a.sameAnswers.cpuRatio, 2),
    wholeRatio: fmtSpread(a.whole.cpuRatio, 2),
  };
}

/** Ours against nginx: the RPS ratio and what each adds to p50 / p99 over direct. */
/** Ours against nginx in one scenario (under load, or one request at a time). */
type AgainstNginx = Pick<
  RestShimResult['oneAtATime'],
  'oursOverNginx' | 'addedP50Ms' | 'addedP99Ms' | 'nginxAddedP50Ms' | 'nginxAddedP99Ms'
>;

function againstNginxView(scenario: AgainstNginx) {
  return {
    ratio: fmtSpread(scenario.oursOverNginx, 2),
    oursP50: fmtSpread(scenario.addedP50Ms, 2),
    oursP99: fmtSpread(scenario.addedP99Ms, 2),
    nginxP50: fmtSpread(scenario.nginxAddedP50Ms, 2),
    nginxP99: fmtSpread(scenario.nginxAddedP99Ms, 2),
  };
}

function restView(s: RestShimResult) {
  const single = s.oneAtATime;
  return {
    movies: s.movies,
    loadTable: loadTable([
      ['via the gateway (GRADUAL_MIGRATION=true, 100 %)', s.viaGateway],
      [
        "via nginx (Debian's nginx, one worker, the shim's routing: `split_clients` on X-User-Id, GET fallback, keep-alive)",
        s.viaNginx,
      ],
      [
        'bare Node proxy (`node:http` + the backend client, no framework): the floor of a second hop',
        s.viaBareProxy,
      ],
      ['movies service directly', s.direct],
    ]),
    againstNginx: againstNginxView(s),
    rpsRatio: fmtSpread(s.rpsRatio, 2),
    addedP99: fmtSpread(s.addedP99Ms, 2),
    nginxOverDirect: fmtSpread(s.nginxOverDirect, 2),
    bareProxyOverDirect: fmtSpread(s.bareProxyOverDirect, 2),
    bareProxyAddedP99: fmtSpread(s.bareProxyAddedP99Ms, 2),
    oneAtATime: {
      loadTable: loadTable([
        ['via the gateway', single.viaGateway],
        ['via nginx', single.viaNginx],
        ['bare Node proxy', single.viaBareProxy],
        ['movies service directly', single.direct],
      ]),
      againstNginx: againstNginxView(single),
      addedP50: fmtSpread(single.addedP50Ms, 2),
      addedP99: fmtSpread(single.addedP99Ms, 2),
      bareProxyAddedP99: fmtSpread(single.bareProxyAddedP99Ms, 2),
    },
  };
}

function nPlusOneView(n: NonNullable<BenchResults['nPlusOne']>) {
  return {
    byUsersTable: table(
      [
        'users N',
        'REST calls per `users { payments subscriptions }`',
        'the calls',
        'monolith SQL',
        'REST calls, full nested query',
        'movies SQL, full nested query',
      ],
      n.byUsers.map((c) => [
        String(c.users),
        `**${c.restCalls}**`,
        c.restRequests.map((q) => `\`${q}\``).join('<br>'),
        String(c.monolithSql),
        String(c.nestedRestCalls),
        String(c.nestedMoviesSql),
      ]),
    ),
    moviesListsTable: table(
      ['movies list', 'movies', 'SQL statements'],
      n.moviesLists.map((l) => [l.what, String(l.movies), `**${l.statements}**`]),
    ),
  };
}

function eventsView(e: NonNullable<BenchResults['events']>) {
  const { latency: l, outbox: o } = e;
  return {
    loadTable: loadTable([
      ['`POST /api/events/movie`, events service', e.rest.direct],
      ['`POST /api/events/movie`, through the gateway', e.rest.viaGateway],
    ]),
    measuresTable: table(
      ['measure', 'value'],
      [
        [
          `outbox relay: ${o.rowsPerRound.toLocaleString('en-US')} rows committed at once → all published`,
          `**${fmtSpread(o.publishedPerSecond)} events/s**`,
        ],
        ['… → all processed by the consumers', `${fmtSpread(o.processedPerSecond)} events/s`],
        ...(e.outboxWhatIf
          ? [
              [
                `the same with the relay's batch size at ${e.outboxWhatIf.batchSize} (default ${DEFAULT_RELAY_BATCH_SIZE}): published`,
                `${fmtSpread(e.outboxWhatIf.result.publishedPerSecond)} events/s`,
              ],
            ]
          : []),
        [
          `mutation commit → processed (${l.mutations} mutations at ${l.ratePerSecond}/s)`,
          `**p50 ${num(l.p50, 1)} ms, p95 ${num(l.p95, 1)} ms, p99 ${num(l.p99, 1)} ms**, max ${num(l.max, 1)} ms`,
        ],
        ['mutations processed / failed', `${l.processed} / ${l.failedMutations}`],
        ['the mutation itself at the client (p50)', `${num(l.mutationP50, 1)} ms`],
      ],
    ),
    /** Outbox rounds past their deadline; 0 leaves the sentence out. */
    incompleteRounds: o.incomplete,
  };
}

function shadowCostView(c: ShadowCostResult, shadowed: string) {
  return {
    rate: c.rate,
    servedBy: c.servedBy,
    loadTable: loadTable([
      ['shadow 0 %', c.off],
      [`shadow 100 %: ${shadowed}`, c.on],
    ]),
    p50Ratio: fmtSpread(c.p50Ratio, 2),
    p99Ratio: fmtSpread(c.p99Ratio, 2),
    cpuRatio: fmtSpread(c.cpuRatio, 2),
    comparisons: c.comparisons,
  };
}

function subscriptionsView(s: NonNullable<BenchResults['subscriptions']>) {
  const r = s.resumeStorm;
  const n = (value: number) => value.toLocaleString('en-US');
  return {
    subscribers: n(s.subscribers),
    sse: n(s.sse),
    ws: n(s.ws),
    wsConnections: s.wsConnections,
    movies: s.movies,
    ratings: s.ratings,
    ratePerSecond: s.ratePerSecond,
    gapRatings: r.gapRatings,
    measuresTable: table(
      ['measure', 'value'],
      [
        [
          'events delivered ÷ expected',
          `**${(s.delivered / Math.max(1, s.expected)).toFixed(2)}** (${n(s.delivered)} of ${n(s.expected)}; ${s.duplicates} twice; ${s.failedRatings} ratings failed)`,
        ],
        [
          "delivery latency from the rating's answer, p50 / p99 / max",
          `**${s.latency.p50.toFixed(1)} / ${s.latency.p99.toFixed(1)}** / ${s.latency.max.toFixed(1)} ms`,
        ],
        [
          'gateway CPU while ratings are written',
          `${s.gatewayCores.toFixed(3)} cores; ${s.cpuMsPerDelivery.toFixed(3)} ms per delivered event`,
        ],
        [
          'gateway RSS: idle → subscribed → after the ratings',
          `${s.rssMiB.idle} → ${s.rssMiB.subscribed} → ${s.rssMiB.afterRatings} MiB (**+${(s.rssMiB.afterRatings - s.rssMiB.idle).toFixed(1)} MiB** for ${n(s.subscribers)} subscribers)`,
        ],
        [
          'gateway JavaScript heap in use, at the same moments',
          `${s.heapMiB.idle} → ${s.heapMiB.subscribed} → ${s.heapMiB.afterRatings} MiB`,
        ],
        [
          `resume storm: ${r.clients} SSE clients back at once with Last-Event-ID`,
          `**${r.complete} of ${r.clients}** got exactly what they missed (${n(r.missed)} events), in order, once; caught up in ${r.catchUpMs.toFixed(0)} ms`,
        ],
      ],
    ),
  };
}

/**
 * What the template reads: figures already formatted, tables already drawn, and `undefined` for a
 * part the run did not measure. Every section's view has every name its section reads, so a
 * Mustache lookup never falls through to an enclosing section's value of the same name.
 */
function reportView(r: BenchResults) {
  return {
    date: r.machine.date.slice(0, 10),
    machine: r.machine,
    command: r.command,
    seconds: Math.round(r.durationSeconds),
    settings: r.settings,
    variedWorkload: r.variedWorkload && variedWorkloadView(r.variedWorkload),
    gateways: (r.gateways ?? []).map(gatewayView),
    overrideLabels: r.overrideLabels && overrideLabelsView(r.overrideLabels),
    tracingCost: r.tracingCost && tracingCostView(r.tracingCost),
    authCost: r.authCost && authCostView(r.authCost),
    rest: r.rest && restView(r.rest),
    shadowCost:
      r.shadowCost &&
      shadowCostView(r.shadowCost, 'every read also sent to the other side and compared'),
    graphqlShadowCost:
      r.graphqlShadowCost &&
      shadowCostView(
        r.graphqlShadowCost,
        'every migrated query also run on the other side’s plan and compared',
      ),
    nPlusOne: r.nPlusOne && nPlusOneView(r.nPlusOne),
    events: r.events && eventsView(r.events),
    subscriptions: r.subscriptions && subscriptionsView(r.subscriptions),
    earlierRuns: (r.earlierRuns ?? []).map((run) => ({
      ...run,
      sections: run.sections.map((section) => `\`${section}\``).join(', '),
    })),
    targetsTable: table(
      ['what', 'target', 'measured', 'met'],
      r.targets.map((t) => [t.name, t.target, t.measured, t.met ? 'yes' : '**no**']),
    ),
  };
}

/** The Markdown report of one run: the body of latest.md, which is where the figures live. */
export function renderMarkdown(r: BenchResults): string {
  // Markdown, not HTML: values go in as they are (Mustache would escape `'`, `<br>`, `&`).
  return Mustache.render(readFileSync(TEMPLATE, 'utf8'), reportView(r), undefined, {
    escape: (value: unknown) => String(value),
  });
}
