import { median, percentile, percentileOfSorted, round, roundRatios, spread } from './stats';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('percentile', () => {
  it('takes the nearest rank of unsorted samples, never interpolating', () => {
    const samples = [40, 15, 50, 35, 20];
    expect(percentile(samples, 5)).toBe(15);
    expect(percentile(samples, 30)).toBe(20);
    expect(percentile(samples, 40)).toBe(20);
    expect(percentile(samples, 50)).toBe(35);
    expect(percentile(samples, 100)).toBe(50);
  });

  it('gives p50, p99 and p100 of 1..100 as 50, 99 and 100', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
  });

  it('gives the smallest sample for p0', () => {
    expect(percentile([7, 3, 9], 0)).toBe(3);
  });

  it('sorts numerically, not as strings', () => {
    expect(percentile([10, 9, 100], 50)).toBe(10);
    expect(percentile([10, 9, 100], 100)).toBe(100);
  });

  it('leaves the samples in their order', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('percentileOfSorted', () => {
  it('takes the nearest rank of sorted samples', () => {
    expect(percentileOfSorted(oneToHundred, 50)).toBe(50);
    expect(percentileOfSorted(oneToHundred, 99)).toBe(99);
    expect(percentileOfSorted(oneToHundred, 100)).toBe(100);
    expect(percentileOfSorted([1, 2, 3, 4], 75)).toBe(3);
    expect(percentileOfSorted([1, 2, 3, 4], 76)).toBe(4);
  });

  it('is NaN without samples', () => {
    expect(percentileOfSorted([], 99)).toBeNaN();
  });
});

describe('median', () => {
  it('is the middle sample of an odd count', () => {
    expect(median([3, 1, 2])).toBe(2);
  });

  it('is the mean of the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 9, 100, 1])).toBe(9.5);
  });

  it('is NaN without samples', () => {
    expect(median([])).toBeNaN();
  });
});

describe('spread', () => {
  it('reports median, min and max with the rounds in round order', () => {
    expect(spread([30, 10, 20, 50])).toEqual({
      median: 25,
      min: 10,
      max: 50,
      rounds: [30, 10, 20, 50],
    });
  });

  it('copies the rounds: later changes to the input do not show', () => {
    const rounds = [2, 1, 3];
    const s = spread(rounds);
    rounds.push(100);
    expect(s.rounds).not.toBe(rounds);
    expect(s.rounds).toEqual([2, 1, 3]);
  });
});

describe('roundRatios', () => {
  it('divides the first series by the second, round by round', () => {
    expect(roundRatios([10, 30, 9], [5, 10, 3])).toEqual([2, 3, 3]);
    expect(roundRatios([1, 1], [4, 2])).toEqual([0.25, 0.5]);
  });
});

describe('round', () => {
  it('rounds to two digits by default', () => {
    expect(round(3.14159)).toBe(3.14);
    expect(round(0.125)).toBe(0.13);
  });

  it('rounds to the digits asked for', () => {
    expect(round(1234.5678, 1)).toBe(1234.6);
    expect(round(2.5, 0)).toBe(3);
    expect(round(1234.5678, 3)).toBe(1234.568);
  });
});
