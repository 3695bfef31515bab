import { describe, expect, it } from 'vitest';
import {
  best,
  flopPerExample,
  formatNumber,
  formatSummary,
  markdownTable,
  median,
  percentile,
  ratioSummary,
  summary,
} from '../bench/stats.mjs';

// The bench's arithmetic (bench/stats.mjs): what its tables print is computed here by hand.

describe('median, summary and percentile', () => {
  it('takes the middle value, or the mean of the middle two, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summary([3, 9, 1, 4, 7])).toEqual({ median: 4, min: 1, max: 9, n: 5 });
    expect(() => median([])).toThrow(RangeError);
  });

  it('gives percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7, 3, 5], 50)).toBe(5);
    expect(percentile([7, 3, 5], 99)).toBe(7);
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });
});

describe('ratios of rounds', () => {
  it('divides round by round, then summarises', () => {
    // Rounds 2, 1.5, 4: the median ratio is 2, not 6/3 = median(a)/median(b).
    expect(ratioSummary([4, 6, 8], [2, 4, 2])).toEqual({ median: 2, min: 1.5, max: 4, n: 3 });
    expect(() => ratioSummary([1], [1, 2])).toThrow(RangeError);
  });

  it('takes the best of several systems in each round', () => {
    expect(best([1, 5, 3], [2, 4, 3])).toEqual([2, 5, 3]);
  });
});

describe('formatting', () => {
  it('prints numbers with separators, summaries as median (min–max)', () => {
    expect(formatNumber(1234567.891)).toBe('1,234,568');
    expect(formatNumber(0.5, 2)).toBe('0.50');
    expect(formatNumber(undefined)).toBe('—');
    expect(formatSummary({ median: 1.234, min: 1.1, max: 1.5, n: 5 }, 2, '×')).toBe(
      '1.23× (1.10×–1.50×)',
    );
    expect(formatSummary(undefined)).toBe('—');
  });

  it('writes Markdown tables', () => {
    expect(markdownTable(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});

describe('FLOP per example', () => {
  it("counts the products: 784-128-10 as the bench's earlier constant, 409,088 to train", () => {
    // Forward 2·(784·128 + 128·10) = 203,264; ∂L/∂W as many; ∂L/∂A of layer 1 only 2·128·10.
    expect(flopPerExample([784, 128, 10], false)).toBe(203_264);
    expect(flopPerExample([784, 128, 10], true)).toBe(203_264 + 203_264 + 2_560);
    expect(flopPerExample([2, 3], true)).toBe(24); // one layer: no ∂L/∂A below the inputs
  });
});
