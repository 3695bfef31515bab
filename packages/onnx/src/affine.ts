import type { Scaling } from '@backpropjs/core';
import { ModelFileError } from '@backpropjs/core';

/**
 * What arithmetic folds into: z = Wx + b with W [outputs, inputs] and b [outputs] in float64
 * (a Dense layer being imported; or a normalisation's y = γ ⊙ x̂ + β as W = γ [outputs, 1]).
 */
export interface Linear {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** Relative tolerance when comparing constants read back from float32 tensors. */
const TOLERANCE = 1e-6;

/**
 * Element-wise arithmetic by constants on the data path, y = x·mul + add per feature, collected
 * node by node and folded into the neighbouring layer's W and b.
 */
export class Affine {
  readonly mul: Float64Array;
  readonly add: Float64Array;

  constructor(width: number) {
    this.mul = new Float64Array(width).fill(1);
    this.add = new Float64Array(width);
  }

  /**
   * Composes one more node: y ← y + c, y − c, y·c or y / c.
   * @throws {ModelFileError} for a division by 0 (names the node)
   */
  push(op: 'Add' | 'Sub' | 'Mul' | 'Div', c: Float64Array, label: string): void {
    for (let j = 0; j < c.length; j++) {
      if (op === 'Add') this.add[j]! += c[j]!;
      else if (op === 'Sub') this.add[j]! -= c[j]!;
      else {
        const factor = op === 'Mul' ? c[j]! : 1 / nonZero(c[j]!, label);
        this.mul[j]! *= factor;
        this.add[j]! *= factor;
      }
    }
  }

  /**
   * Folds one node into a layer's outputs z = Wx + b (a MatMul's bias Add, a batch norm).
   * @throws {ModelFileError} for a division by 0 (names the node)
   */
  static apply(
    layer: Linear,
    op: 'Add' | 'Sub' | 'Mul' | 'Div',
    c: Float64Array,
    label: string,
  ): void {
    const { inputs, weights, bias } = layer;
    for (let j = 0; j < layer.outputs; j++) {
      if (op === 'Add' || op === 'Sub') {
        bias[j]! += op === 'Add' ? c[j]! : -c[j]!;
        continue;
      }
      const factor = op === 'Mul' ? c[j]! : 1 / nonZero(c[j]!, label);
      bias[j]! *= factor;
      for (let k = 0; k < inputs; k++) weights[j * inputs + k]! *= factor;
    }
  }

  /** Folds into the layer after: W(x·mul + add) + b = (W·diag(mul))x + (b + W·add). */
  foldBefore(layer: Linear): void {
    const { inputs, weights, bias } = layer;
    for (let j = 0; j < layer.outputs; j++) {
      let shift = 0;
      for (let k = 0; k < inputs; k++) {
        shift += weights[j * inputs + k]! * this.add[k]!;
        weights[j * inputs + k]! *= this.mul[k]!;
      }
      bias[j]! += shift;
    }
  }

  /** Folds into a linear layer before: (Wx + b)·mul + add. */
  foldAfter(layer: Linear): void {
    const { inputs, weights, bias } = layer;
    for (let j = 0; j < layer.outputs; j++) {
      for (let k = 0; k < inputs; k++) weights[j * inputs + k]! *= this.mul[j]!;
      bias[j] = bias[j]! * this.mul[j]! + this.add[j]!;
    }
  }

  /**
   * True when this is a feature scaling x′ = (x − offset) / scale (to float32 precision), or
   * when both are absent or the identity.
   */
  static matchesScaling(affine: Affine | undefined, scaling: Scaling | undefined): boolean {
    const { offset, scale } = scaling ?? { offset: [], scale: [] };
    if (affine === undefined) {
      return offset.every((value) => value === 0) && scale.every((value) => value === 1);
    }
    return (
      offset.length === affine.mul.length &&
      offset.every(
        (o, j) => close(affine.mul[j]!, 1 / scale[j]!) && close(affine.add[j]!, -o / scale[j]!),
      )
    );
  }

  /** True when this undoes a target scaling, y = y′·scale + offset (or both are absent). */
  static matchesUnscaling(affine: Affine | undefined, scaling: Scaling | undefined): boolean {
    const { offset, scale } = scaling ?? { offset: [], scale: [] };
    if (affine === undefined) {
      return offset.every((value) => value === 0) && scale.every((value) => value === 1);
    }
    return (
      offset.length === affine.mul.length &&
      offset.every((o, j) => close(affine.mul[j]!, scale[j]!) && close(affine.add[j]!, o))
    );
  }
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b), 1e-30);
}

function nonZero(value: number, label: string): number {
  if (value === 0) throw new ModelFileError(`${label}: division by a constant 0`);
  return value;
}
