import type { BenchResults, TargetCheck } from './benchResults';

const x = (value: number) => `${value.toFixed(2)}×`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The targets, judged on the medians (spreads are in the tables). */
export function evaluateTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (name: string, target: string, measured: string, met: boolean) =>
    checks.push({ name, target, measured, met });
  const { gateways, rest, nPlusOne, events } = results;
  for (const g of gateways ?? []) {
    const stock = g.ratios.oursOverStock.median;
    const hive = g.ratios.oursOverHive.median;
    // Judged on ours as deployed; the figure with its in-flight dedup off is shown, not judged.
    const noDedupStock = g.ratios.oursNoDedupOverStock.median;
    add(
      `nested query RPS, ours ÷ stock Apollo (${g.users} users)`,
      '≥ 3',
      `${x(stock)} (in-flight dedup off: ${x(noDedupStock)})`,
      stock >= 3,
    );
    add(`nested query RPS, ours ÷ Hive Gateway (${g.users} users)`, '≥ 1', x(hive), hive >= 1);
    const noDedup = g.ratios.oursOverHiveNoDedup.median;
    add(
      `… ours ÷ Hive Gateway with its in-flight dedup off (${g.users} users)`,
      '≥ 1',
      x(noDedup),
      noDedup >= 1,
    );
  }
  if (rest) {
    // Judged on the gateway; the bare proxy's figure (the floor of any second hop) is shown.
    const ratio = rest.rpsRatio.median;
    const floor = rest.bareProxyOverDirect.median;
    add('REST shim RPS ÷ direct', '≥ 0.9', `${x(ratio)} (bare proxy: ${x(floor)})`, ratio >= 0.9);
    add('REST shim added p99', '≤ 2 ms', ms(rest.addedP99Ms.median), rest.addedP99Ms.median <= 2);
  }
  if (nPlusOne) {
    const calls = nPlusOne.byUsers.map((c) => c.restCalls);
    const constant = calls.every((c) => c === calls[0]) && Math.max(...calls) <= 3;
    add(
      'REST calls per users { payments subscriptions }',
      'constant in N, ≤ 3',
      nPlusOne.byUsers.map((c) => `N=${c.users}: ${c.restCalls}`).join(', '),
      constant,
    );
    const lists = nPlusOne.moviesLists;
    add(
      'SQL statements per movies list (movies service / monolith / GraphQL)',
      '1',
      lists.map((l) => `${l.statements}`).join(' / '),
      lists.every((l) => l.statements === 1),
    );
  }
  if (events) {
    const relay = events.outbox.publishedPerSecond.median;
    add(
      'outbox relay throughput',
      '≥ 5,000 events/s',
      `${relay.toFixed(0)} events/s`,
      relay >= 5000,
    );
    const { p50, p99 } = events.latency;
    add('mutation → processed p50', '≤ 50 ms', ms(p50), p50 <= 50);
    add('mutation → processed p99', '≤ 250 ms', ms(p99), p99 <= 250);
  }
  return checks;
}
