import type { ActivationName } from '../activations.js';
import type { Sequential } from '../model/sequential.js';
import type { DType } from '../tensor/matrix.js';
import { floatsToBase64 } from './base64.js';
import type { Preprocessing } from '../data/preprocess.js';

/** The `format` tag of every backprop model file. */
export const MODEL_FORMAT = 'backprop-model';
/** The model file version this library writes. */
export const MODEL_VERSION = 2;
/**
 * The versions this library reads: 1 (no class names or preprocessing) and 2. A file with any
 * other version is rejected rather than half understood.
 */
export const READABLE_VERSIONS = [1, 2] as const;

/** A Dropout before a Dense layer (it drops that layer's input while training). */
export interface DropoutJSON {
  type: 'Dropout';
  /** p, the probability of dropping each input, in [0, 1). */
  rate: number;
}

/** One Dense layer in a model file; weights [outputs, inputs] and bias [1, outputs], row-major. */
export interface DenseJSON {
  type: 'Dense';
  inputs: number;
  outputs: number;
  activation: ActivationName;
  /** base64 of the little-endian bytes of Wˡ's `data` (outputs·inputs values of the dtype). */
  weights: string;
  /** base64 of the little-endian bytes of bˡ's `data` (outputs values of the dtype). */
  bias: string;
}

/**
 * A model file's content, version 2. Version 1 is the same without `classNames`,
 * `preprocessing` and Dropout entries; both are read, version 2 is written.
 */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  dtype: DType;
  seed: number;
  /** Dense layers in order, each possibly preceded by the Dropout that drops its input. */
  layers: (DenseJSON | DropoutJSON)[];
  /** Names of the classes, one per output in output order (two for a single sigmoid output). */
  classNames?: string[];
  /**
   * How raw rows become the network's input (columns, encodings, scaling statistics fitted on
   * the training split) and what the outputs are; see data/preprocess.ts.
   */
  preprocessing?: Preprocessing;
  /** Free-form, JSON-serialisable notes, e.g. how the model was trained. */
  metadata: Record<string, unknown>;
}

/**
 * The model file content of a model (what `model.toJSON()` and `modelToJSON` return). Imports
 * Sequential as a type only, so model/sequential.ts can import this module without a cycle.
 * The generator's state is not stored (a loaded model starts again from its seed).
 * @param metadata - notes stored under `metadata`; default the model's own `metadata`
 * @throws never
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
    layers: model.layers.flatMap((layer, i): ModelJSON['layers'] => {
      const dense: DenseJSON = {
        type: 'Dense',
        inputs: layer.inputs,
        outputs: layer.outputs,
        activation: layer.activation.name,
        weights: floatsToBase64(layer.weights.data),
        bias: floatsToBase64(layer.bias.data),
      };
      const dropout = model.dropouts[i];
      return dropout === undefined ? [dense] : [{ type: 'Dropout', rate: dropout.rate }, dense];
    }),
    metadata,
  };
  if (model.classNames !== undefined) json.classNames = [...model.classNames];
  if (model.preprocessing !== undefined) json.preprocessing = structuredClone(model.preprocessing);
  return json;
}
