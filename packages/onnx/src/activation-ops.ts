import {
  getActivation,
  SELU_ALPHA,
  SELU_SCALE,
  type Activation,
  type ActivationConfig,
} from '@backpropjs/core';
import { BackpropError, ModelFileError } from '@backpropjs/core';
import { floatAttribute, intAttribute, node } from './nodes.js';
import type { AttributeMessage, NodeMessage } from './schema.js';
import { attribute, shortestDecimal } from './tensors.js';

// Activations ⇄ ONNX ops (opset 13). Those ONNX has as one op are written as that op; swish,
// gelu, geluTanh and mish as the small graphs below (PyTorch writes gelu the same way), which
// fromOnnx folds back into one activation.

/** A step of a decomposed activation: op, and inputs — 'x' (its input), an earlier step, or a constant. */
type Step = readonly [op: string, ...inputs: (number | 'x' | { value: number })[]];

const c = (value: number) => ({ value });
const HALF = c(0.5);
const ONE = c(1);
/**
 * The decompositions, keyed by the op that stands for the whole pattern when reading: Swish
 * (no ONNX op), Gelu and Mish (ONNX ops from opsets 20 and 18, also accepted as such).
 * - swish: x·Sigmoid(x)
 * - gelu: ½·x·(1 + Erf(x/√2))
 * - geluTanh: ½·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³)))
 * - mish: x·Tanh(Softplus(x))
 */
const PATTERNS: Readonly<Record<'swish' | 'gelu' | 'geluTanh' | 'mish', readonly Step[]>> = {
  swish: [
    ['Sigmoid', 'x'],
    ['Mul', 'x', 0],
  ],
  gelu: [
    ['Div', 'x', c(Math.SQRT2)],
    ['Erf', 0],
    ['Add', 1, ONE],
    ['Mul', 'x', 2],
    ['Mul', 3, HALF],
  ],
  geluTanh: [
    ['Pow', 'x', c(3)],
    ['Mul', 0, c(0.044715)],
    ['Add', 'x', 1],
    ['Mul', 2, c(Math.sqrt(2 / Math.PI))],
    ['Tanh', 3],
    ['Add', 4, ONE],
    ['Mul', 'x', 5],
    ['Mul', 6, HALF],
  ],
  mish: [
    ['Softplus', 'x'],
    ['Tanh', 0],
    ['Mul', 'x', 1],
  ],
};

/** Single ops and the activation each is, with its options from the attributes. */
const SINGLE: Readonly<Record<string, (node: NodeMessage) => ActivationConfig>> = {
  Relu: () => 'relu',
  Sigmoid: () => 'sigmoid',
  Tanh: () => 'tanh',
  Softmax: () => 'softmax',
  Softplus: () => 'softplus',
  Softsign: () => 'softsign',
  Selu: () => 'selu',
  Mish: () => 'mish',
  Swish: () => 'swish',
  LeakyRelu: (node) => ({ name: 'leakyRelu', slope: float(node, 'alpha', 0.01) }),
  Elu: (node) => ({ name: 'elu', alpha: float(node, 'alpha', 1) }),
  HardSigmoid: (node) => ({
    name: 'hardSigmoid',
    slope: float(node, 'alpha', 0.2),
    offset: float(node, 'beta', 0.5),
  }),
  Gelu: (node) => {
    const approximate = attribute(node, 'approximate')?.s;
    return approximate && new TextDecoder().decode(approximate) === 'tanh' ? 'geluTanh' : 'gelu';
  },
};

/** The activation ops fromOnnx reads (for its list of supported ops). */
export const ACTIVATION_OPS = Object.keys(SINGLE);

/**
 * The nodes computing `activation` of the tensor `input`, the last writing `${prefix}.a`;
 * none for linear.
 * @param constant - adds a scalar initializer of the model's dtype, returns its name
 * @throws {ConfigError} never: callers reject custom activations first
 */
export function activationNodes(
  activation: Activation,
  input: string,
  prefix: string,
  constant: (name: string, value: number) => string,
): NodeMessage[] {
  const { name, options } = activation;
  const single = (op: string, attributes: AttributeMessage[] = []) => [
    node(`${prefix}.${name}`, op, [input], `${prefix}.a`, attributes),
  ];
  if (name === 'linear') return [];
  if (name in PATTERNS) {
    const steps = PATTERNS[name as keyof typeof PATTERNS];
    return steps.map(([op, ...inputs], k) => {
      const names = inputs.map((ref, j) =>
        ref === 'x'
          ? input
          : typeof ref === 'number'
            ? `${prefix}.${name}.${ref}`
            : constant(`${prefix}.${name}.${k}.c${j}`, ref.value),
      );
      const output = k === steps.length - 1 ? `${prefix}.a` : `${prefix}.${name}.${k}`;
      return node(`${prefix}.${name}.${k}`, op, names, output);
    });
  }
  switch (name) {
    case 'leakyRelu':
      return single('LeakyRelu', [floatAttribute('alpha', options['slope']!)]);
    case 'elu':
      return single('Elu', [floatAttribute('alpha', options['alpha']!)]);
    case 'selu':
      return single('Selu', [
        floatAttribute('alpha', SELU_ALPHA),
        floatAttribute('gamma', SELU_SCALE),
      ]);
    case 'hardSigmoid':
      return single('HardSigmoid', [
        floatAttribute('alpha', options['slope']!),
        floatAttribute('beta', options['offset']!),
      ]);
    case 'softmax':
      return single('Softmax', [intAttribute('axis', 1)]);
    default:
      return single(name[0]!.toUpperCase() + name.slice(1));
  }
}

