import { ModelFileError } from '@backpropjs/core';
import { Affine, type Linear } from './affine.js';
import type { NormalizationEntry } from './entries.js';
import { ATTRIBUTE_TYPE, int64, type NodeMessage } from './schema.js';
import { attribute, floatAttribute, intAttribute, shortestDecimal } from './tensors.js';

// Import side of BatchNormalization and LayerNormalization (export: layer-nodes.ts).

/** The domain of the LayerNormalization nodes that stand for a decomposed pattern. */
const PATTERN_DOMAIN = 'backprop.pattern';

/** A constant's values, checked to hold one value per feature (by the chain reader). */
export type PerFeature = (name: string | undefined, what: string) => Float64Array;

/** What a BatchNormalization node holds: γ, β, the moving mean μ and variance σ², ε, momentum. */
export interface BatchNormalizationNode {
  momentum: number;
  gamma: Float64Array;
  beta: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
  epsilon: number;
}

/**
 * Reads an ONNX BatchNormalization node in inference mode: inputs X [N, C], scale γ, B β,
 * input_mean μ and input_var σ², each [C]; y = γ(x − μ)/√(σ² + ε) + β; attributes epsilon
 * (default 1e-5) and momentum (for training: moving ← m·moving + (1 − m)·batch; default 0.9),
 * as their shortest float32 decimals.
 * @throws {ModelFileError} naming the node: not 5 inputs, training mode (more than one output
 *   or training_mode 1), epsilon not a finite number > 0, momentum outside [0, 1), a
 *   parameter without one value per
 *   feature, or a negative variance
 */
export function readBatchNormalization(
  node: NodeMessage,
  label: string,
  perFeature: PerFeature,
): BatchNormalizationNode {
  const { input } = node;
  if (input.length !== 5 || input.includes('')) {
    throw new ModelFileError(
      `${label}: expected 5 inputs (X, scale, B, input_mean, input_var), found ${input.length}`,
    );
  }
  const outputs = node.output.filter((name) => name !== '').length;
  if (outputs !== 1 || intAttribute(node, 'training_mode', 0) !== 0) {
    throw new ModelFileError(
      `${label}: expected inference mode (one output, training_mode 0), found ${outputs} ` +
        `outputs and training_mode ${intAttribute(node, 'training_mode', 0)}`,
    );
  }
  const epsilon = epsilonOf(node, label);
  const momentum = shortestDecimal(floatAttribute(node, 'momentum', 0.9));
  if (!(momentum >= 0 && momentum < 1)) {
    throw new ModelFileError(`${label}: expected momentum in [0, 1), found ${momentum}`);
  }
  const [gamma, beta, mean, variance] = ['scale', 'B', 'input_mean', 'input_var'].map((what, i) =>
    perFeature(input[i + 1], what),
  ) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const negative = variance.findIndex((v) => !(v >= 0));
  if (negative >= 0) {
    throw new ModelFileError(
      `${label}: expected input_var >= 0, found ${variance[negative]} for feature ${negative}`,
    );
  }
  return { gamma, beta, mean, variance, epsilon, momentum };
}

/**
 * Reads a LayerNormalization node (opset 17) over the features: inputs X [N, C], Scale γ [C]
 * and optionally B β [C] (zeros when absent); attribute axis −1 (or 1) and epsilon (default
 * 1e-5). A node standing for the decomposed pattern (see
 * {@link foldLayerNormalizationPatterns}) has X only: γ ones, β zeros, and the Mul and Add after
 * it fold into them.
 * @returns γ, β and ε
 * @throws {ModelFileError} naming the node: not 2 or 3 inputs, another axis, epsilon not a finite
 *   number > 0, or Scale or B without one value per feature
 */
