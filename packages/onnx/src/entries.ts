import type { ActivationConfig } from '@backpropjs/core';
import { ActivationLayer } from '@backpropjs/core';
import { BatchNormalization } from '@backpropjs/core';
import { Dense } from '@backpropjs/core';
import type { Layer } from '@backpropjs/core';
import { LayerNormalization } from '@backpropjs/core';
import type { Linear } from './affine.js';

/** A Dense layer being imported: W [outputs, inputs] and b in float64 until the model is built. */
export interface DenseEntry extends Linear {
  readonly kind: 'Dense';
  /** Undefined while element-wise arithmetic may still fold into W and b. */
  activation?: ActivationConfig;
}

/**
 * A BatchNormalization (with its moving statistics) or LayerNormalization being imported:
 * y = γ ⊙ x̂ + β per feature, γ and β kept as {@link Linear}'s W [outputs, 1] and b so that
 * arithmetic after it folds in exactly; inputs 1, outputs the width.
 */
export interface NormalizationEntry extends Linear {
  readonly kind: 'BatchNormalization' | 'LayerNormalization';
  /** The width n (input and output). */
  readonly width: number;
  /** ε > 0, added to the variance. */
  readonly epsilon: number;
  /** BatchNormalization's moving mean and variance [n] and momentum; absent for LayerNormalization. */
  readonly moving?: {
    readonly mean: Float64Array;
    readonly variance: Float64Array;
    readonly momentum: number;
  };
}

/** An activation after a layer that has none of its own (e.g. after a normalisation). */
export interface ActivationEntry {
  readonly kind: 'Activation';
  readonly width: number;
  readonly activation: ActivationConfig;
}

/** A layer read from an ONNX graph, before the model is built. */
export type Entry = DenseEntry | NormalizationEntry | ActivationEntry;

/** An entry's input width n⁰ (for the model's first layer). */
export function entryInputs(entry: Entry): number {
  return entry.kind === 'Dense' ? entry.inputs : entry.width;
}

/** An entry's output width. */
export function entryOutputs(entry: Entry): number {
  return entry.kind === 'Dense' ? entry.outputs : entry.width;
}

/** The layer an entry stands for, not yet built (a Dense without activation is linear). */
export function entryLayer(entry: Entry): Layer {
  switch (entry.kind) {
    case 'Dense':
      return new Dense(entry.inputs, entry.outputs, { activation: entry.activation ?? 'linear' });
    case 'Activation':
      return new ActivationLayer(entry.activation);
    case 'BatchNormalization':
      return new BatchNormalization({ epsilon: entry.epsilon, momentum: entry.moving?.momentum });
    case 'LayerNormalization':
      return new LayerNormalization({ epsilon: entry.epsilon });
  }
}

/**
 * Copies an entry's parameters into its built layer (rounded to the model's dtype): Dense's
 * weights and bias; a normalisation's gamma, beta and moving statistics.
 */
export function copyParameters(entry: Entry, layer: Layer): void {
  if (entry.kind === 'Activation') return;
  const values: Record<string, Float64Array | undefined> = {
    weights: entry.weights,
    bias: entry.bias,
    gamma: entry.weights,
    beta: entry.bias,
    movingMean: entry.kind === 'Dense' ? undefined : entry.moving?.mean,
    movingVariance: entry.kind === 'Dense' ? undefined : entry.moving?.variance,
  };
  for (const { name, value } of layer.parameters()) value.data.set(values[name]!);
}

/** The name of a layer's activation, once it has one (undefined for a normalisation). */
export function activationName(layer: Entry): string | undefined {
  if (layer.kind !== 'Dense' && layer.kind !== 'Activation') return undefined;
  const { activation } = layer;
  return typeof activation === 'object' ? activation.name : activation;
}
