import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Dense } from '../../core/src/layers/dense.js';
import { ModelFileError } from '../../core/src/errors.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { fromOnnx } from '../src/import.js';
import { toOnnx } from '../src/export.js';
import { ModelProto } from '../src/schema.js';
import { Random } from '../../core/src/tensor/random.js';
import { Matrix } from '../../core/src/tensor/matrix.js';
import { ONNX_FIXTURES } from './fixtures/onnx-fixtures.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

/** Runs bytes in onnxruntime on float32 input of the given shape; returns the single output. */
async function runOrt(
  bytes: Uint8Array,
  input: Float32Array,
  dims: number[],
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, dims) };
  const result = await session.run(feeds);
  return result[session.outputNames[0]!]!.data as Float32Array;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** 64 rows of inputs in (−2, 2), fixed. */
function inputs(width: number): Float32Array {
  const random = new Random(5);
  return Float32Array.from({ length: 64 * width }, () => 4 * random.uniform() - 2);
}

describe('the ONNX fixtures', () => {
  it.each(Object.keys(ONNX_FIXTURES))('%s is what its builder writes', (name) => {
    const bytes = ONNX_FIXTURES[name]!();
    if (process.env['UPDATE_FIXTURES'] || !existsSync(fixture(name))) {
      writeFileSync(fixture(name), bytes);
    }
    expect(new Uint8Array(readFileSync(fixture(name)))).toEqual(bytes);
  });
});

describe('fromOnnx', () => {
  it('imports a Keras-style file (Flatten, MatMul + Add) and matches onnxruntime', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('keras-mlp.onnx')));
    const model = fromOnnx(bytes);
    expect(String(model)).toBe(
      'Sequential(Dense(12 => 8, relu), Dense(8 => 6, tanh), Dense(6 => 3, softmax))',
    );
    expect(model.dtype).toBe('float32');
    const x = inputs(12);
    const expected = await runOrt(bytes, x, [64, 2, 3, 2]);
    const ours = model.predict(new Matrix(64, 12, x)).data;
    expect(maxDifference(ours, expected)).toBeLessThanOrEqual(1e-6);
  });

  it('imports a PyTorch-style file (Gemm, Constant, folded Mul + Add) and matches onnxruntime', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('torch-mlp.onnx')));
    const model = fromOnnx(bytes);
    expect(String(model)).toBe(
      'Sequential(Dense(12 => 8, leakyRelu), Dense(8 => 5, sigmoid), Dense(5 => 3, linear))',
    );
    const x = inputs(12);
    const expected = await runOrt(bytes, x, [64, 12]);
    const ours = model.predict(new Matrix(64, 12, x)).data;
    expect(maxDifference(ours, expected)).toBeLessThanOrEqual(1e-5);
  });

  it('imports Gemm weights bit for bit (transB 1, alpha 1, beta 1)', () => {
    const model = fromOnnx(new Uint8Array(readFileSync(fixture('torch-mlp.onnx'))));
    const decoded = ModelProto.toObject(
      ModelProto.decode(readFileSync(fixture('torch-mlp.onnx'))),
    ) as { graph: { initializer: { name: string; rawData: Uint8Array }[] } };
    const raw = decoded.graph.initializer.find((t) => t.name === 'fc1.weight')!.rawData;
    const weights = new Float32Array(new Uint8Array(raw).buffer);
    expect(model.denseLayers[0]!.weights.data).toEqual(weights);
  });

  it('can fine-tune an imported model', async () => {
    const model = fromOnnx(new Uint8Array(readFileSync(fixture('keras-mlp.onnx'))));
    const x = new Matrix(64, 12, inputs(12));
    const y = Matrix.zeros(64, 3);
    for (let i = 0; i < 64; i++) y.data[i * 3 + (i % 3)] = 1;
    const before = model.evaluate(x, y, { loss: 'crossEntropy' })['loss']!;
    await model.fit(x, y, { loss: 'crossEntropy', learningRate: 0.1, epochs: 20, batchSize: 16 });
    expect(model.evaluate(x, y, { loss: 'crossEntropy' })['loss']!).toBeLessThan(before);
  });

  it('reads back what toOnnx wrote: parameters, class names and preprocessing', () => {
    const model = new Sequential(
      [new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 2, { activation: 'softmax' })],
      { seed: 4, classNames: ['no', 'yes'] },
    );
    model.preprocessing = {
      columns: ['a', 'b', 'c'].map((name) => ({ name, kind: 'number' as const })),
      featureNames: ['a', 'b', 'c'],
      scaling: { kind: 'standard', offset: [1, 2, 3], scale: [0.5, 4, 8] },
      task: 'classification',
      targetNames: ['answer'],
      classNames: ['no', 'yes'],
    };
    const copy = fromOnnx(toOnnx(model));
    expect(String(copy)).toBe(String(model));
    copy.denseLayers.forEach((layer, i) => {
      expect(layer.weights.data).toEqual(model.denseLayers[i]!.weights.data);
      expect(layer.bias.data).toEqual(model.denseLayers[i]!.bias.data);
    });
    expect(copy.classNames).toEqual(['no', 'yes']);
    expect(copy.preprocessing).toEqual(model.preprocessing);
  });
});

