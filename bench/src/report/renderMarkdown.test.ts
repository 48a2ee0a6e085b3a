import type { BenchResults } from './benchResults';
import {
  authCostResult,
  benchResults,
  loadSummary,
  restShimResult,
  spreadOf,
  variedWorkloadResult,
} from '../testing/benchResultsFixture';
import { fmtSpread, renderMarkdown } from './renderMarkdown';

const results: BenchResults = {
  ...benchResults({ command: 'npm run bench -- --only=rest' }),
  rest: {
    ...restShimResult(),
    oursOverNginx: spreadOf(0.8, 0.75, 0.85),
    addedP50Ms: spreadOf(0.7, 0.6, 0.8),
    nginxAddedP50Ms: spreadOf(0.2, 0.1, 0.3),
    nginxAddedP99Ms: spreadOf(0.4, 0.3, 0.5),
    rpsRatio: spreadOf(0.85, 0.8, 0.9),
    addedP99Ms: spreadOf(1.5, 1.25, 1.75),
    bareProxyOverDirect: spreadOf(0.95, 0.93, 0.97),
    bareProxyAddedP99Ms: spreadOf(0.5, 0.25, 0.75),
    oneAtATime: {
      ...restShimResult().oneAtATime,
      addedP50Ms: spreadOf(0.3, 0.2, 0.4),
      addedP99Ms: spreadOf(0.9, 0.7, 1.1),
      bareProxyAddedP99Ms: spreadOf(0.6, 0.5, 0.8),
      nginxAddedP50Ms: spreadOf(0.1, 0.05, 0.15),
      nginxAddedP99Ms: spreadOf(0.25, 0.2, 0.3),
      oursOverNginx: spreadOf(0.7, 0.6, 0.8),
    },
  },
  targets: [
    { name: 'REST shim RPS ÷ direct', target: '≥ 0.9', measured: '0.85×', met: false },
    { name: 'REST shim added p99', target: '≤ 2 ms', measured: '1.5 ms', met: true },
  ],
  durationSeconds: 61.4,
};