export function readLayerNormalization(
  node: NodeMessage,
  label: string,
  perFeature: PerFeature,
  width: number | undefined,
): { gamma: Float64Array; beta: Float64Array; epsilon: number } {
  const epsilon = epsilonOf(node, label);
  if (node.domain === PATTERN_DOMAIN) {
    if (width === undefined) {
      throw new ModelFileError(`${label}: expected a known number of features, found none`);
    }
    return { gamma: new Float64Array(width).fill(1), beta: new Float64Array(width), epsilon };
  }
  const { input } = node;
  if (input.length < 2 || input.length > 3 || input[1] === '') {
    throw new ModelFileError(
      `${label}: expected 2 or 3 inputs (X, Scale, B), found ${input.filter(Boolean).length}`,
    );
  }
  const axis = intAttribute(node, 'axis', -1);
  if (axis !== -1 && axis !== 1) {
    throw new ModelFileError(`${label}: expected axis -1 or 1 (the features), found ${axis}`);
  }
  const gamma = perFeature(input[1], 'Scale');
  const beta = input[2] ? perFeature(input[2], 'B') : new Float64Array(gamma.length);
  return { gamma, beta, epsilon };
}

/**
 * Reads a BatchNormalization or LayerNormalization node (see {@link readBatchNormalization},
 * {@link readLayerNormalization}). A BatchNormalization after a layer that arithmetic folds into
 * exactly (`open`: a Dense layer before its activation, or a normalisation's γ and β) is folded
 * there as the per-feature y = x·s + t, s = γ/√(σ² + ε), t = β − μ·s; elsewhere it becomes a
 * BatchNormalization layer with the file's γ, β, moving mean and variance and ε.
 * @param width - the data's width, when known
 * @returns the layer's entry, or undefined when folded into `open`
 * @throws {ModelFileError} naming the node, for a malformed node
 */
export function readNormalization(
  node: NodeMessage,
  label: string,
  perFeature: PerFeature,
  width: number | undefined,
  open: Linear | undefined,
): NormalizationEntry | undefined {
  if (node.opType === 'LayerNormalization') {
    const { gamma, beta, epsilon } = readLayerNormalization(node, label, perFeature, width);
    return normalizationEntry('LayerNormalization', gamma, beta, epsilon);
  }
  const { gamma, beta, mean, variance, epsilon, momentum } = readBatchNormalization(
    node,
    label,
    perFeature,
  );
  if (open === undefined) {
    const moving = { mean, variance, momentum };
    return normalizationEntry('BatchNormalization', gamma, beta, epsilon, moving);
  }
  const s = gamma.map((g, j) => g / Math.sqrt(variance[j]! + epsilon));
  Affine.apply(open, 'Mul', s, label);
  Affine.apply(
    open,
    'Add',
    beta.map((b, j) => b - mean[j]! * s[j]!),
    label,
  );
  return undefined;
}

function normalizationEntry(
  kind: NormalizationEntry['kind'],
  gamma: Float64Array,
  beta: Float64Array,
  epsilon: number,
  moving?: NormalizationEntry['moving'],
): NormalizationEntry {
  const width = gamma.length;
  return { kind, width, inputs: 1, outputs: width, weights: gamma, bias: beta, epsilon, moving };
}

/** The epsilon attribute. @throws {ModelFileError} unless a finite number > 0. */
function epsilonOf(node: NodeMessage, label: string): number {
  const epsilon = shortestDecimal(floatAttribute(node, 'epsilon', 1e-5));
  if (!(Number.isFinite(epsilon) && epsilon > 0)) {
    throw new ModelFileError(`${label}: expected epsilon a finite number > 0, found ${epsilon}`);
  }
  return epsilon;
}

/**
 * The nodes with each decomposed layer normalisation replaced by one LayerNormalization node
 * (X only, epsilon exact). The pattern, as toOnnx and PyTorch (opset < 17) write it:
 * m = ReduceMean(x), d = Sub(x, m), s = Mul(d, d) or Pow(d, 2), v = ReduceMean(s),
 * e = Add(v, ε), r = Sqrt(e), y = Div(d, r); each ReduceMean over the last axis (axes [-1] or
 * [1] as attribute or input) with keepdims 1, each intermediate used by the pattern only. The
 * Mul(γ) and Add(β) after it are ordinary arithmetic, folded into the layer.
 * @param constantValue - the value of a one-value constant tensor, or undefined
 */
