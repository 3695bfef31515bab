import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Preprocessing } from '../../core/src/data/preprocess.js';
import { applyPreprocessing, unscaleTargets } from '../../core/src/data/preprocess.js';
import { loadMnist } from '../../datasets/src/mnist.js';
import { Dense } from '../../core/src/layers/dense.js';
import { Dropout } from '../../core/src/layers/dropout.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { toOnnx } from '../src/export.js';
import { ModelProto, type ModelMessage } from '../src/schema.js';
import { Matrix, type DType } from '../../core/src/tensor/matrix.js';
import { Random } from '../../core/src/tensor/random.js';

/** Runs an exported model in onnxruntime: x [rows, cols] in, 'output' out. */
async function runOrt(bytes: Uint8Array, x: Matrix): Promise<Float32Array | Float64Array> {
  const session = await ort.InferenceSession.create(bytes);
  expect(session.inputNames).toEqual(['input']);
  expect(session.outputNames).toEqual(['output']);
  const type = x.dtype === 'float64' ? 'float64' : 'float32';
  const result = await session.run({ input: new ort.Tensor(type, x.data, [x.rows, x.cols]) });
  return result['output']!.data as Float32Array | Float64Array;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function decode(bytes: Uint8Array): ModelMessage {
  return ModelProto.decode(bytes) as unknown as ModelMessage;
}

/** rows × cols values in (−3, 3), fixed. */
function randomMatrix(rows: number, cols: number, dtype: DType = 'float32'): Matrix {
  const random = new Random(11);
  const m = new Matrix(rows, cols, dtype);
  for (let i = 0; i < m.data.length; i++) m.data[i] = 6 * random.uniform() - 3;
  return m;
}

describe('toOnnx on MNIST, run in onnxruntime', () => {
  let model: Sequential;
  let test: { x: Matrix; y: Matrix };
  beforeAll(async () => {
    const mnist = loadMnist({ limit: { train: 9600 } });
    test = mnist.test;
    model = new Sequential(
      [new Dense(784, 64, { activation: 'relu' }), new Dense(64, 10, { activation: 'softmax' })],
      { seed: 3 },
    );
    // 300 batches of 32: enough for irregular, trained weights (about 90% accuracy).
    await model.fit(mnist.train.x, mnist.train.y, {
      loss: 'crossEntropy',
      learningRate: 0.1,
      batchSize: 32,
      epochs: 1,
    });
  }, 60_000);

  it('predicts the 10,000 test images within 1e-5 of our predict', async () => {
    const expected = model.predict(test.x).data;
    const actual = await runOrt(toOnnx(model), test.x);
    expect(actual.length).toBe(10_000 * 10);
    expect(maxDifference(actual, expected)).toBeLessThanOrEqual(1e-5);
    expect(model.evaluate(test.x, test.y, { loss: 'crossEntropy' })['accuracy']).toBeGreaterThan(
      0.85,
    );
  });

  it('writes Gemm (transB = 1) and Softmax nodes at opset 13, with [N, 784] → [N, 10]', () => {
    const file = decode(toOnnx(model));
    expect(file.opsetImport.map((opset) => [opset.domain, Number(opset.version)])).toEqual([
      ['', 13],
    ]);
    const graph = file.graph!;
    expect(graph.node.map((node) => node.opType)).toEqual(['Gemm', 'Relu', 'Gemm', 'Softmax']);
    expect(graph.node[0]!.attribute.map((a) => [a.name, Number(a.i)])).toEqual([['transB', 1]]);
    expect(
      graph.input[0]!.type?.tensorType?.shape?.dim.map((d) => d.dimParam || Number(d.dimValue)),
    ).toEqual(['N', 784]);
    expect(
      graph.output[0]!.type?.tensorType?.shape?.dim.map((d) => d.dimParam || Number(d.dimValue)),
    ).toEqual(['N', 10]);
  });
});

describe('toOnnx', () => {
  const features = ['a', 'b', 'c', 'd'];
  const classifier = (): Preprocessing => ({
    columns: features.map((name) => ({ name, kind: 'number' })),
    featureNames: features,
    scaling: { kind: 'standard', offset: [1, -2, 30, 0.5], scale: [2, 0.25, 10, 1] },
    task: 'classification',
    targetNames: ['kind'],
    classNames: ['p', 'q', 'r'],
  });

  it('runs every activation and the preprocessing as nodes, matching predict', async () => {
    const model = new Sequential(
      [
        new Dense(4, 6, { activation: 'relu' }),
        new Dropout(0.3),
        new Dense(6, 5, { activation: 'leakyRelu' }),
        new Dense(5, 5, { activation: 'tanh' }),
        new Dense(5, 4, { activation: 'sigmoid' }),
        new Dense(4, 4, { activation: 'linear' }),
        new Dense(4, 3, { activation: 'softmax' }),
      ],
      { seed: 8, preprocessing: classifier() },
    );
    const raw = randomMatrix(50, 4);
    raw.data.forEach((v, i) => (raw.data[i] = v * 5 + 10)); // raw units, not yet scaled
    const bytes = toOnnx(model);
    const ops = decode(bytes).graph!.node.map((node) => node.opType);
    expect(ops).toEqual([
      'Sub',
      'Div',
      'Gemm',
      'Relu',
      'Gemm',
      'LeakyRelu',
      'Gemm',
      'Tanh',
      'Gemm',
      'Sigmoid',
      'Gemm',
      'Gemm',
      'Softmax',
    ]);
    const expected = model.predict(applyPreprocessing(model.preprocessing!, raw)).data;
    expect(maxDifference(await runOrt(bytes, raw), expected)).toBeLessThanOrEqual(1e-6);
  });

  it('undoes a regression target scaling with Mul and Add nodes', async () => {
    const preprocessing: Preprocessing = {
      ...classifier(),
      task: 'regression',
      targetNames: ['mpg', 'hp'],
      classNames: undefined,
      targetScaling: { kind: 'standard', offset: [23.4, 104], scale: [7.8, 38.5] },
    };
    delete preprocessing.classNames;
    const model = new Sequential(
      [new Dense(4, 8, { activation: 'tanh' }), new Dense(8, 2, { activation: 'linear' })],
      { seed: 2, preprocessing },
    );
    const raw = randomMatrix(20, 4);
    const bytes = toOnnx(model);
    expect(decode(bytes).graph!.node.map((node) => node.opType)).toEqual([
      'Sub',
      'Div',
      'Gemm',
      'Tanh',
      'Gemm',
      'Mul',
      'Add',
    ]);
    const expected = unscaleTargets(
      preprocessing,
      model.predict(applyPreprocessing(preprocessing, raw)),
    );
    expect(maxDifference(await runOrt(bytes, raw), expected.data)).toBeLessThanOrEqual(1e-4);
  });

  it('writes a float64 model as DOUBLE tensors, bit for bit', async () => {
    const model = new Sequential(
      [new Dense(4, 5, { activation: 'sigmoid' }), new Dense(5, 3, { activation: 'softmax' })],
      { dtype: 'float64', seed: 6 },
    );
    const x = randomMatrix(10, 4, 'float64');
    const bytes = toOnnx(model);
    const weights = decode(bytes).graph!.initializer[0]!;
    expect(weights.dataType).toBe(11);
    expect(new Float64Array(new Uint8Array(weights.rawData!).buffer)).toEqual(
      model.denseLayers[0]!.weights.data,
    );
    expect(maxDifference(await runOrt(bytes, x), model.predict(x).data)).toBeLessThanOrEqual(1e-12);
  });

  it("writes FLOAT tensors from a float64 model with dtype: 'float32'", async () => {
    const model = new Sequential([new Dense(4, 3, { activation: 'leakyRelu' })], {
      dtype: 'float64',
      seed: 6,
    });
    const x = randomMatrix(10, 4);
    const bytes = toOnnx(model, { dtype: 'float32' });
    expect(decode(bytes).graph!.initializer[0]!.dataType).toBe(1);
    expect(maxDifference(await runOrt(bytes, x), model.predict(x).data)).toBeLessThanOrEqual(1e-5);
  });

  it('stores the class names and the preprocessing as metadata', () => {
    const model = new Sequential([new Dense(4, 3, { activation: 'softmax' })], {
      preprocessing: classifier(),
    });
    const props = Object.fromEntries(
      decode(toOnnx(model)).metadataProps.map((entry) => [entry.key, JSON.parse(entry.value!)]),
    );
    expect(props).toEqual({
      'backprop.preprocessing': classifier(),
      'backprop.classNames': ['p', 'q', 'r'],
    });
  });
});