/**
 * The nodes with each decomposed activation (as {@link activationNodes} and PyTorch write them)
 * replaced by one node standing for it (Swish, Gelu, Mish). A pattern matches only when its
 * intermediate tensors are used by nothing else.
 * @param constantValue - the value of a one-value constant tensor, or undefined
 */
export function foldActivationPatterns(
  nodes: readonly NodeMessage[],
  constantValue: (name: string) => number | undefined,
): NodeMessage[] {
  const uses = new Map<string, number>();
  for (const each of nodes)
    for (const name of each.input) uses.set(name, (uses.get(name) ?? 0) + 1);
  const result: NodeMessage[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const found = Object.entries(PATTERNS).find(([, steps]) =>
      matches(nodes, i, steps, uses, constantValue),
    );
    if (found === undefined) {
      result.push(nodes[i]!);
      continue;
    }
    const [name, steps] = found;
    const first = nodes[i]!;
    const last = nodes[i + steps.length - 1]!;
    const x = first.input.find((input) => constantValue(input) === undefined) ?? '';
    const op = name === 'swish' ? 'Swish' : name === 'mish' ? 'Mish' : 'Gelu';
    const attributes: AttributeMessage[] =
      name === 'geluTanh'
        ? [
            {
              name: 'approximate',
              type: 3,
              s: new TextEncoder().encode('tanh'),
              floats: [],
              ints: [],
            },
          ]
        : [];
    result.push({
      name: first.name ?? '',
      opType: op,
      input: [x],
      output: [...last.output],
      attribute: attributes,
    });
    i += steps.length - 1;
  }
  return result;
}

/** True when nodes[start..] compute the pattern `steps`. */
function matches(
  nodes: readonly NodeMessage[],
  start: number,
  steps: readonly Step[],
  uses: Map<string, number>,
  constantValue: (name: string) => number | undefined,
): boolean {
  if (start + steps.length > nodes.length) return false;
  let x: string | undefined;
  const refMatches = (ref: Step[1], name: string, k: number): boolean => {
    if (ref === 'x') {
      x ??= name;
      return name === x;
    }
    if (typeof ref === 'number') return k > ref && name === nodes[start + ref]!.output[0];
    const value = constantValue(name);
    return value !== undefined && Math.abs(value - ref.value) <= 1e-6 * Math.abs(ref.value);
  };
  return steps.every(([op, ...refs], k) => {
    const node = nodes[start + k]!;
    if (node.opType !== op || node.input.length !== refs.length) return false;
    if (k < steps.length - 1) {
      // An intermediate result feeds the pattern only: one use (x·σ(x) uses x twice, not these).
      const expected = steps.filter(([, ...r]) => r.includes(k)).length;
      if ((uses.get(node.output[0] ?? '') ?? 0) !== expected) return false;
    }
    const before = x;
    if (refs.every((ref, j) => refMatches(ref, node.input[j]!, k))) return true;
    x = before;
    // Add and Mul commute.
    const [a, b] = refs;
    return (
      refs.length === 2 &&
      (op === 'Add' || op === 'Mul') &&
      refMatches(b!, node.input[0]!, k) &&
      refMatches(a!, node.input[1]!, k)
    );
  });
}

/**
 * The activation an op (or folded pattern) stands for, as a config: options come from the
 * attributes (LeakyRelu alpha → slope, Elu alpha, HardSigmoid alpha/beta → slope/offset), as
 * the shortest decimal that rounds to the stored float32 (0.2, not 0.20000000298…).
 * @throws {ModelFileError} for an option backprop's activation cannot take (names the node)
 */
export function activationOf(node: NodeMessage, label: string): ActivationConfig {
  const config = SINGLE[node.opType ?? '']!(node);
  if (node.opType === 'Selu') {
    const alpha = float(node, 'alpha', SELU_ALPHA);
    const gamma = float(node, 'gamma', SELU_SCALE);
    if (
      Math.fround(alpha) !== Math.fround(SELU_ALPHA) ||
      Math.fround(gamma) !== Math.fround(SELU_SCALE)
    ) {
      throw new ModelFileError(
        `${label}: expected SELU's alpha ${SELU_ALPHA} and gamma ${SELU_SCALE}, found ${alpha} and ${gamma}`,
      );
    }
  }
  try {
    return getActivation(config).config as ActivationConfig;
  } catch (error) {
    if (!(error instanceof BackpropError)) throw error;
    throw new ModelFileError(`${label}: ${error.message}`, { cause: error });
  }
}

/** A FLOAT attribute as the shortest decimal that rounds to the same float32. */
function float(node: NodeMessage, name: string, fallback: number): number {
  const found = attribute(node, name);
  return found === undefined ? fallback : shortestDecimal(found.f ?? 0);
}
