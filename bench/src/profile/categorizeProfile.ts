import { readFileSync } from 'node:fs';
import type { CpuProfile } from './summarizeProfile';

type CallFrame = CpuProfile['nodes'][number]['callFrame'];

/** Where a gateway's CPU goes, in the parts an engine is made of. */
export const PROFILE_CATEGORIES = [
  'planning',
  'request pipeline',
  'GraphQL parsing and validation',
  'subgraph I/O and parsing',
  'result merging and shaping',
  'serialisation',
  'metrics and logging',
  'tracing',
  'HTTP and sockets (Node)',
  'garbage collection',
  'native code and runtime',
  'other',
] as const;
export type ProfileCategory = (typeof PROFILE_CATEGORIES)[number];

interface Rule {
  category: ProfileCategory;
  /** Matched against the frame's file (its URL). */
  file?: RegExp;
  /** Matched against the function's name, for built-ins that have no file. */
  fn?: RegExp;
}

/**
 * A sample is charged to the innermost frame on its stack that a rule recognises, so a
 * built-in (JSON.parse, a regexp) counts for the code that called it. The first rule that
 * matches a frame wins.
 */
const RULES: Rule[] = [
  { category: 'garbage collection', fn: /^\(garbage collector\)$/ },
  // JSON.stringify is a V8 built-in that profiles fold into its caller: the callers are named.
  { category: 'serialisation', fn: /^stringify$|JSONStringify|jsonStringify|^serialize/ },
  { category: 'tracing', file: /@opentelemetry\/|\/tracing\/|gatewayTracing/ },
  { category: 'metrics and logging', file: /prom-client|pino|\/metrics\.ts|figures\// },
  {
    category: 'planning',
    // Federation-internals and router-runtime serve both planning and execution: their frames
    // count for whoever called them.
    file: /@apollo\/query-planner|router-query-planner|\/engine\/planCache|overrideIndex/,
  },
  {
    category: 'subgraph I/O and parsing',
    file: /undici|subgraphDataSource|inFlight|@graphql-tools\/executor-http|@graphql-hive\/signal|fetch-node|@whatwg-node\/node-fetch/,
  },
  {
    category: 'result merging and shaping',
    file: /@apollo\/gateway\/dist\/(executeQueryPlan|resultShaping|dataRewrites)|\/engine\/(executePlan|resultShape|entityData|compiledOperations)|graphql\/execution|@graphql-tools\/executor\/|fusion-runtime|@graphql-tools\/(delegate|stitch|federation)|router-runtime\/dist/,
  },
  {
    category: 'GraphQL parsing and validation',
    file: /graphql\/(language|validation|utilities)|graphql-armor|@graphql-tools\/utils/,
  },
  {
    category: 'request pipeline',
    file: /@apollo\/server|@as-integrations|fastify|find-my-way|avvio|light-my-request|graphql-yoga|@envelop|@graphql-hive\/gateway|@graphql-mesh|@whatwg-node|gateway\/src\/|pageCost|servableOperation/,
  },
  { category: 'subgraph I/O and parsing', fn: /^parse$/, file: /^$/ },
  { category: 'HTTP and sockets (Node)', file: /^node:/ },
];

/** The profiler stopping and serialising its profile inside the window: not the workload's. */
const PROFILER = 'profiler';
const PROFILER_FILE = /^node:inspector$/;

function categoryOf(frame: CallFrame): ProfileCategory | typeof PROFILER | undefined {
  if (PROFILER_FILE.test(frame.url)) return PROFILER;
  for (const rule of RULES) {
    if (rule.fn && !rule.fn.test(frame.functionName)) continue;
    if (rule.file && !rule.file.test(frame.url)) continue;
    return rule.category;
  }
  return undefined;
}

export interface CategoryShare {
  category: ProfileCategory;
  /** Share of the busy (non-idle) CPU time. */
  percent: number;
}

/** The busy CPU time of a V8 profile, split by category, largest first. */
export function categorizeProfile(profile: CpuProfile): CategoryShare[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const charged = new Map<number, ProfileCategory | typeof PROFILER>();
  const chargeOf = (id: number): ProfileCategory | typeof PROFILER => {
    const known = charged.get(id);
    if (known) return known;
    const node = byId.get(id);
    const parentId = parent.get(id);
    const category =
      (node && categoryOf(node.callFrame)) ??
      (parentId === undefined ? 'other' : chargeOf(parentId));
    charged.set(id, category);
    return category;
  };
  const time = new Map<ProfileCategory, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    const weight = profile.timeDeltas[i] ?? 0;
    // V8 and native add-ons (a Rust planner) outside any JavaScript frame.
    const category =
      node.callFrame.functionName === '(program)' ? 'native code and runtime' : chargeOf(id);
    if (category === PROFILER) return;
    busy += weight;
    time.set(category, (time.get(category) ?? 0) + weight);
  });
  return PROFILE_CATEGORIES.map((category) => ({
    category,
    percent: busy === 0 ? 0 : ((time.get(category) ?? 0) * 100) / busy,
  }))
    .filter((share) => share.percent > 0)
    .sort((a, b) => b.percent - a.percent);
}

/** `categorizeProfile` of a `.cpuprofile` file. */
export function categorizeProfileFile(file: string): CategoryShare[] {
  return categorizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
}

/**
 * Profiled processes side by side, their busy CPU by part of the engine: the header and one row
 * per category that any of them spends at least 0.05 % in. The report and the summary both
 * print it.
 */
export function categoryColumns(processes: readonly [string, readonly CategoryShare[]][]): {
  headers: string[];
  rows: string[][];
} {
  const shareOf = (shares: readonly CategoryShare[], category: ProfileCategory) =>
    shares.find((share) => share.category === category)?.percent ?? 0;
  return {
    headers: ['part of the engine', ...processes.map(([name]) => `${name}: % of busy CPU`)],
    rows: PROFILE_CATEGORIES.filter((category) =>
      processes.some(([, shares]) => shareOf(shares, category) >= 0.05),
    ).map((category) => [
      category,
      ...processes.map(([, shares]) => shareOf(shares, category).toFixed(1)),
    ]),
  };
}
