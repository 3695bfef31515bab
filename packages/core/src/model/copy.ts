import type { Backend } from '../backend/backend.js';
import { jsBackend } from '../backend/js.js';
import { LAYER_FORMATS } from '../layers/registry.js';
import type { DType } from '../tensor/matrix.js';
import { Sequential } from './sequential.js';

/**
 * A copy of a model with new layers of the same configuration and the same parameter values
 * (widened exactly to float64, or rounded to float32), computed with the given dtype and
 * backend: e.g. a float64 copy on the TypeScript kernels, whose central differences are
 * accurate to about 1e-10 where float32 ones give 1e-3. The copy shares nothing with the model.
 * @throws {ConfigError} for a layer type a model file cannot hold (a custom layer)
 */
export function copyModel(
  model: Sequential,
  dtype: DType = 'float64',
  backend: Backend = jsBackend,
): Sequential {
  const layers = model.layers.map((layer, k) => {
    const copy = LAYER_FORMATS[layer.className]!.read(
      { type: layer.className, ...layer.getConfig() },
      ['layers', k],
    );
    copy.trainable = layer.trainable;
    return copy;
  });
  const copy = new Sequential(layers, { dtype, backend, seed: model.seed, inputs: model.inputs });
  const from = model.namedParameters();
  copy.namedParameters().forEach(({ value }, i) => {
    const source = from[i]!.value.data;
    const target = value.data;
    for (let k = 0; k < target.length; k++) target[k] = source[k]!;
  });
  return copy;
}
