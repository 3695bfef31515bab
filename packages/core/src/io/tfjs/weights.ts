import type { Layer } from '../../layers/layer.js';
import { describe } from '../describe.js';

type Fail = (message: string) => never;
type Json = Record<string, unknown>;

/** One weight of a tfjs weights manifest: its tfjs shape and values. */
export interface Weight {
  shape: number[];
  data: Float32Array;
}

/** tfjs weight names of each of our parameters. */
const TFJS_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Dense: { weights: 'kernel', bias: 'bias' },
  BatchNormalization: {
    gamma: 'gamma',
    beta: 'beta',
    movingMean: 'moving_mean',
    movingVariance: 'moving_variance',
  },
  LayerNormalization: { gamma: 'gamma', beta: 'beta' },
};

/** Copies a layer's tfjs weights into its parameters (kernel transposed); absent gamma/beta/bias keep 1/0. */
export function setParameters(layer: Layer, own: Map<string, Weight>, fail: Fail): void {
  const names = TFJS_NAMES[layer.className] ?? {};
  for (const { name, value } of layer.parameters()) {
    const tfName = names[name]!;
    const weight = own.get(tfName);
    if (weight === undefined) {
      if (name === 'weights' || name === 'movingMean' || name === 'movingVariance')
        fail(`${layer}: weight ${tfName} is missing`);
      continue;
    }
    const { data, shape } = weight;
    const expected = name === 'weights' ? [value.cols, value.rows] : [value.cols];
    if (shape.join() !== expected.join()) {
      fail(
        `${layer}: weight ${tfName}: expected shape [${expected.join(', ')}], found [${shape.join(', ')}]`,
      );
    }
    if (name === 'weights') {
      const [rows, cols] = [value.rows, value.cols];
      for (let j = 0; j < rows; j++)
        for (let k = 0; k < cols; k++) value.data[j * cols + k] = data[k * rows + j]!;
    } else {
      value.data.set(data);
    }
  }
}

/** Every weight of the manifest by name, read from the concatenated shards of its group. */
export function readWeights(
  root: Json,
  shards: ReadonlyMap<string, Uint8Array>,
  fail: Fail,
): Map<string, Weight> {
  const out = new Map<string, Weight>();
  for (const group of root['weightsManifest'] as { paths: string[]; weights: Json[] }[]) {
    const parts = group.paths.map((p) => shards.get(p) ?? fail(`weight shard ${p} is missing`));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    const view = new DataView(bytes.buffer);
    let offset = 0;
    for (const spec of group.weights) {
      const { name, shape, dtype } = spec as { name: unknown; shape: unknown; dtype: unknown };
      if (typeof name !== 'string')
        fail(`weightsManifest: expected weight names, found ${describe(name)}`);
      if (dtype !== 'float32')
        fail(`weight ${String(name)}: dtype: expected "float32", found ${describe(dtype)}`);
      if ((spec as Json)['quantization'] !== undefined)
        fail(`weight ${String(name)}: quantized weights are not supported`);
      if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
        fail(
          `weight ${String(name)}: shape: expected non-negative integers, found ${describe(shape)}`,
        );
      }
      const count = (shape as number[]).reduce((a, b) => a * b, 1);
      if (offset + 4 * count > bytes.length) {
        fail(
          `weight ${String(name)}: needs bytes ${offset}..${offset + 4 * count} of shards ${group.paths.join(', ')}, which hold ${bytes.length}`,
        );
      }
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        const value = view.getFloat32(offset + 4 * i, true);
        if (!Number.isFinite(value)) {
          fail(`weight ${String(name)}: expected finite values, found ${value} at index ${i}`);
        }
        data[i] = value;
      }
      out.set(name as string, { shape: shape as number[], data });
      offset += 4 * count;
    }
    if (offset !== bytes.length)
      fail(`shards ${group.paths.join(', ')}: expected ${offset} bytes, found ${bytes.length}`);
  }
  return out;
}
