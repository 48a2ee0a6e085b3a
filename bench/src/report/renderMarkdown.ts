import path from 'node:path';
import type { TargetSummary } from '../load/measureAlternating';
import type { Spread } from '../stats';
import type { GatewayComparisonResult } from '../phases/gatewayComparison';
import type { VariedWorkloadResult } from '../phases/variedWorkload';
import { DEFAULT_RELAY_BATCH_SIZE } from '@cinemaabyss/shared/outbox';
import type { BenchResults } from './benchResults';

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

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
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
] as const;

function variedWorkloadSection(r: BenchResults): string[] {
  const v = r.variedWorkload;
  if (!v) return [];
  const totalWeight = v.operations.reduce((sum, op) => sum + op.weight, 0);
  const compared = new Map(v.responses.map((c) => [c.operation, c]));
  return [
    `### 1. Gateways: a varied workload (${v.users} users, every request different)`,
    '',
    `Five operations by weight, their variables drawn from seed ${v.seed} (the same sequence for every ` +
      'gateway and every run); no request repeats any of the 200 before it, so no two in flight are ever alike ' +
      'and no gateway can collapse them.',
    '',
    table(
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
    '',
    loadTable(GATEWAY_ROWS.map(([name, label]) => [label, v.gateways[name]])),
    '',
    `- RPS ratios per round: **ours ÷ stock ${fmtSpread(v.ratios.oursOverStock, 2)}×**, ` +
      `ours without dedup ÷ stock ${fmtSpread(v.ratios.oursNoDedupOverStock, 2)}×, ` +
      `**ours ÷ Hive ${fmtSpread(v.ratios.oursOverHive, 2)}×**, ` +
      `ours ÷ Hive without dedup ${fmtSpread(v.ratios.oursOverHiveNoDedup, 2)}×.`,
    `- Gateway CPU per request, theirs ÷ ours (> 1: ours is leaner): stock ${fmtSpread(v.ratios.stockCpuOverOurs, 2)}×, ` +
      `Hive ${fmtSpread(v.ratios.hiveCpuOverOurs, 2)}×. ` +
      `**In-flight dedup on ÷ off: ${fmtSpread(v.ratios.dedupCpuCost, 2)}×** gateway CPU (its bookkeeping when nothing collapses).`,
    `- Same data from every gateway for every compared request: ${v.sameData ? 'yes' : '**NO**'} ` +
      "(byte-identical `data`). The backends' columns are each service's CPU per gateway request: " +
      'what the whole stack spends beside the gateway.',
    backendsLine(v),
    '',
    ...profilesTable(v.profiles),
  ];
}

/** The backends' CPU per request on our gateway's rounds without dedup, beside the gateway's own. */
function backendsLine(v: VariedWorkloadResult): string {
  const cpu = v.gateways['ours-nodedup'].cpuMsPerRequest;
  const backends = Object.keys(cpu).filter((meter) => meter !== 'gateway');
  const together = backends.reduce((sum, name) => sum + (cpu[name]?.median ?? NaN), 0);
  const gateway = cpu.gateway?.median ?? NaN;
  return (
    "- **Backends' CPU per request** (ours, dedup off): " +
    backends.map((name) => `${name} ${num(cpu[name]?.median ?? NaN, 2)}`).join(', ') +
    ` ms; together ${num(together, 2)} ms, **${num(together / gateway, 2)}× the gateway's ${num(gateway, 2)} ms**.`
  );
}

/** With --profile: each profiled process's busiest functions by self time over the part. */
function profilesTable(profiles: VariedWorkloadResult['profiles']): string[] {
  if (!profiles) return [];
  const entries = Object.entries(profiles);
  return [
    "Where the CPU goes over this part (`--profile`, every gateway's rounds; self time of each process):",
    '',
    table(
      ['process', 'CPU s', 'hottest functions (self %)'],
      entries.map(([name, p]) => [
        name,
        num(p.cpuSeconds, 1),
        p.top.map((line) => `${num(line.selfPercent, 1)} % \`${line.name}\``).join('<br>'),
      ]),
    ),
    '',
    `Profiles: ${entries.map(([, p]) => `\`${path.relative(process.cwd(), p.file)}\``).join(', ')} ` +
      "(open in Chrome's DevTools).",
    '',
  ];
}

function gatewaysSection(r: BenchResults): string[] {
  return (r.gateways ?? []).flatMap((g) => gatewayTable(g));
}

function gatewayTable(g: GatewayComparisonResult): string[] {
  const kib = Math.round(g.responseBytes / 1024);
  return [
    `### 1. Gateways, identical queries: the nested query (${g.users} users, ${kib} KiB response)`,
    '',
    'Every client sends the same query: the load in-flight deduplication favours.',
    '',
    loadTable(
      [
        ['**ours** (`@cinemaabyss/gateway`)', g.gateways.ours, String(g.gateways.ours.peakRssMiB)],
        [
          'ours, in-flight dedup off',
          g.gateways['ours-nodedup'],
          String(g.gateways['ours-nodedup'].peakRssMiB),
        ],
        [
          'stock `@apollo/gateway` + standalone',
          g.gateways.stock,
          String(g.gateways.stock.peakRssMiB),
        ],
        [
          'Hive Gateway (`createGatewayRuntime`), defaults',
          g.gateways.hive,
          String(g.gateways.hive.peakRssMiB),
        ],
        [
          'Hive Gateway, in-flight subgraph dedup off',
          g.gateways['hive-nodedup'],
          String(g.gateways['hive-nodedup'].peakRssMiB),
        ],
        ['monolith subgraph alone (fetch 1 of the plan)', g.subgraphs.monolith, ''],
        ['movies subgraph alone (fetch 2, `_entities`)', g.subgraphs.movies, ''],
      ],
      ['peak RSS MiB'],
    ),
    '',
    `- RPS ratios per round: **ours ÷ stock ${fmtSpread(g.ratios.oursOverStock, 2)}×**, ` +
      `ours without dedup ÷ stock ${fmtSpread(g.ratios.oursNoDedupOverStock, 2)}×, ` +
      `**ours ÷ Hive ${fmtSpread(g.ratios.oursOverHive, 2)}×**, ` +
      `ours ÷ Hive without dedup ${fmtSpread(g.ratios.oursOverHiveNoDedup, 2)}×.`,
    `- Gateway CPU per request, theirs ÷ ours (> 1: ours is leaner): stock ${fmtSpread(g.ratios.stockCpuOverOurs, 2)}×, ` +
      `stock ÷ ours without dedup ${fmtSpread(g.ratios.stockCpuOverOursNoDedup, 2)}×, ` +
      `Hive ${fmtSpread(g.ratios.hiveCpuOverOurs, 2)}×, Hive without dedup ${fmtSpread(g.ratios.hiveNoDedupCpuOverOurs, 2)}×.`,
    `- The subgraphs alone, the plan's two fetches back to back: ` +
      `${num(g.subgraphs.sequentialCeilingRps, 1)} queries/s, what a gateway that cost nothing would approach.`,
    `- Same data from every gateway: ${g.sameData ? 'yes' : '**NO**'}. ` +
      '"CPU ms/req: gateway" is the gateway process alone; "backends" adds up the monolith ' +
      'subgraph, the monolith and the movies service. Peak RSS is the getrusage maximum of the gateway process. ' +
      "Hive's HTTP transport by default lets identical in-flight subgraph requests share one response: " +
      'under a load of identical queries most of its subgraph calls disappear (see its backends column). ' +
      "Ours with dedup off runs the full query plan for every request (the engine's own cost); by default " +
      "it collapses identical in-flight queries into one execution, which a load of identical queries favours, like Hive's default.",
    '',
  ];
}

