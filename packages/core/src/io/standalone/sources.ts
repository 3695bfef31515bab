import type { Activation } from '../../activations.js';
import { SELU_ALPHA, SELU_SCALE, sigmoid } from '../../activations.js';
import { jsBackend, softmaxRows } from '../../backend/js.js';
import {
  categoryOf,
  DECIMAL,
  encodeValue,
  isMissing,
  ISO_DATE,
  listed,
  MISSING_MARKERS,
  parseDate,
  parseNumber,
} from '../../data/columns.js';
import { applyScaling, invertScaling } from '../../data/scaling.js';
import { ConfigError } from '../../errors.js';

// The standalone module's code is the library's own functions, as the engine compiled them
// (Function.prototype.toString), not a copy: the reference backend's kernels, each activation's
// g with its options bound, and the preprocessing's encoders. So its outputs are bit-identical
// to `predict` on the js backend.

/** The activations whose g needs nothing but its options, Math, sigmoid and SELU's constants. */
export const STANDALONE_ACTIVATIONS = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'softplus',
  'swish',
  'softsign',
  'hardSigmoid',
  'softmax',
] as const;

/** `const backend = { gemm, addBias, activate }` and softmaxRows: the js backend's own code. */
export function kernelSource(): string {
  const { gemm, addBias, activate } = jsBackend;
  const methods = Object.entries({ gemm, addBias, activate }).map(([name, method]) => {
    const source = String(method);
    return source.startsWith(`${name}(`) ? source : `${name}: ${source}`;
  });
  return `const backend = {\n${methods.join(',\n')}\n};\n${String(softmaxRows)}\n`;
}

/**
 * An expression for an activation object as the js backend's `activate` reads it:
 * `{ kind: 'softmax' }`, or `{ kind: 'elementwise', g }` with g's options bound as consts.
 * @throws {ConfigError} for an activation outside {@link STANDALONE_ACTIVATIONS} (names the layer)
 */
export function activationSource(activation: Activation, where: string): string {
  if (
    !(STANDALONE_ACTIVATIONS as readonly string[]).includes(activation.name) ||
    activation.custom
  ) {
    throw new ConfigError(
      `${where}: the standalone module has no ${activation.label}; it computes ${STANDALONE_ACTIVATIONS.join(', ')}`,
    );
  }
  if (activation.kind === 'softmax') return "{ kind: 'softmax' }";
  const source = String(activation.g);
  const g = source.includes('[native code]') ? `Math.${activation.g.name}` : source;
  const options = Object.entries(activation.options).map(
    ([key, value]) => `const ${key} = ${value};`,
  );
  return `{ kind: 'elementwise', g: (() => { ${options.join(' ')} return ${g}; })() }`;
}

/** sigmoid and SELU's constants, when the activations' code uses them. */
export function activationHelpers(code: string): string {
  const sigmoidCode = /\bsigmoid\(/.test(code) ? `${String(sigmoid)}\n` : '';
  const selu = code.includes('SELU_')
    ? `const SELU_ALPHA = ${SELU_ALPHA}, SELU_SCALE = ${SELU_SCALE};\n`
    : '';
  return sigmoidCode + selu;
}

/** The preprocessing's encoders and scalings (data/columns.ts, data/scaling.ts). */
export function preprocessingSource(): string {
  const markers = JSON.stringify(MISSING_MARKERS.map((marker) => marker.toLowerCase()));
  return [
    `const missingText = new Set(${markers});`,
    `const DECIMAL = ${String(DECIMAL)};`,
    `const ISO_DATE = ${String(ISO_DATE)};`,
    ...[
      isMissing,
      parseNumber,
      parseDate,
      categoryOf,
      listed,
      encodeValue,
      applyScaling,
      invertScaling,
    ].map(String),
  ].join('\n');
}