describe('fmtSpread', () => {
  it('writes median (min–max) with thousands separators', () => {
    expect(fmtSpread(spreadOf(1234.5, 1000, 2000), 1)).toBe('1,234.5 (1,000.0–2,000.0)');
  });

  it('writes a dash for a missing spread or a value that is not finite', () => {
    expect(fmtSpread(undefined)).toBe('–');
    expect(fmtSpread(spreadOf(NaN, 1, 2), 2)).toBe('– (1.00–2.00)');
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(results);

  it('marks a missed target **no** and a met one yes', () => {
    expect(markdown).toContain('| REST shim RPS ÷ direct | ≥ 0.9 | 0.85× | **no** |');
    expect(markdown).toContain('| REST shim added p99 | ≤ 2 ms | 1.5 ms | yes |');
  });

  it("gives the REST shim's ratio and added p99 with the bare proxy's floor beside them", () => {
    expect(markdown).toContain('**RPS ratio 0.85 (0.80–0.90)**, **added p99 1.50 (1.25–1.75) ms**');
    expect(markdown).toContain(
      'A bare Node proxy on the same cores reaches 0.95 (0.93–0.97)× direct and adds 0.50 (0.25–0.75) ms to p99',
    );
  });

  it('anchors the shim on nginx doing the same routing: RPS ratio and added latency', () => {
    expect(markdown).toMatch(/\| via nginx \(Debian's nginx/);
    expect(markdown).toContain(
      '**Ours ÷ nginx 0.80 (0.75–0.85)×** RPS; added p50 / p99: ours 0.70 (0.60–0.80) / 1.50 (1.25–1.75) ms, ' +
        'nginx 0.20 (0.10–0.30) / 0.40 (0.30–0.50) ms',
    );
    expect(markdown).toContain(
      '**Ours ÷ nginx 0.70 (0.60–0.80)×** RPS; added p50 / p99: ours 0.30 (0.20–0.40) / 0.90 (0.70–1.10) ms, ' +
        'nginx 0.10 (0.05–0.15) / 0.25 (0.20–0.30) ms',
    );
  });

  it('gives the latency the hop adds one request at a time, the bare proxy beside it', () => {
    expect(markdown).toContain('One request at a time (1 connection, so nothing queues)');
    expect(markdown).toContain(
      '**Added latency: p50 0.30 (0.20–0.40) ms, p99 0.90 (0.70–1.10) ms**; ' +
        "the bare proxy's p99 0.60 (0.50–0.80) ms",
    );
  });

  it('renders the tracing cost: each variant, its CPU ratio to off and its spans', () => {
    const markdown = renderMarkdown({
      targets: [],
      ...benchResults({
        tracingCost: {
          users: 500,
          off: { ...loadSummary, rounds: new Array<(typeof loadSummary.rounds)[number]>(11) },
          sampled1: loadSummary,
          sampled100: loadSummary,
          cpuRatio: { sampled100: spreadOf(1.12, 1.1, 1.14), sampled1: spreadOf(1.01) },
          spans: {
            sampled100: { exported: 12_345, dropped: 2 },
            sampled1: { exported: 120, dropped: 0 },
          },
        },
      }),
    });
    expect(markdown).toContain('### 1c. What tracing costs: the nested query (500 users)');
    expect(markdown).toContain('- 11 alternating rounds (a full run takes more here');
    expect(markdown).toMatch(
      /\| ours, sampled at 100 % \|.*\| 1\.12 \(1\.10–1\.14\) \| 12,345 exported, 2 dropped \|/,
    );
    expect(markdown).toMatch(
      /\| ours, sampled at 1 % \|.*\| 1\.01 \(1\.01–1\.01\) \| 120 exported, 0 dropped \|/,
    );
  });

  it('renders what authentication costs: both workloads, each ratio, the operations named', () => {
    const markdown = renderMarkdown({
      targets: [],
      ...benchResults({ authCost: authCostResult(1.03, 1.7) }),
    });
    expect(markdown).toContain(
      '### 1d. What authentication and authorization cost: the varied workload (500 users)',
    );
    expect(markdown).toMatch(
      /\| public operations at 300 rps, anonymous \|.*\n\| … 50 signed-in callers \|.*\| 1\.03 \(1\.03–1\.03\) \|/,
    );
    expect(markdown).toMatch(
      /\| whole workload at 120 rps, anonymous \(answers cut\) \|.*\n\| … 50 signed-in callers \|.*\| 1\.70 \(1\.70–1\.70\) \|/,
    );
    expect(markdown).toContain(
      '**Signed in ÷ anonymous, gateway CPU per request: 1.03 (1.03–1.03)** on the public operations (`MoviesByGenre`, `MovieDetail`)',
    );
    expect(markdown).toContain('anonymous answers to `UsersPage`, `UserProfile`, `UserBilling`');
  });

  describe('the varied workload', () => {
    const withVaried = (sameData: boolean) =>
      renderMarkdown({
        targets: [],
        ...benchResults({
          variedWorkload: {
            ...variedWorkloadResult({ oursOverStock: 1.12, dedupCpuCost: 1.01 }, { sameData }),
            gateways: {
              ...variedWorkloadResult().gateways,
              ours: {
                ...loadSummary,
                cpuMsPerRequest: { gateway: spreadOf(1.5), 'legacy monolith': spreadOf(0.25) },
              },
            },
          },
        }),
      });

    it('leads part 1, before the identical-query scenario', () => {
      const markdown = renderMarkdown({
        targets: [],
        ...benchResults({
          variedWorkload: variedWorkloadResult(),
          gateways: [
            {
              query: '{ users { id } }',
              users: 50,
              responseBytes: 2048,
              sameData: true,
              gateways: variedWorkloadResult().gateways as never,
              subgraphs: { monolith: loadSummary, movies: loadSummary, sequentialCeilingRps: 1 },
              ratios: variedWorkloadResult().ratios as never,
            },
          ],
        }),
      });
      const varied = markdown.indexOf('### 1. Gateways: a varied workload (500 users');
      const identical = markdown.indexOf(
        '### 1. Gateways, identical queries: the nested query (50',
      );
      expect(varied).toBeGreaterThan(-1);
      expect(identical).toBeGreaterThan(varied);
    });

    it('lists each operation with its share and how its responses compared', () => {
      const markdown = withVaried(true);
      expect(markdown).toContain('drawn from seed 42');
      expect(markdown).toContain('| `UsersPage` | 75 % | a page of users | 4, identical |');
      expect(markdown).toContain('| `MovieDetail` | 25 % | one movie | 4, identical |');
      expect(markdown).toContain('Same data from every gateway for every compared request: yes');
      expect(withVaried(false)).toContain(
        '| `UsersPage` | 75 % | a page of users | 4, **DIFFERENT** |',
      );
      expect(withVaried(false)).toContain('for every compared request: **NO**');
    });

    it("gives each backend's CPU column beside the gateway's, and the ratios", () => {
      const markdown = withVaried(true);
      expect(markdown).toContain('CPU ms/req: gateway | CPU ms/req: legacy monolith |');
      expect(markdown).toMatch(
        /\| \*\*ours\*\* \(`@cinemaabyss\/gateway`\) \|.*\| 1\.50 \(1\.50–1\.50\) \| 0\.25 \(0\.25–0\.25\) \|/,
      );
      expect(markdown).toContain('**ours ÷ stock 1.12 (1.12–1.12)×**');
      expect(markdown).toContain('**In-flight dedup on ÷ off: 1.01 (1.01–1.01)×**');
    });

    it("sums the backends' CPU per request against the gateway's", () => {
      const base = variedWorkloadResult();
      const markdown = renderMarkdown({
        targets: [],
        ...benchResults({
          variedWorkload: {
            ...base,
            gateways: {
              ...base.gateways,
              'ours-nodedup': {
                ...loadSummary,
                cpuMsPerRequest: {
                  gateway: spreadOf(2),
                  'monolith subgraph': spreadOf(1.5),
                  'legacy monolith': spreadOf(0.5),
                  'movies service': spreadOf(1),
                },
              },
            },
          },
        }),
      });
      expect(markdown).toContain(
        "**Backends' CPU per request** (ours, dedup off): monolith subgraph 1.50, legacy monolith 0.50, " +
          "movies service 1.00 ms; together 3.00 ms, **1.50× the gateway's 2.00 ms**.",
      );
    });

    it('names the hottest functions of each profiled process, when profiled', () => {
      expect(withVaried(true)).not.toContain('Where the CPU goes');
      const markdown = renderMarkdown({
        targets: [],
        ...benchResults({
          variedWorkload: {
            ...variedWorkloadResult(),
            profiles: {
              'legacy monolith': {
                cpuSeconds: 12.34,
                file: '/tmp/legacy-monolith.cpuprofile',
                top: [
                  { name: 'serialize pg/lib/x.js:1', selfPercent: 12.5, totalPercent: 20 },
                  { name: 'parse fastify/y.js:2', selfPercent: 7.25, totalPercent: 9 },
                ],
                categories: [{ category: 'other', percent: 100 }],
              },
            },
          },
        }),
      });
      expect(markdown).toContain('Where the CPU goes over this part (`--profile`');
      expect(markdown).toContain(
        '| legacy monolith | 12.3 | 12.5 % `serialize pg/lib/x.js:1`<br>7.3 % `parse fastify/y.js:2` |',
      );
      expect(markdown).not.toContain('by part of the engine');
    });

    it('splits the profiled gateways by part of the engine, side by side', () => {
      const gateway = (categories: { category: string; percent: number }[]) => ({
        cpuSeconds: 10,
        file: '/tmp/g.cpuprofile',
        top: [],
        categories,
      });
      const markdown = renderMarkdown({
        targets: [],
        ...benchResults({
          variedWorkload: {
            ...variedWorkloadResult(),
            profiles: {
              'ours (gateway)': gateway([
                { category: 'result merging and shaping', percent: 40 },
                { category: 'planning', percent: 1 },
              ]),
              'Hive + Rust QP (gateway)': gateway([
                { category: 'request pipeline', percent: 30 },
                { category: 'result merging and shaping', percent: 20 },
              ]),
            } as never,
          },
        }),
      });

      expect(markdown).toContain('by part of the engine');
      expect(markdown).toContain(
        '| part of the engine | ours (gateway): % of busy CPU | Hive + Rust QP (gateway): % of busy CPU |',
      );
      expect(markdown).toMatch(/\| planning +\| 1\.0 +\| 0\.0 +\|/);
      expect(markdown).toMatch(/\| result merging and shaping +\| 40\.0 +\| 20\.0 +\|/);
      expect(markdown).not.toMatch(/\| tracing +\|/);
    });
  });

  it('renders no section for a part the run did not measure', () => {
    expect(markdown).toContain('### 2. REST shim');
    expect(markdown).not.toContain('### 1. Gateways');
    expect(markdown).not.toContain('### 3. N+1');
    expect(markdown).not.toContain('### 4. Events');
  });

  it('reports what shadow comparison costs at a fixed rate, with what the comparisons came to', () => {
    const markdown = renderMarkdown({
      ...results,
      shadowCost: {
        rate: 300,
        servedBy: 'movies',
        off: loadSummary,
        on: loadSummary,
        p50Ratio: spreadOf(1.02, 1, 1.04),
        p99Ratio: spreadOf(1.05, 1.01, 1.09),
        cpuRatio: spreadOf(1.4, 1.3, 1.5),
        comparisons: { match: 1_200, mismatch: 3, noise: 2, error: 0, skipped: 1 },
      },
    });
    expect(markdown).toContain(
      '### 2b. What shadow comparison costs: `GET /api/movies` at 300 requests/s',
    );
    expect(markdown).toContain('**Client p99, shadow 100 % ÷ 0 %: 1.05 (1.01–1.09)**');
    expect(markdown).toContain(
      'Comparisons over the part: 1200 match, 3 mismatch, 2 noise, 0 error, 1 skipped.',
    );
    expect(renderMarkdown(results)).not.toContain('### 2b.');
  });

  it('reports GraphQL shadowing in its own section, served side and comparisons included', () => {
    const markdown = renderMarkdown({
      ...results,
      graphqlShadowCost: {
        rate: 60,
        servedBy: 'movies',
        off: loadSummary,
        on: loadSummary,
        p50Ratio: spreadOf(1.03, 1, 1.05),
        p99Ratio: spreadOf(1.08, 1.02, 1.12),
        cpuRatio: spreadOf(1.9, 1.8, 2),
        comparisons: { match: 500, mismatch: 0, noise: 4, error: 1, skipped: 0 },
      },
    });
    expect(markdown).toContain(
      '### 2c. What shadow comparison costs on GraphQL: the varied workload at 60 requests/s',
    );
    expect(markdown).toContain('Queries are planned on the movies side');
    expect(markdown).toContain('**Client p99, shadow 100 % ÷ 0 %: 1.08 (1.02–1.12)**');
    expect(markdown).toContain(
      'Comparisons over the part: 500 match, 0 mismatch, 4 noise, 1 error, 0 skipped.',
    );
    expect(markdown).not.toContain('`GET /api/movies` at');
  });
});
