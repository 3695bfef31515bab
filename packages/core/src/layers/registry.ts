import { ACTIVATION_NAMES, getActivation, type ActivationSpec } from '../activations.js';
import { BackpropError } from '../errors.js';
import { describe } from '../io/describe.js';
import {
  booleanAt,
  expectedAt,
  failAt,
  integerAt,
  numberAt,
  type FieldPath,
} from '../io/fields.js';
import { ActivationLayer } from './activation.js';
import { BatchNormalization } from './batch-normalization.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { GaussianNoise } from './gaussian-noise.js';
import type { Layer } from './layer.js';
import { LayerNormalization } from './layer-normalization.js';

/** How one layer type is read from a model file entry. */
export interface LayerFormat {
  /** The layer's config fields, checked; e.g. Dense's inputs, outputs, activation. */
  read(entry: Record<string, unknown>, path: FieldPath): Layer;
}

/** An activation given by name or as `{ name, …options }`. @throws {ModelFileError} */
function activationAt(value: unknown, path: FieldPath) {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) {
    return expectedAt(path, `one of ${ACTIVATION_NAMES.join(', ')}`, value);
  }
  try {
    return getActivation(value as ActivationSpec);
  } catch (error) {
    if (typeof value === 'string' || !(error instanceof BackpropError)) {
      return failAt(
        path,
        `expected one of ${ACTIVATION_NAMES.join(', ')}, found ${describe(value)}`,
      );
    }
    return failAt(path, error.message);
  }
}

/** `{ …, trainable: false }` freezes a layer; absent means trainable. */
function withTrainable(layer: Layer, entry: Record<string, unknown>, path: FieldPath): Layer {
  if (entry['trainable'] !== undefined) {
    layer.trainable = booleanAt(entry['trainable'], [...path, 'trainable']);
  }
  return layer;
}

/** Every layer type a model file may hold, by its `type`. */
export const LAYER_FORMATS: Readonly<Record<string, LayerFormat>> = {
  Dense: {
    read: (entry, path) =>
      withTrainable(
        new Dense(
          integerAt(entry['inputs'], [...path, 'inputs'], 1),
          integerAt(entry['outputs'], [...path, 'outputs'], 1),
          { activation: activationAt(entry['activation'], [...path, 'activation']) },
        ),
        entry,
        path,
      ),
  },
  Dropout: {
    read: (entry, path) => new Dropout(numberAt(entry['rate'], [...path, 'rate'], 0, 1)),
  },
  GaussianNoise: {
    read: (entry, path) => new GaussianNoise(numberAt(entry['stddev'], [...path, 'stddev'], 0)),
  },
  Activation: {
    read: (entry, path) =>
      new ActivationLayer(activationAt(entry['activation'], [...path, 'activation'])),
  },
  BatchNormalization: {
    read: (entry, path) =>
      withTrainable(
        new BatchNormalization({
          momentum: numberAt(entry['momentum'], [...path, 'momentum'], 0, 1),
          epsilon: positiveAt(entry['epsilon'], [...path, 'epsilon']),
        }),
        entry,
        path,
      ),
  },
  LayerNormalization: {
    read: (entry, path) =>
      withTrainable(
        new LayerNormalization({ epsilon: positiveAt(entry['epsilon'], [...path, 'epsilon']) }),
        entry,
        path,
      ),
  },
};

/** The layer types a model file may hold, for messages. */
export const LAYER_TYPES = Object.keys(LAYER_FORMATS);

function positiveAt(value: unknown, path: FieldPath): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return expectedAt(path, 'a finite number > 0', value);
  }
  return value;
}
