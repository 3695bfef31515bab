import type { ActivationSpec } from '../../activations.js';
import { BackpropError, ModelFileError } from '../../errors.js';
import { ActivationLayer } from '../../layers/activation.js';
import { BatchNormalization } from '../../layers/batch-normalization.js';
import { Dense } from '../../layers/dense.js';
import { Dropout } from '../../layers/dropout.js';
import { GaussianNoise } from '../../layers/gaussian-noise.js';
import type { Layer } from '../../layers/layer.js';
import { LayerNormalization } from '../../layers/layer-normalization.js';
import { Sequential, type SequentialOptions } from '../../model/sequential.js';
import type { Preprocessing } from '../../data/preprocess.js';
import { describe } from '../describe.js';
import { FROM_TFJS } from './activations.js';
import { readWeights, setParameters, type Weight } from './weights.js';

/** The layer classes {@link fromTfjs} reads. */
export const TFJS_LAYERS = [
  'Dense',
  'Dropout',
  'Activation',
  'LeakyReLU',
  'ELU',
  'ReLU',
  'Softmax',
  'BatchNormalization',
  'LayerNormalization',
  'GaussianNoise',
  'InputLayer',
] as const;

type Fail = (message: string) => never;
type Json = Record<string, unknown>;

/**
 * The shard paths a tfjs model.json lists, in order (relative to model.json's directory).
 * @throws {ModelFileError} naming the file when `weightsManifest` is not an array of
 *   `{ paths: string[], weights: [...] }`
 */
export function tfjsShardPaths(modelJson: unknown, file: string): string[] {
  const manifest = (modelJson as Json)['weightsManifest'];
  const ok =
    Array.isArray(manifest) &&
    manifest.every(
      (g: Json) =>
        typeof g === 'object' &&
        g !== null &&
        Array.isArray(g['paths']) &&
        (g['paths'] as unknown[]).every(
          (p) => typeof p === 'string' && !/(^|[\\/])\.\.([\\/]|$)/.test(p),
        ) &&
        Array.isArray(g['weights']),
    );
  if (!ok) {
    throw new ModelFileError(
      `${file}: weightsManifest: expected an array of { paths, weights } with relative paths, found ${describe(manifest)}`,
    );
  }
  return (manifest as { paths: string[] }[]).flatMap((g) => g.paths);
}

/**
 * Rebuilds a model from a TensorFlow.js layers model (model.json and its weight shards):
 * a `Sequential` of Dense (any activation we have), Dropout, Activation, LeakyReLU, ELU, ReLU,
 * Softmax, BatchNormalization, LayerNormalization and GaussianNoise layers, float32 weights.
 * The Dense kernel, stored [inputs, units], becomes our Wˡ [units, inputs]. The result is a
 * float32 model; it predicts what tfjs predicts (to float32 rounding of the sums' order).
 * @param modelJson - model.json's parsed content
 * @param shards - each path of the manifest → its bytes
 * @param file - model.json's path, for messages
 * @throws {ModelFileError} naming the file, the layer and what is unsupported or wrong (a
 *   layer class, an activation, an option such as `use_bias`-less kernels of another shape, a
 *   missing weight, a shard too short, a dtype other than float32)
 */
