import { describe, expect, it } from 'vitest';
import { roundsMarkdown, type RoundsResult } from '../bench/tables.mjs';

// The bench's tables (bench/tables.mjs) from made-up rounds: each cell and ratio checked by hand.

const names = {
  ours1: 'backprop wasm',
  ours2: 'backprop wasm×2',
  numpy1: 'numpy',
  numpy2: 'numpy',
};
/** Three rounds; our ×2 wins round 2 only, numpy ×2 wins round 3 only. */
const result: RoundsResult = {
  names,
  python: '/usr/bin/python3',
  rounds: 3,
  values: {
    'train-mnist-64': {
      ours1: [100, 100, 120],
      ours2: [90, 150, 100],
      numpy1: [200, 100, 60],
      numpy2: [100, 50, 80],
    },
    'latency-mnist': {
      ours1: [
        { p50: 10, p99: 20 },
        { p50: 12, p99: 30 },
        { p50: 11, p99: 25 },
      ],
      numpy1: [
        { p50: 30, p99: 50 },
        { p50: 24, p99: 40 },
        { p50: 44, p99: 90 },
      ],
    },
    'gemm-1024-nt': { ours1: [10, 10, 10] },
    'gemm-1024-nn': { ours1: [20, 5, 10] },
    // 784-1024-1024-10 training: 9,564,160 FLOP per example; 1,000 ex/s is 9.56416 GFLOP/s.
    'train-dense-64': { ours1: [1000, 1000, 1000] },
  },
};
const text = roundsMarkdown(result, 'test machine.');
const row = (start: string) => text.split('\n').find((line) => line.startsWith(start));

describe('roundsMarkdown', () => {
  it('prints medians with min–max, and ratios round by round of our best and numpy best', () => {
    // ×2 ÷ ×1: 0.9, 1.5, 0.833 → median 0.90; ours best 100, 150, 120 ÷ numpy best 200, 100, 80
    // = 0.5, 1.5, 1.5 → median 1.50, min 0.50.
    expect(row('| 64 |')).toBe(
      '| 64 | 100 (100–120) | 100 (90–150) | 100 (60–200) | 80 (50–100) | 0.90× (0.83×–1.50×) | 1.50× (0.50×–1.50×) |',
    );
    expect(row('| 1 |')).toBe('| 1 | — | — | — | — | — | — |');
    expect(text).toContain('3 rounds');
    expect(text).toContain('numpy: /usr/bin/python3');
  });

  it('gives latency percentiles per round and their ratio to ours', () => {
    // p50 ratios 3, 2, 4 → median 3.00×.
    expect(row('| numpy |')).toBe(
      '| numpy | 30.0 (24.0–44.0) | 50.0 (40.0–90.0) | 3.00× (2.00×–4.00×) |',
    );
  });

  it('takes the peak as the best product of each round and divides the workload by it', () => {
    // Peak per round: 20, 10, 10; the workload's 9.56 GFLOP/s ÷ it = 0.48, 0.96, 0.96.
    expect(row('| peak |')).toMatch(/^\| peak \| 10\.0 \(10\.0–20\.0\) \| — /);
    expect(row('| 784-1024-1024-10 training, batch 64 |')).toMatch(
      /^\| 784-1024-1024-10 training, batch 64 \| 9\.6 \(9\.6–9\.6\) \| — \| 0\.96 \(0\.48–0\.96\) \| — /,
    );
  });

  it("lists the issue's targets with this run's ratios", () => {
    expect(row('| MNIST batch 64 training: ours best ÷ numpy best ≥ 1.0 |')).toBe(
      '| MNIST batch 64 training: ours best ÷ numpy best ≥ 1.0 | 1.50× (0.50×–1.50×) |',
    );
    expect(row('| two threads ÷ one at batch 64 ≥ 1.5 |')).toBe(
      '| two threads ÷ one at batch 64 ≥ 1.5 | 0.90× (0.83×–1.50×) |',
    );
    expect(row('| dense training, batch 64: GFLOP/s ÷ our peak, one thread ≥ 0.7 |')).toBe(
      '| dense training, batch 64: GFLOP/s ÷ our peak, one thread ≥ 0.7 | 0.96 (0.48–0.96) |',
    );
    expect(row('| inference: ours best ÷ tfjs-wasm ≥ 3 |')).toBe(
      '| inference: ours best ÷ tfjs-wasm ≥ 3 | — |',
    );
  });
});
