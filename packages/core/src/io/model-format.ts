import { ConfigError } from '../errors.js';
import type { Sequential } from '../model/sequential.js';
import type { DType } from '../tensor/matrix.js';
import { floatsToBase64 } from './base64.js';
import type { Preprocessing } from '../data/preprocess.js';

/** The `format` tag of every backprop model file. */
export const MODEL_FORMAT = 'backprop-model';
/** The model file version this library writes. */
export const MODEL_VERSION = 3;
/**
 * The versions this library reads: 1 (no class names or preprocessing), 2 (Dense layers, each
 * possibly preceded by a Dropout) and 3 (any layers). A file with any other version is rejected
 * rather than half understood.
 */
export const READABLE_VERSIONS = [1, 2, 3] as const;

/**
 * One layer in a model file (version 3): its type, its config (the constructor's options, e.g.
 * Dense's inputs, outputs and activation; Dropout's rate; BatchNormalization's momentum and
 * epsilon), `trainable: false` for a frozen layer, and each parameter by name as base64 of its
 * little-endian bytes (row-major; Dense's `weights` [outputs, inputs] and `bias` [1, outputs],
 * BatchNormalization's `gamma`, `beta`, `movingMean`, `movingVariance` [1, n]). Versions 1 and 2
 * wrote Dense and Dropout entries of this same form.
 */
export interface ModelLayerJSON {
  type: string;
  trainable?: false;
  [field: string]: unknown;
}

/** A Dense layer's entry; weights [outputs, inputs] and bias [1, outputs], row-major. */
export interface DenseJSON extends ModelLayerJSON {
  type: 'Dense';
  inputs: number;
  outputs: number;
  activation: string | Record<string, unknown>;
  /** base64 of the little-endian bytes of Wˡ's `data` (outputs·inputs values of the dtype). */
  weights: string;
  /** base64 of the little-endian bytes of bˡ's `data` (outputs values of the dtype). */
  bias: string;
}

/**
 * How a model was last trained by `fit` (Keras's `training_config`): the loss, the optimizer
 * with its settings, and the metrics. `evaluate` without a loss uses this loss.
 */
export interface TrainingConfig {
  /** The loss's name, or its config with options (e.g. `{ name: 'huber', delta: 2 }`). */
  loss: string | Record<string, unknown>;
  /** The optimizer's class and hyperparameters, e.g. `{ className: 'Adam', config: {…} }`. */
  optimizer: { className: string; config: Record<string, number | boolean> };
  /** The metrics tracked, e.g. ['accuracy']. */
  metrics: string[];
}

/** A model file's content, version 3. */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  dtype: DType;
  seed: number;
  /** n⁰, the input width (version 3; earlier versions take it from the first Dense layer). */
  inputs: number;
  /** Every layer in order. */
  layers: ModelLayerJSON[];
  /** Names of the classes, one per output in output order (two for a single sigmoid output). */
  classNames?: string[];
  /**
   * How raw rows become the network's input (columns, encodings, scaling statistics fitted on
   * the training split) and what the outputs are; see data/preprocess.ts.
   */
  preprocessing?: Preprocessing;
  /** How the model was last trained by `fit`, when it was. */
  training?: TrainingConfig;
  /** Free-form, JSON-serialisable notes, e.g. how the model was trained. */
  metadata: Record<string, unknown>;
}

/**
 * The model file content of a model (what `model.toJSON()` and `modelToJSON` return). Imports
 * Sequential as a type only, so model/sequential.ts can import this module without a cycle.
 * The generator's state is not stored (a loaded model starts again from its seed).
 * @param metadata - notes stored under `metadata`; default the model's own `metadata`
 * @throws {ConfigError} for a layer with a custom activation (JavaScript functions)
 */
export function encodeModel(
  model: Sequential,
  metadata: Record<string, unknown> = model.metadata,
): ModelJSON {
  const json: ModelJSON = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    dtype: model.dtype,
    seed: model.seed,
    inputs: model.inputs,
    layers: model.layers.map((layer, k) => {
      const custom = (layer as { activation?: { custom?: boolean; name: string } }).activation;
      if (custom?.custom === true) {
        throw new ConfigError(
          `layer ${k + 1} ${layer}: the custom activation "${custom.name}" (JavaScript functions) ` +
            'cannot be saved in a model file; help: use a built-in activation to save the model',
        );
      }
      const entry: ModelLayerJSON = { type: layer.className, ...layer.getConfig() };
      if (!layer.trainable) entry.trainable = false;
      for (const { name, value } of layer.parameters()) entry[name] = floatsToBase64(value.data);
      return entry;
    }),
    metadata,
  };
  if (model.classNames !== undefined) json.classNames = [...model.classNames];
  if (model.preprocessing !== undefined) json.preprocessing = structuredClone(model.preprocessing);
  if (model.trainingConfig !== undefined) json.training = structuredClone(model.trainingConfig);
  return json;
}
