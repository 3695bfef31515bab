import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/src/errors.js';
import { fromOnnx } from '../src/import.js';
import { toOnnx } from '../src/export.js';
import { ModelProto, type ModelMessage } from '../src/schema.js';
import { Dense } from '../../core/src/layers/dense.js';
import { Sequential } from '../../core/src/model/sequential.js';
import type { ActivationSpec } from '../../core/src/activations.js';
import { Matrix } from '../../core/src/tensor/matrix.js';
import { Random } from '../../core/src/tensor/random.js';

/** 40 rows of 4 inputs in (−3, 3), fixed. */
function inputs(): Matrix {
  const random = new Random(12);
  const x = new Matrix(40, 4, 'float32');
  for (let i = 0; i < x.data.length; i++) x.data[i] = 6 * random.uniform() - 3;
  return x;
}

async function runOrt(bytes: Uint8Array, x: Matrix): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ input: new ort.Tensor('float32', x.data, [x.rows, x.cols]) });
  return result['output']!.data as Float32Array;
}

const ops = (bytes: Uint8Array) =>
  (ModelProto.decode(bytes) as unknown as ModelMessage).graph!.node.map((node) => node.opType);

const CASES: [ActivationSpec, string[]][] = [
  ['elu', ['Elu']],
  [{ name: 'elu', alpha: 0.5 }, ['Elu']],
  ['selu', ['Selu']],
  ['softplus', ['Softplus']],
  ['softsign', ['Softsign']],
  ['hardSigmoid', ['HardSigmoid']],
  [{ name: 'hardSigmoid', slope: 0.25, offset: 0.4 }, ['HardSigmoid']],
  [{ name: 'leakyRelu', slope: 0.2 }, ['LeakyRelu']],
  ['swish', ['Sigmoid', 'Mul']],
  ['gelu', ['Div', 'Erf', 'Add', 'Mul', 'Mul']],
  ['geluTanh', ['Pow', 'Mul', 'Add', 'Mul', 'Tanh', 'Add', 'Mul', 'Mul']],
  ['mish', ['Softplus', 'Tanh', 'Mul']],
];

describe('ONNX export and import of each activation', () => {
  it.each(CASES.map(([spec, nodes]) => [JSON.stringify(spec), spec, nodes] as const))(
    '%s: runs in onnxruntime like predict, and imports back with its options',
    async (_label, spec, nodes) => {
      // The activation on a hidden layer, and a linear layer after it (arithmetic must not fold
      // into the pattern), then the activation again on the output layer.
      const model = new Sequential(
        [
          new Dense(4, 6, { activation: spec }),
          new Dense(6, 5, { activation: 'linear' }),
          new Dense(5, 3, { activation: spec }),
        ],
        { seed: 5 },
      );
      const bytes = toOnnx(model);
      expect(ops(bytes)).toEqual(['Gemm', ...nodes, 'Gemm', 'Gemm', ...nodes]);
      const x = inputs();
      const expected = model.predict(x).data;
      const actual = await runOrt(bytes, x);
      actual.forEach((v, i) =>
        expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(
          1e-5 * Math.max(1, Math.abs(expected[i]!)),
        ),
      );
      const imported = fromOnnx(bytes);
      expect(imported.denseLayers.map((layer) => layer.activation.config)).toEqual(
        model.denseLayers.map((layer) => layer.activation.config),
      );
      expect(imported.predict(x).data).toEqual(expected);
    },
  );

  it('refuses a custom activation, naming the layer and the activation', () => {
    const cube = { name: 'cube', g: (z: number) => z ** 3, derivative: (z: number) => 3 * z * z };
    const model = new Sequential(
      [new Dense(2, 3, { activation: 'relu' }), new Dense(3, 1, { activation: cube })],
      { seed: 1 },
    );
    expect(() => toOnnx(model)).toThrow(ConfigError);
    expect(() => toOnnx(model)).toThrow(
      /layer 2 .*custom activation "cube" cannot be exported to ONNX/,
    );
  });

  it('imports a float32 alpha as its shortest decimal (0.2, not 0.20000000298)', () => {
    const model = new Sequential(
      [new Dense(2, 2, { activation: { name: 'leakyRelu', slope: 0.3 } })],
      {
        seed: 2,
      },
    );
    const [layer] = fromOnnx(toOnnx(model)).denseLayers;
    expect(layer!.activation.config).toEqual({ name: 'leakyRelu', slope: 0.3 });
    expect(layer!.activation.label).toBe('leakyRelu(0.3)');
  });
});