function overrideLabelsSection(r: BenchResults): string[] {
  const o = r.overrideLabels;
  if (!o) return [];
  return [
    `### 1b. Progressive override: the nested query with its label evaluated (${o.users} users)`,
    '',
    loadTable([
      ['ours, label-free supergraph (the gateways above)', o.withoutLabels],
      ['ours, committed supergraph, `migration:movies` at 100 %', o.withLabels],
    ]),
    '',
    `- **With labels ÷ without: ${fmtSpread(o.rpsRatio, 2)}** (RPS per round). The same plan either way ` +
      '(the migrated `movie { title genres }` from the movies subgraph); the difference is reading the ' +
      "operation's labels, evaluating `migration:movies` against the live dial and keying the plan cache by the active set.",
    '',
  ];
}

function tracingCostSection(r: BenchResults): string[] {
  const t = r.tracingCost;
  if (!t) return [];
  const spans = (variant: keyof typeof t.spans) =>
    `${num(t.spans[variant].exported, 0)} exported, ${num(t.spans[variant].dropped, 0)} dropped`;
  return [
    `### 1c. What tracing costs: the nested query (${t.users} users)`,
    '',
    loadTable(
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
    '',
    '- Our gateway with in-flight dedup off (every request runs its whole plan and makes every span), ' +
      "`parentbased_traceidratio`, exporting to Zipkin's " +
      'intake path on a sink that discards the spans (a real Zipkin would take the same two cores). ' +
      "The backends are not traced here: the figures are the gateway's alone. Spans counted from the " +
      "gateway's own `tracing_spans_*` metrics at the end of the part.",
    '',
  ];
}

/** Ours against nginx: the RPS ratio and what each adds to p50 / p99 over direct. */
function againstNginx(
  ratio: Spread,
  ours: { p50: Spread; p99: Spread },
  nginx: { p50: Spread; p99: Spread },
): string {
  return (
    `- **Ours ÷ nginx ${fmtSpread(ratio, 2)}×** RPS; added p50 / p99: ` +
    `ours ${fmtSpread(ours.p50, 2)} / ${fmtSpread(ours.p99, 2)} ms, ` +
    `nginx ${fmtSpread(nginx.p50, 2)} / ${fmtSpread(nginx.p99, 2)} ms (per round, over direct).`
  );
}

function restSection(r: BenchResults): string[] {
  const s = r.rest;
  if (!s) return [];
  const single = s.oneAtATime;
  return [
    `### 2. REST shim: \`GET /api/movies\` (${s.movies} movies)`,
    '',
    loadTable([
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
    '',
    againstNginx(
      s.oursOverNginx,
      { p50: s.addedP50Ms, p99: s.addedP99Ms },
      { p50: s.nginxAddedP50Ms, p99: s.nginxAddedP99Ms },
    ),
    `- Ours ÷ direct: **RPS ratio ${fmtSpread(s.rpsRatio, 2)}**, **added p99 ${fmtSpread(s.addedP99Ms, 2)} ms** (per round); ` +
      `nginx ÷ direct ${fmtSpread(s.nginxOverDirect, 2)}×.`,
    `- A bare Node proxy on the same cores reaches ${fmtSpread(s.bareProxyOverDirect, 2)}× direct ` +
      `and adds ${fmtSpread(s.bareProxyAddedP99Ms, 2)} ms to p99: what any second hop in Node costs here, ` +
      'before any framework, routing or metrics.',
    '',
    'One request at a time (1 connection, so nothing queues): the latency the hop adds to a request.',
    '',
    loadTable([
      ['via the gateway', single.viaGateway],
      ['via nginx', single.viaNginx],
      ['bare Node proxy', single.viaBareProxy],
      ['movies service directly', single.direct],
    ]),
    '',
    againstNginx(
      single.oursOverNginx,
      { p50: single.addedP50Ms, p99: single.addedP99Ms },
      { p50: single.nginxAddedP50Ms, p99: single.nginxAddedP99Ms },
    ),
    `- **Added latency: p50 ${fmtSpread(single.addedP50Ms, 2)} ms, p99 ${fmtSpread(single.addedP99Ms, 2)} ms**; ` +
      `the bare proxy's p99 ${fmtSpread(single.bareProxyAddedP99Ms, 2)} ms (per round).`,
    '',
  ];
}

function nPlusOneSection(r: BenchResults): string[] {
  const n = r.nPlusOne;
  if (!n) return [];
  return [
    '### 3. N+1: counted, not timed',
    '',
    table(
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
    '',
    table(
      ['movies list', 'movies', 'SQL statements'],
      n.moviesLists.map((l) => [l.what, String(l.movies), `**${l.statements}**`]),
    ),
    '',
  ];
}

function eventsSection(r: BenchResults): string[] {
  const e = r.events;
  if (!e) return [];
  const { latency: l, outbox: o } = e;
  return [
    '### 4. Events',
    '',
    loadTable([
      ['`POST /api/events/movie`, events service', e.rest.direct],
      ['`POST /api/events/movie`, through the gateway', e.rest.viaGateway],
    ]),
    '',
    table(
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
    '',
    ...(o.incomplete
      ? [`- ${o.incomplete} outbox round(s) did not finish within the deadline.`, '']
      : []),
  ];
}

/** The Markdown report of one run: the body of latest.md, which is where the figures live. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const s = r.settings;
  return [
    `Measured ${m.date.slice(0, 10)} on ${m.nproc} × ${m.cpuModel}, ${m.memoryGiB} GiB, ` +
      `Node ${m.node}, commit ${m.commit}${m.dirty ? ' (with local changes)' : ''}; ` +
      `\`${r.command}\` took ${Math.round(r.durationSeconds)} s.`,
    `Load: autocannon, ${s.connections} connections, ${s.rounds} alternating rounds of ` +
      `${s.measureSeconds} s per target (after ${s.warmupSeconds} s warm-up); cells are ` +
      '**median (min–max over rounds)**. Every server runs in its own process on the same machine as the load generator and PostgreSQL.',
    '',
    ...variedWorkloadSection(r),
    ...gatewaysSection(r),
    ...overrideLabelsSection(r),
    ...tracingCostSection(r),
    ...restSection(r),
    ...nPlusOneSection(r),
    ...eventsSection(r),
    '### Targets',
    '',
    table(
      ['what', 'target', 'measured', 'met'],
      r.targets.map((t) => [t.name, t.target, t.measured, t.met ? 'yes' : '**no**']),
    ),
    '',
  ].join('\n');
}
