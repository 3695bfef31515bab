import type { ActivationSpec } from '../activations.js';
import { ModelFileError } from '../errors.js';
import { Dense } from '../layers/dense.js';
import { Sequential, type SequentialOptions } from '../model/sequential.js';
import { describe } from './describe.js';

/** brain.js's activations (`trainOpts.activation`) and ours. */
const ACTIVATIONS: Readonly<Record<string, (alpha: number) => ActivationSpec>> = {
  sigmoid: () => 'sigmoid',
  relu: () => 'relu',
  tanh: () => 'tanh',
  'leaky-relu': (alpha) => ({ name: 'leakyRelu', slope: alpha }),
};

/**
 * Rebuilds a model from the JSON of a trained brain.js `NeuralNetwork` (`net.toJSON()`,
 * brain.js 2.x). brain.js's layout: `sizes` [n⁰, …, nᴸ]; `layers[0]` is the input (empty);
 * `layers[l].weights[j][k]` connects input k to node j of layer l — our Wˡ[j][k] as is — and
 * `layers[l].biases[j]` is bˡⱼ. Every layer, the output layer included, applies
 * `trainOpts.activation`: sigmoid 1/(1 + e^(−z)), relu max(0, z), tanh, or leaky-relu
 * max(z, α·z) with α = `trainOpts.leakyReluAlpha` (default 0.01), which is our leakyRelu with
 * slope α for 0 ≤ α ≤ 1. The model is float32 (brain.js stores Float32Array); `outputLookup`
 * keys become the class names. It predicts what `net.run()` returns, to float32 rounding (brain.js
 * adds the bias first, we last).
 * @param json - the parsed `toJSON()` output
 * @param file - the file's name, for messages
 * @throws {ModelFileError} naming the file and the field: not a NeuralNetwork, sizes, a weight
 *   row of the wrong length, a non-finite weight, an unknown activation, an `inputLookup`
 *   (object inputs have no equivalent)
 */
export function fromBrainJs(
  json: unknown,
  file: string,
  options: Pick<SequentialOptions, 'backend'> = {},
): Sequential {
  const fail = (message: string): never => {
    throw new ModelFileError(`${file}: ${message}`);
  };
  const net = json as Record<string, unknown>;
  if (net?.['type'] !== 'NeuralNetwork')
    fail(`type: expected "NeuralNetwork", found ${describe(net?.['type'])}`);
  const sizes = net['sizes'];
  if (
    !Array.isArray(sizes) ||
    sizes.length < 2 ||
    !sizes.every((n) => Number.isSafeInteger(n) && n > 0)
  ) {
    return fail(`sizes: expected at least two positive integers, found ${describe(sizes)}`);
  }
  if (net['inputLookup'] != null) {
    fail(
      'inputLookup: object inputs are not supported; help: train the brain.js network on arrays',
    );
  }
  const trainOpts = (net['trainOpts'] ?? {}) as Record<string, unknown>;
  const name = trainOpts['activation'] ?? 'sigmoid';
  const alpha = trainOpts['leakyReluAlpha'] ?? 0.01;
  if (typeof name !== 'string' || !Object.hasOwn(ACTIVATIONS, name)) {
    return fail(
      `trainOpts.activation: expected one of ${Object.keys(ACTIVATIONS).join(', ')}, found ${describe(name)}`,
    );
  }
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    return fail(`trainOpts.leakyReluAlpha: expected a number in [0, 1], found ${describe(alpha)}`);
  }
  const activation = ACTIVATIONS[name]!(alpha);
  const layers = net['layers'];
  if (!Array.isArray(layers) || layers.length !== sizes.length) {
    return fail(
      `layers: expected ${sizes.length} layers (one per size), found ${describe(layers)}`,
    );
  }
  // Every weight and bias is checked against `sizes` before the model is built, so a file
  // claiming huge sizes fails on its own data instead of allocating for them.
  const values = sizes.slice(1).map((units: number, i) => {
    const l = i + 1;
    const inputs = sizes[i] as number;
    const entry = layers[l] as Record<string, unknown> | undefined;
    const rows = entry?.['weights'];
    if (!Array.isArray(rows) || rows.length !== units) {
      return fail(`layers[${l}].weights: expected ${units} rows, found ${describe(rows)}`);
    }
    return {
      weights: rows.map((row, j) => numbers(row, inputs, `layers[${l}].weights[${j}]`, fail)),
      biases: numbers(entry?.['biases'], units, `layers[${l}].biases`, fail),
    };
  });
  const dense = sizes
    .slice(1)
    .map((n: number, l) => new Dense(sizes[l] as number, n, { activation }));
  const model = new Sequential(dense, { dtype: 'float32', backend: options.backend });
  dense.forEach((layer, i) => {
    values[i]!.weights.forEach((row, j) => layer.weights.data.set(row, j * layer.inputs));
    layer.bias.data.set(values[i]!.biases);
  });
  const outputs = net['outputLookup'];
  if (outputs != null && typeof outputs === 'object') {
    const names = Object.entries(outputs as Record<string, number>).sort((a, b) => a[1] - b[1]);
    // One output is the probability of its one name: our class names for a single sigmoid
    // output are [negative, positive], so the other class is named after it.
    if (names.length === 1 && model.outputs === 1) {
      const name = names[0]![0];
      model.classNames = [`not ${name}`, name];
    } else if (names.length === model.outputs && model.outputs > 1) {
      model.classNames = names.map(([key]) => key);
    }
  }
  return model;
}

/** An array (or brain.js's `{ "0": …, "1": … }` form of a typed array) of n finite numbers. */
function numbers(
  value: unknown,
  n: number,
  at: string,
  fail: (message: string) => never,
): number[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.values(value)
      : undefined;
  if (list === undefined || list.length !== n)
    return fail(`${at}: expected ${n} numbers, found ${describe(value)}`);
  for (const x of list)
    if (typeof x !== 'number' || !Number.isFinite(x))
      fail(`${at}: expected finite numbers, found ${describe(x)}`);
  return list as number[];
}