describe('fromOnnx folds arithmetic outside the layers', () => {
  it('into the first and last layers when no preprocessing is stored, matching onnxruntime', async () => {
    const model = new Sequential(
      [new Dense(3, 5, { activation: 'relu' }), new Dense(5, 2, { activation: 'linear' })],
      { seed: 12 },
    );
    model.preprocessing = {
      columns: ['a', 'b', 'c'].map((name) => ({ name, kind: 'number' as const })),
      featureNames: ['a', 'b', 'c'],
      scaling: { kind: 'standard', offset: [10, -4, 0.5], scale: [3, 0.5, 2] },
      task: 'regression',
      targetNames: ['u', 'v'],
      targetScaling: { kind: 'standard', offset: [100, -7], scale: [20, 0.1] },
    };
    // Without the stored preprocessing, Sub/Div and Mul/Add are plain arithmetic to fold.
    const file = ModelProto.decode(toOnnx(model)) as unknown as { metadataProps: unknown[] };
    file.metadataProps = [];
    const bytes = ModelProto.encode(file as never).finish();
    const imported = fromOnnx(bytes);
    expect(imported.preprocessing).toBeUndefined();
    expect(String(imported)).toBe(String(model));
    const raw = new Matrix(
      64,
      3,
      inputs(3).map((v) => 10 * v),
    );
    const expected = await runOrt(bytes, raw.data as Float32Array, [64, 3]);
    const ours = imported.predict(raw).data;
    for (let i = 0; i < ours.length; i++) {
      expect(Math.abs(ours[i]! - expected[i]!)).toBeLessThanOrEqual(
        1e-5 * Math.max(1, Math.abs(expected[i]!)),
      );
    }
  });
});

/** A one-node graph around `node`, with a [N, 4] input 'x' and output 'y'. */
function graph(
  nodes: object[],
  initializer: object[] = [],
  extraInputs: object[] = [],
): Uint8Array {
  const tensorInfo = (name: string) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 4 }] } } },
  });
  const message = ModelProto.fromObject({
    irVersion: 7,
    opsetImport: [{ version: 13 }],
    graph: {
      node: nodes,
      initializer,
      input: [tensorInfo('x'), ...extraInputs],
      output: [tensorInfo('y')],
    },
  });
  return ModelProto.encode(message).finish();
}

const weights = {
  name: 'W',
  dims: [4, 4],
  dataType: 1,
  floatData: Array.from({ length: 16 }, (_, i) => i / 16),
};
const gemm = (output = 'z') => ({
  name: 'fc',
  opType: 'Gemm',
  input: ['x', 'W'],
  output: [output],
});

