import { totalmem } from 'node:os';
import { ConfigError, type DType, type OptimizerName } from './api.js';

/** The most elements a typed array may hold in Node.js 20 (V8): 2³². */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/**
 * The state buffers each optimizer keeps per parameter (an upper bound: rmsprop keeps its
 * momentum buffer only with momentum > 0).
 */
export const OPTIMIZER_SLOTS: Readonly<Record<OptimizerName, number>> = {
  sgd: 0,
  momentum: 1,
  nesterov: 1,
  adagrad: 1,
  rmsprop: 2,
  adam: 2,
  adamw: 2,
};

/** What the memory of a training run depends on. */
export interface TrainingShape {
  /** Layer sizes n⁰,…,nᴸ. */
  layers: readonly number[];
  dtype: DType;
  /** Examples per batch; the batch buffers hold the next power of two of rows. */
  batchSize: number;
  /** State buffers the optimizer keeps per parameter: 0 for SGD, 1 for momentum, 2 for Adam. */
  optimizerSlots: number;
  /** Whether a Dropout layer follows every hidden layer. */
  dropout: boolean;
}

/** The estimate of {@link estimateTrainingMemory}. */
export interface MemoryEstimate {
  /** Trainable parameters P = Σₗ nˡ·(nˡ⁻¹ + 1). */
  parameters: number;
  /** The largest single tensor, in elements: max over l of nˡ·nˡ⁻¹ (a weight matrix). */
  largestTensor: number;
  /** Bytes for parameters, gradients, optimizer slots and batch buffers. */
  bytes: number;
}

/**
 * Estimates the memory a training run needs before anything is allocated (issue 15, item 7):
 * bytes = s · (P · (2 + k) + R · (3 Σₗ nˡ + 4 Σ_hidden nˡ [dropout])), with s the element
 * size (4 for float32, 8 for float64), P the parameters (weights Wˡ [nˡ, nˡ⁻¹] and biases
 * bˡ [1, nˡ]), their gradients, k optimizer slots, and R = 2^⌈log₂ batchSize⌉ rows of batch
 * buffers: activations aˡ, pre-activations zˡ and errors δˡ per layer (a dropout layer adds its
 * output, mask, and their two buffers). Typed-array headers and the data itself are not counted.
 * @returns the parameter count, the largest tensor (elements) and the bytes
 * @throws never
 */
export function estimateTrainingMemory(shape: TrainingShape): MemoryEstimate {
  const { layers } = shape;
  let parameters = 0;
  let largestTensor = 0;
  for (let l = 1; l < layers.length; l++) {
    const weights = layers[l]! * layers[l - 1]!;
    parameters += weights + layers[l]!;
    largestTensor = Math.max(largestTensor, weights);
  }
  const rows = 2 ** Math.ceil(Math.log2(Math.max(1, shape.batchSize)));
  const units = layers.reduce((sum, n) => sum + n, 0);
  const hidden = units - layers[0]! - layers.at(-1)!;
  const buffers = rows * (3 * units + (shape.dropout ? 4 * hidden : 0));
  const size = shape.dtype === 'float64' ? 8 : 4;
  return {
    parameters,
    largestTensor,
    bytes: size * (parameters * (2 + shape.optimizerSlots) + buffers),
  };
}

/**
 * Refuses a run whose model cannot be allocated, before allocating it: a weight matrix longer
 * than a typed array may be, or an estimate (see {@link estimateTrainingMemory}) above the
 * machine's memory.
 * @param available - bytes the run may use; the machine's total memory by default
 * @throws {ConfigError} naming --layers, the figure in MiB/GiB, the limit and a hint, e.g.
 *   `--layers 784,100000000,10 needs about 584.1 GiB to train (float32); this machine has 23.5 GiB; help: …`
 */
export function checkTrainingMemory(shape: TrainingShape, available = totalmem()): void {
  const estimate = estimateTrainingMemory(shape);
  const needs =
    `--layers ${shape.layers.join(',')} needs about ${formatBytes(estimate.bytes)} to train ` +
    `(${shape.dtype}, ${count(estimate.parameters)} parameters, batches of ${shape.batchSize})`;
  const help = 'help: use smaller hidden layers (or fewer of them)';
  if (estimate.bytes > available) {
    throw new ConfigError(`${needs}; this machine has ${formatBytes(available)}; ${help}`);
  }
  if (estimate.largestTensor > MAX_TYPED_ARRAY_LENGTH) {
    throw new ConfigError(
      `${needs}; its largest weight matrix has ${count(estimate.largestTensor)} elements, more ` +
        `than one array holds (${count(MAX_TYPED_ARRAY_LENGTH)}); ${help}`,
    );
  }
}

/**
 * Bytes as people read them, in binary units: '512 B', '12.0 MiB', '584.1 GiB'.
 * @throws never
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const counter = new Intl.NumberFormat('en-US');

function count(value: number): string {
  return counter.format(value);
}