export function foldLayerNormalizationPatterns(
  nodes: readonly NodeMessage[],
  constantValue: (name: string) => number | undefined,
): NodeMessage[] {
  const uses = new Map<string, number>();
  for (const each of nodes)
    for (const name of each.input) uses.set(name, (uses.get(name) ?? 0) + 1);
  const result: NodeMessage[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const found = matchPattern(nodes.slice(i, i + 7), uses, constantValue);
    if (found === undefined) {
      result.push(nodes[i]!);
      continue;
    }
    result.push({
      name: nodes[i]!.name ?? '',
      opType: 'LayerNormalization',
      domain: PATTERN_DOMAIN,
      input: [found.x],
      output: [found.output],
      attribute: [
        { name: 'epsilon', type: ATTRIBUTE_TYPE.FLOAT, f: found.epsilon, floats: [], ints: [] },
      ],
    });
    i += 6;
  }
  return result;
}

/** The pattern's input, output and ε when `nodes` (7 of them) compute it. */
function matchPattern(
  nodes: readonly NodeMessage[],
  uses: Map<string, number>,
  constantValue: (name: string) => number | undefined,
): { x: string; output: string; epsilon: number } | undefined {
  if (nodes.length < 7) return undefined;
  const [mean, sub, square, variance, add, sqrt, div] = nodes as [NodeMessage, ...NodeMessage[]];
  const out = (node: NodeMessage | undefined) => node?.output[0] ?? '';
  const usedOnly = (node: NodeMessage | undefined, count: number) => uses.get(out(node)) === count;
  const is = (node: NodeMessage | undefined, op: string, ...input: string[]) =>
    node?.opType === op && input.every((name, j) => node.input[j] === name);
  const x = mean.input[0] ?? '';
  const d = out(sub);
  const byMul = is(square, 'Mul', d, d) && square!.input.length === 2;
  const byPow = is(square, 'Pow', d) && constantValue(square!.input[1] ?? '') === 2;
  const epsilonName = add?.input.find((name) => name !== out(variance)) ?? '';
  const epsilon = constantValue(epsilonName);
  const matched =
    meanOverFeatures(mean, constantValue) &&
    is(sub, 'Sub', x, out(mean)) &&
    usedOnly(mean, 1) &&
    (byMul || byPow) &&
    usedOnly(sub, byMul ? 3 : 2) &&
    meanOverFeatures(variance!, constantValue) &&
    variance!.input[0] === out(square) &&
    usedOnly(square, 1) &&
    add?.opType === 'Add' &&
    add.input.length === 2 &&
    add.input.includes(out(variance)) &&
    epsilon !== undefined &&
    usedOnly(variance, 1) &&
    is(sqrt, 'Sqrt', out(add)) &&
    usedOnly(add, 1) &&
    is(div, 'Div', d, out(sqrt)) &&
    usedOnly(sqrt, 1);
  return matched ? { x, output: out(div), epsilon } : undefined;
}

/** True for ReduceMean over the last axis of [N, C] (axes [-1] or [1]), keepdims 1. */
function meanOverFeatures(
  node: NodeMessage,
  constantValue: (name: string) => number | undefined,
): boolean {
  if (node.opType !== 'ReduceMean' || intAttribute(node, 'keepdims', 1) !== 1) return false;
  const ints = attribute(node, 'axes')?.ints.map((axis) => int64(axis));
  const axes = ints ?? (node.input[1] ? [constantValue(node.input[1])] : []);
  return axes.length === 1 && (axes[0] === -1 || axes[0] === 1);
}