export function fromTfjs(
  modelJson: unknown,
  shards: ReadonlyMap<string, Uint8Array>,
  file: string,
  options: Pick<SequentialOptions, 'backend'> = {},
): Sequential {
  const fail: Fail = (message) => {
    throw new ModelFileError(`${file}: ${message}`);
  };
  const root = modelJson as Json;
  const topology = (root['modelTopology'] ?? fail('expected modelTopology, found none')) as Json;
  const modelConfig = (topology['model_config'] ?? topology) as Json;
  if (modelConfig['class_name'] !== 'Sequential') {
    fail(
      `modelTopology: expected a Sequential model, found ${describe(modelConfig['class_name'])}`,
    );
  }
  const config = modelConfig['config'] as Json | unknown[];
  const entries = (Array.isArray(config) ? config : (config?.['layers'] as unknown)) as Json[];
  if (!Array.isArray(entries) || entries.length === 0)
    fail('modelTopology: expected a non-empty layers array');
  const weights = readWeights(root, shards, fail);
  let width: number | undefined;
  let inputs: number | undefined;
  const layers: Layer[] = [];
  const values: [Layer, Map<string, Weight>][] = [];
  entries.forEach((entry, k) => {
    const className = String(entry?.['class_name']);
    const layerConfig = (entry?.['config'] ?? {}) as Json;
    const name = String(layerConfig['name'] ?? className);
    const where = `layer ${k + 1} "${name}" (${className})`;
    const shape = (layerConfig['batch_input_shape'] ?? layerConfig['batch_shape']) as unknown;
    if (Array.isArray(shape)) {
      if (shape.length !== 2 || typeof shape[1] !== 'number')
        fail(`${where}: expected an input shape [null, n], found ${describe(shape)}`);
      width ??= shape[1] as number;
      inputs ??= width;
    }
    const own = new Map<string, Weight>();
    for (const [weightName, data] of weights) {
      if (weightName.startsWith(`${name}/`)) own.set(weightName.slice(name.length + 1), data);
    }
    const made = wrap(where, () => makeLayer(className, layerConfig, width, where, fail));
    if (made === undefined) return;
    if (made.className === 'Dense') width = (made as Dense).outputs;
    layers.push(made);
    values.push([made, own]);
  });
  if (inputs === undefined) return fail('no layer gives the input shape (batch_input_shape)');
  const metadata = ((root['userDefinedMetadata'] as Json | undefined)?.['backprop'] ?? {}) as Json;
  const model = wrap(
    'modelTopology',
    () =>
      new Sequential(layers, {
        dtype: 'float32',
        backend: options.backend,
        inputs,
      }),
  );
  for (const [layer, own] of values) setParameters(layer, own, fail);
  if (metadata['classNames'] !== undefined) model.classNames = metadata['classNames'] as string[];
  if (metadata['preprocessing'] !== undefined)
    model.preprocessing = metadata['preprocessing'] as Preprocessing;
  return model;

  function wrap<T>(where: string, make: () => T): T {
    try {
      return make();
    } catch (error) {
      if (error instanceof ModelFileError || !(error instanceof BackpropError)) throw error;
      return fail(`${where}: ${error.message}`);
    }
  }
}

/** Our layer for one tfjs layer (undefined for an InputLayer). */
function makeLayer(
  className: string,
  c: Json,
  width: number | undefined,
  where: string,
  fail: Fail,
): Layer | undefined {
  const activation = (value: unknown): ActivationSpec => {
    const id =
      typeof value === 'object' && value !== null
        ? (value as Json)['class_name']
        : (value ?? 'linear');
    const ours = typeof id === 'string' ? FROM_TFJS[id] : undefined;
    return (
      ours ??
      fail(
        `${where}: activation ${describe(id)} is not supported; backprop reads ${Object.keys(FROM_TFJS).join(', ')}`,
      )
    );
  };
  const axis = () => {
    const a = c['axis'];
    if (!(
      a === -1 ||
      a === 1 ||
      (Array.isArray(a) && a.length === 1 && (a[0] === -1 || a[0] === 1))
    )) {
      fail(`${where}: axis: expected -1 (the features), found ${describe(a)}`);
    }
  };
  switch (className) {
    case 'InputLayer':
      return undefined;
    case 'Dense': {
      if (width === undefined)
        return fail(`${where}: the input width is unknown (no batch_input_shape before it)`);
      return new Dense(width, c['units'] as number, { activation: activation(c['activation']) });
    }
    case 'Dropout':
      return new Dropout(c['rate'] as number);
    case 'GaussianNoise':
      return new GaussianNoise(c['stddev'] as number);
    case 'Activation':
      return new ActivationLayer(activation(c['activation']));
    case 'Softmax':
      return new ActivationLayer('softmax');
    case 'LeakyReLU':
      return new ActivationLayer({
        name: 'leakyRelu',
        slope: (c['alpha'] as number | undefined) ?? 0.3,
      });
    case 'ELU':
      return new ActivationLayer({ name: 'elu', alpha: (c['alpha'] as number | undefined) ?? 1 });
    case 'ReLU':
      if (c['maxValue'] != null || c['max_value'] != null)
        fail(`${where}: max_value is not supported (relu6)`);
      return new ActivationLayer('relu');
    case 'BatchNormalization':
      axis();
      return new BatchNormalization({
        momentum: c['momentum'] as number,
        epsilon: c['epsilon'] as number,
      });
    case 'LayerNormalization':
      axis();
      return new LayerNormalization({ epsilon: c['epsilon'] as number });
    default:
      return fail(`${where}: not supported; backprop reads ${TFJS_LAYERS.join(', ')}`);
  }
}
