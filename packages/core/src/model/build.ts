import { ConfigError } from '../errors.js';
import { Layer, type LayerContext } from '../layers/layer.js';

/**
 * Builds each layer in order for the width of the one before it (a built layer keeps its
 * parameters) and returns n⁰, the input width.
 * @param inputs - n⁰ when the first layer does not fix it (only Dense does)
 * @throws {ConfigError} when there are no layers, an entry is not a Layer, the input width is
 *   unknown or disagrees with the first layer's, or a layer's inputs differ from the previous
 *   layer's outputs (names both layers, by 1-based position, and both sizes).
 */
export function buildLayers(
  layers: readonly Layer[],
  context: LayerContext,
  inputs: number | undefined,
): number {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new ConfigError('a Sequential model needs at least one layer; received none');
  }
  layers.forEach((layer: unknown, k) => {
    if (!(layer instanceof Layer)) {
      throw new ConfigError(
        `layer ${k + 1} must be a Layer (Dense, Dropout, BatchNormalization, …); received ` +
          describe(layer),
      );
    }
  });
  if (new Set(layers).size !== layers.length) {
    const k = layers.findIndex((layer, i) => layers.indexOf(layer) !== i);
    throw new ConfigError(
      `layer ${k + 1} ${layers[k]} appears twice in the list; a model holds each layer once ` +
        '(build a new layer for a second copy)',
    );
  }
  const first = layers[0]!;
  const declared = first.expectedInputs;
  if (inputs !== undefined && (!Number.isInteger(inputs) || inputs < 1)) {
    throw new ConfigError(`inputs must be a positive integer; received ${String(inputs)}`);
  }
  if (inputs !== undefined && declared !== undefined && inputs !== declared) {
    throw new ConfigError(`inputs is ${inputs}, but layer 1 ${first} takes ${declared} inputs`);
  }
  const n0 = inputs ?? declared;
  if (n0 === undefined) {
    throw new ConfigError(
      `layer 1 ${first} does not fix the input width; give the model's inputs, e.g. ` +
        `new Sequential(layers, { inputs: 4 })`,
    );
  }
  let width = n0;
  layers.forEach((layer, k) => {
    const expected = layer.expectedInputs;
    if (k > 0 && expected !== undefined && expected !== width) {
      throw new ConfigError(
        `layer ${k + 1} ${layer} takes ${expected} inputs, but layer ${k} ${layers[k - 1]} ` +
          `gives ${width} outputs`,
      );
    }
    width = layer.build(width, context);
  });
  return n0;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'an object';
}
