import { describe, expect, it } from 'vitest';
import {
  checkTrainingMemory,
  estimateTrainingMemory,
  formatBytes,
} from '../src/memory-estimate.js';
import { ConfigError } from '../../core/src/errors.js';
import { inProcess } from './in-process.js';

// Issue 15, item 7: a huge --layers is refused with the figure before anything is allocated.

describe('estimateTrainingMemory', () => {
  it('counts parameters, gradients, optimizer slots and power-of-two batch buffers (hand-computed)', () => {
    // 2-3-1: P = 3·2 + 3 + 1·3 + 1 = 13; 4 rows (batch 3) × 3 buffers × (2 + 3 + 1) units = 72;
    // float32, SGD: 4 · (13 · 2 + 72) = 392 bytes.
    expect(
      estimateTrainingMemory({
        layers: [2, 3, 1],
        dtype: 'float32',
        batchSize: 3,
        optimizerSlots: 0,
        dropout: false,
      }),
    ).toEqual({ parameters: 13, largestTensor: 6, bytes: 392 });
    // float64, Adam (2 slots), dropout on the 3 hidden units: 4 · (3 · 6 + 4 · 3) = 120 buffer
    // elements; 8 · (13 · 4 + 120) = 1376 bytes.
    expect(
      estimateTrainingMemory({
        layers: [2, 3, 1],
        dtype: 'float64',
        batchSize: 4,
        optimizerSlots: 2,
        dropout: true,
      }).bytes,
    ).toBe(1376);
  });

  it('formats bytes in binary units', () => {
    expect([512, 1536, 12 * 2 ** 20, 2 ** 40 * 1.25].map(formatBytes)).toEqual([
      '512 B',
      '1.5 KiB',
      '12.0 MiB',
      '1.3 TiB',
    ]);
  });

  it('refuses more than the machine has, and a weight matrix longer than an array holds', () => {
    const shape = {
      layers: [784, 100_000_000, 10],
      dtype: 'float32' as const,
      batchSize: 32,
      optimizerSlots: 0,
      dropout: false,
    };
    // P = 78,400,000,000 + 100,000,000 + 1,000,000,000 + 10; buffers 32 · 3 · 100,000,794;
    // 4 · (2P + buffers) = 674,400,304,976 bytes = 628.08 GiB.
    expect(() => checkTrainingMemory(shape, 16 * 2 ** 30)).toThrow(
      new ConfigError(
        '--layers 784,100000000,10 needs about 628.1 GiB to train (float32, 79,500,000,010 ' +
          'parameters, batches of 32); this machine has 16.0 GiB; help: use smaller hidden ' +
          'layers (or fewer of them)',
      ),
    );
    expect(() => checkTrainingMemory(shape, 2 ** 50)).toThrow(
      /; its largest weight matrix has 78,400,000,000 elements, more than one array holds \(4,294,967,296\); help: /,
    );
    expect(() => checkTrainingMemory({ ...shape, layers: [784, 128, 10] }, 2 ** 30)).not.toThrow();
  });

  it('backprop train refuses --backend js --layers 784,100000000,10 before training', async () => {
    for (const dtype of ['float32', 'float64']) {
      const run = await inProcess(
        'train',
        '--layers',
        '784,100000000,10',
        '--backend',
        'js',
        '--dtype',
        dtype,
        '--limit',
        '10',
        '--output',
        'never-written.json',
      );
      expect(run.error).toBeInstanceOf(ConfigError);
      expect(run.error!.message).toMatch(
        dtype === 'float32'
          ? /^--layers 784,100000000,10 needs about 628\.1 GiB to train \(float32, /
          : /^--layers 784,100000000,10 needs about 1\.2 TiB to train \(float64, /,
      );
      expect(run.stdout).toBe('');
    }
  });
});
