import type { BenchResults } from './benchResults';
import { mergeResults } from './mergeResults';

const run = (overrides: Partial<BenchResults>): BenchResults =>
  ({
    command: 'npm run bench',
    machine: { commit: 'aaa1111', date: '2026-12-01T10:00:00Z' },
    settings: {},
    dataSet: { users: 500 },
    targets: [],
    durationSeconds: 1474.4,
    ...overrides,
  }) as unknown as BenchResults;

describe('mergeResults', () => {
  it("keeps the earlier run's sections this run did not measure, and names that run", () => {
    const earlier = run({ rest: { movies: 1 } as never, events: { latency: {} } as never });
    const current = run({
      command: 'npm run bench -- --only=events --merge',
      machine: { commit: 'bbb2222', date: '2026-12-07T08:00:00Z' } as never,
      dataSet: {},
      events: { latency: { p50: 1 } } as never,
      durationSeconds: 90,
    });
    const merged = mergeResults(current, earlier);
    expect(merged.rest).toBe(earlier.rest);
    expect(merged.events).toBe(current.events);
    expect(merged.dataSet).toEqual({ users: 500 });
    expect(merged.earlierRuns).toEqual([
      {
        command: 'npm run bench',
        commit: 'aaa1111',
        date: '2026-12-01',
        seconds: 1474,
        sections: ['rest'],
      },
    ]);
  });

  it('names the run that measured each kept section when merging again', () => {
    const first = run({ rest: {} as never });
    const second = mergeResults(
      run({
        command: 'npm run bench -- --only=events --merge',
        machine: { commit: 'bbb', date: '2026-12-02T00:00:00Z' } as never,
        events: {} as never,
        durationSeconds: 60,
      }),
      first,
    );
    const third = mergeResults(
      run({ machine: { commit: 'ccc', date: 'y' } as never, subscriptions: {} as never }),
      { ...second, targets: [] } as BenchResults,
    );
    expect(third.earlierRuns).toEqual([
      expect.objectContaining({ commit: 'aaa1111', sections: ['rest'] }),
      expect.objectContaining({
        commit: 'bbb',
        date: '2026-12-02',
        seconds: 60,
        sections: ['events'],
      }),
    ]);
  });

  it('changes nothing when this run measured every section the earlier one had', () => {
    const current = run({ rest: {} as never });
    expect(mergeResults(current, run({ rest: {} as never }))).toBe(current);
  });
});
