import type { TargetSummary } from '../load/measureAlternating';
import type { Spread } from '../stats';
import type { BenchResults } from './benchResults';
import { fmtSpread, renderMarkdown } from './renderMarkdown';

const spread = (median: number, min: number, max: number): Spread => ({
  median,
  min,
  max,
  rounds: [min, median, max],
});

const load: TargetSummary = {
  rps: spread(1000, 900, 1100),
  p50: spread(1, 1, 1),
  p95: spread(2, 2, 2),
  p99: spread(3, 3, 3),
  cpuMsPerRequest: {},
  failures: 0,
  rounds: [],
};

const results: BenchResults = {
  command: 'npm run bench -- --only=rest',
  machine: {
    date: '2026-12-02T10:00:00.000Z',
    nproc: 2,
    cpuModel: 'test CPU',
    memoryGiB: 8,
    node: 'v20.11.0',
    os: 'Linux',
    commit: 'abc1234',
    dirty: false,
  },
  settings: {
    quick: false,
    rounds: 3,
    measureSeconds: 5,
    warmupSeconds: 3,
    settleSeconds: 1,
    connections: 10,
  },
  dataSet: {},
  rest: {
    movies: 50,
    viaGateway: load,
    viaBareProxy: load,
    direct: load,
    rpsRatio: spread(0.85, 0.8, 0.9),
    addedP99Ms: spread(1.5, 1.25, 1.75),
    bareProxyOverDirect: spread(0.95, 0.93, 0.97),
    bareProxyAddedP99Ms: spread(0.5, 0.25, 0.75),
  },
  targets: [
    { name: 'REST shim RPS ÷ direct', target: '≥ 0.9', measured: '0.85×', met: false },
    { name: 'REST shim added p99', target: '≤ 2 ms', measured: '1.5 ms', met: true },
  ],
  durationSeconds: 61.4,
};

describe('fmtSpread', () => {
  it('writes median (min–max) with thousands separators', () => {
    expect(fmtSpread(spread(1234.5, 1000, 2000), 1)).toBe('1,234.5 (1,000.0–2,000.0)');
  });

  it('writes a dash for a missing spread or a value that is not finite', () => {
    expect(fmtSpread(undefined)).toBe('–');
    expect(fmtSpread(spread(NaN, 1, 2), 2)).toBe('– (1.00–2.00)');
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

  it('renders no section for a part the run did not measure', () => {
    expect(markdown).toContain('### 2. REST shim');
    expect(markdown).not.toContain('### 1. Gateways');
    expect(markdown).not.toContain('### 3. N+1');
    expect(markdown).not.toContain('### 4. Events');
  });
});