describe('fromOnnx rejects what it cannot import, naming the node', () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    [
      'an unsupported node',
      () => graph([{ name: 'conv1', opType: 'Conv', input: ['x', 'W'], output: ['y'] }], [weights]),
      /node "conv1" \(Conv\) is not supported; fromOnnx reads chains of Gemm, MatMul, Add, Sub, Mul, Div, Relu/,
    ],
    [
      'an unsupported node without a name',
      () => graph([gemm(), { opType: 'Celu', input: ['z'], output: ['y'] }], [weights]),
      /node #1 \(Celu\) is not supported/,
    ],
    [
      'bytes that are not ONNX',
      () => Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
      /expected an ONNX model \(a ModelProto\), found bytes that do not decode/,
    ],
    [
      'a model without a graph',
      () => ModelProto.encode(ModelProto.fromObject({ irVersion: 7 })).finish(),
      /an ONNX model: expected a graph with nodes, found none/,
    ],
    [
      'an Elu with a negative alpha',
      () =>
        graph(
          [
            gemm(),
            {
              name: 'act',
              opType: 'Elu',
              input: ['z'],
              output: ['y'],
              attribute: [{ name: 'alpha', f: -1, type: 1 }],
            },
          ],
          [weights],
        ),
      /node "act" \(Elu\): activation elu: alpha must be a finite number ≥ 0; received -1/,
    ],
    [
      'a Softmax over the batch',
      () =>
        graph(
          [
            gemm(),
            {
              name: 'sm',
              opType: 'Softmax',
              input: ['z'],
              output: ['y'],
              attribute: [{ name: 'axis', i: 0, type: 2 }],
            },
          ],
          [weights],
        ),
      /node "sm" \(Softmax\): expected axis 1 or -1 \(the features\), found 0/,
    ],
    [
      'two activations in a row',
      () =>
        graph(
          [
            gemm(),
            { name: 'a1', opType: 'Relu', input: ['z'], output: ['a'] },
            { name: 'a2', opType: 'Tanh', input: ['a'], output: ['y'] },
          ],
          [weights],
        ),
      /node "a2" \(Tanh\): expected a Gemm or MatMul before it \(one activation per layer\), found the relu before/,
    ],
    [
      'weights that are a graph input',
      () =>
        graph(
          [{ name: 'fc', opType: 'Gemm', input: ['x', 'w'], output: ['y'] }],
          [],
          [{ name: 'w' }],
        ),
      /an ONNX model: expected one graph input besides the initializers, found 2 \("x", "w"\)/,
    ],
    [
      'a branch off the chain',
      () =>
        graph([gemm(), { name: 'side', opType: 'Relu', input: ['x'], output: ['y'] }], [weights]),
      /node "side" \(Relu\) does not take the previous node's output "z"/,
    ],
    [
      'weights of the wrong width',
      () =>
        graph(
          [{ name: 'fc', opType: 'MatMul', input: ['x', 'W'], output: ['y'] }],
          [{ ...weights, dims: [2, 8] }],
        ),
      /node "fc" \(MatMul\): expected weights for 4 inputs, found dims \[2, 8\]/,
    ],
    [
      'a tensor with fewer values than its dims',
      () => graph([gemm('y')], [{ ...weights, dims: [4, 5] }]),
      /initializer "W": expected 20 values for dims \[4, 5\], found 16/,
    ],
    [
      'an output that is not the chain end',
      () => graph([gemm('z')], [weights]),
      /an ONNX model: expected one graph output, computed by the last node \("z"\), found "y"/,
    ],
  ];
  it.each(cases)('%s', (_, bytes, message) => {
    expect(() => fromOnnx(bytes())).toThrow(ModelFileError);
    expect(() => fromOnnx(bytes())).toThrow(message);
  });
});
