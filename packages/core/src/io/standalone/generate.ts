import { ConfigError } from '../../errors.js';
import type { Activation } from '../../activations.js';
import type { Sequential } from '../../model/sequential.js';
import { floatsToBase64 } from '../base64.js';
import {
  activationHelpers,
  activationSource,
  kernelSource,
  preprocessingSource,
} from './sources.js';
import { standaloneTypes } from './types.js';

/** A standalone predict module: the ES module's code and its TypeScript declarations. */
export interface StandaloneModule {
  /** An ES module with no imports (weights inlined as base64). */
  readonly js: string;
  /** Its `.d.ts`, to be written beside it with the same base name. */
  readonly dts: string;
}

/** `predictRecords` and `classify`, for a model with preprocessing. */
const RECORDS = `
function encode(records) {
  const p = preprocessing, n = p.featureNames.length, values = new Float64Array(records.length * n);
  records.forEach((record, i) => {
    let offset = i * n;
    p.columns.forEach((column, c) => {
      const value = Array.isArray(record) ? record[c] : record[column.name];
      const problem = encodeValue(column, value, values, offset);
      if (problem) throw new RangeError(\`row \${i}, column "\${column.name}": \${problem.missing ? 'missing value' : 'expected ' + problem.expected}\`);
      offset += column.kind === 'number' ? 1 : column.kind === 'date' ? 3 : column.categories.length;
    });
  });
  applyScaling(values, p.scaling);
  const x = matrix(records.length, n);
  x.data.set(values);
  return x;
}
const best = (row) => row.indexOf(Math.max(...row));
export function predictRecords(records) {
  const a = forward(encode(records)), p = preprocessing;
  if (p.classNames) return rowsOf(a).map((row) => ({ className: p.classNames[best(row)], probabilities: Object.fromEntries(p.classNames.map((name, j) => [name, row[j]])) }));
  if (p.targetScaling) invertScaling(a.data, p.targetScaling);
  return rowsOf(a).map((row) => Object.fromEntries(p.targetNames.map((name, j) => [name, row[j]])));
}
export function classify(record) {
  if (!preprocessing || !preprocessing.classNames) throw new TypeError('classify needs a classifier with preprocessing');
  return predictRecords([record])[0];
}
`;

/** What `predict` does, after the kernels and weights. */
const PREDICT = `
const load = (text) => { const bytes = atob(text); const u = new Uint8Array(bytes.length); for (let i = 0; i < bytes.length; i++) u[i] = bytes.charCodeAt(i); return new F(u.buffer); };
const matrix = (rows, cols, data = new F(rows * cols)) => ({ rows, cols, data });
const network = LAYERS.map((l) => ({ ...l, w: l.w && matrix(l.units, l.inputs, load(l.w)), b: l.b && matrix(1, l.units, load(l.b)) }));
function forward(x) {
  let a = x;
  for (const l of network) {
    let z = a;
    if (l.w) { z = matrix(a.rows, l.units); backend.gemm(a, false, l.w, true, z, 1, 0); backend.addBias(z, l.b); }
    if (l.g) { a = matrix(z.rows, z.cols); backend.activate(l.g, z, a); } else a = z;
  }
  return a;
}
const rowsOf = (a) => Array.from({ length: a.rows }, (_, i) => Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
export function predict(x) {
  const input = matrix(x.length, inputs);
  x.forEach((row, i) => { if (row.length !== inputs) throw new RangeError(\`row \${i}: expected \${inputs} features, found \${row.length}\`); input.data.set(row, i * inputs); });
  return rowsOf(forward(input));
}
`;

/**
 * A dependency-free ES module that computes `model.predict` (brain.js's `toFunction()`, as a
 * file): `predict(x)` takes rows of encoded features [n, n⁰] and returns aᴸ [n, nᴸ] as arrays;
 * with preprocessing (only then), `predictRecords(records)` applies the stored column encodings and scaling
 * and returns `{ className, probabilities }` per record (classifiers) or `{ target: value }` in
 * target units (regression), and `classify(record)` one record's class. The code is the
 * library's own (see sources.ts): the js backend's gemm, addBias and activate, each
 * activation's g, the preprocessing's encoders; the weights are base64 of the model's float32 or
 * float64 little-endian bytes. Its outputs are bit-identical to `predict` on the js backend.
 * Dropout and GaussianNoise are left out (identity at inference).
 * @returns the module's code and its `.d.ts`
 * @throws {ConfigError} for a layer or activation it cannot compute (BatchNormalization,
 *   LayerNormalization, gelu, geluTanh, mish, custom activations), naming the layer
 */
export function toStandaloneModule(model: Sequential): StandaloneModule {
  const layers = model.layers.flatMap((layer, k) => {
    const where = `layer ${k + 1} ${layer}`;
    const params = Object.fromEntries(layer.parameters().map((p) => [p.name, p.value]));
    const activation = (layer as { activation?: Activation }).activation;
    switch (layer.className) {
      case 'Dense':
        return [
          `{ inputs: ${layer.inputs}, units: ${layer.outputs}, w: "${floatsToBase64(params['weights']!.data)}", ` +
            `b: "${floatsToBase64(params['bias']!.data)}", g: ${activationSource(activation!, where)} }`,
        ];
      case 'Activation':
        return [`{ g: ${activationSource(activation!, where)} }`];
      case 'Dropout':
      case 'GaussianNoise':
        return [];
      default:
        throw new ConfigError(
          `${where}: the standalone module computes Dense, Activation, Dropout and GaussianNoise layers`,
        );
    }
  });
  const preprocessing =
    model.preprocessing === undefined ? 'undefined' : JSON.stringify(model.preprocessing);
  const classNames =
    model.classNames === undefined ? 'undefined' : JSON.stringify(model.classNames);
  const js = [
    `// ${model} — generated by backprop; no imports. predict(x) equals model.predict(x) on the js backend.`,
    `const F = ${model.dtype === 'float64' ? 'Float64Array' : 'Float32Array'};`,
    `export const inputs = ${model.inputs};`,
    `export const outputs = ${model.outputs};`,
    `export const classNames = ${classNames};`,
    `export const preprocessing = ${preprocessing};`,
    activationHelpers(layers.join('\n')),
    kernelSource(),
    `const LAYERS = [\n${layers.join(',\n')}\n];`,
    PREDICT,
    ...(model.preprocessing === undefined ? [] : [preprocessingSource(), RECORDS]),
  ].join('\n');
  return { js, dts: standaloneTypes(model) };
}
