import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ConfigError, ModelFileError } from '../../core/src/errors.js';
import { fromOnnx } from '../src/import.js';
import { toOnnx } from '../src/export.js';
import { ModelProto, type ModelMessage } from '../src/schema.js';
import { ActivationLayer } from '../../core/src/layers/activation.js';
import { BatchNormalization } from '../../core/src/layers/batch-normalization.js';
import { Dense } from '../../core/src/layers/dense.js';
import { Dropout } from '../../core/src/layers/dropout.js';
import { GaussianNoise } from '../../core/src/layers/gaussian-noise.js';
import {
  Layer,
  type BufferAllocator,
  type LayerContext,
  type LayerState,
} from '../../core/src/layers/layer.js';
import { LayerNormalization } from '../../core/src/layers/layer-normalization.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { Matrix, type DType } from '../../core/src/tensor/matrix.js';
import { Random } from '../../core/src/tensor/random.js';

/** rows × 4 values in (−3, 3) + 1 (not centred, so the statistics are not trivial), fixed. */
function inputs(rows: number, dtype: DType = 'float32', seed = 21): Matrix {
  const random = new Random(seed);
  const x = new Matrix(rows, 4, dtype);
  for (let i = 0; i < x.data.length; i++) x.data[i] = 6 * random.uniform() - 2;
  return x;
}

/** One-hot targets of 3 classes for x: the class of the largest of x₀, x₁, x₂. */
function targets(x: Matrix): number[][] {
  return Array.from({ length: x.rows }, (_, i) => {
    const row = [0, 1, 2].map((j) => x.data[i * 4 + j]!);
    return row.map((v) => (v === Math.max(...row) ? 1 : 0));
  });
}

async function runOrt(bytes: Uint8Array, x: Matrix): Promise<Float32Array | Float64Array> {
  const session = await ort.InferenceSession.create(bytes);
  const type = x.dtype === 'float64' ? 'float64' : 'float32';
  const result = await session.run({
    [session.inputNames[0]!]: new ort.Tensor(type, x.data, [x.rows, x.cols]),
  });
  return result[session.outputNames[0]!]!.data as Float32Array | Float64Array;
}

/** |a − b| ≤ 1e-5·max(1, |b|) element by element. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-5 * Math.max(1, Math.abs(expected[i]!));
    if (!(Math.abs(actual[i]! - expected[i]!) <= tolerance)) {
      expect.fail(
        `element ${i}: ${actual[i]} differs from ${expected[i]} by more than ${tolerance}`,
      );
    }
  }
}

const ops = (bytes: Uint8Array) =>
  (ModelProto.decode(bytes) as unknown as ModelMessage).graph!.node.map((node) => node.opType);

const LN_OPS = ['ReduceMean', 'Sub', 'Mul', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul', 'Add'];

interface Case {
  name: string;
  layers: () => Layer[];
  dtype: DType;
  /** The ops toOnnx writes. */
  ops: string[];
  /** The layers fromOnnx gives back, as strings. */
  imported: string[];
}

const CASES: Case[] = [
  {
    name: 'BatchNormalization after Dense, before an Activation layer (folded into the Dense)',
    layers: () => [
      new Dense(4, 8),
      new BatchNormalization({ momentum: 0.8 }),
      new ActivationLayer('relu'),
      new Dense(8, 3, { activation: 'softmax' }),
    ],
    dtype: 'float32',
    ops: ['Gemm', 'BatchNormalization', 'Relu', 'Gemm', 'Softmax'],
    imported: ['Dense(4 => 8, relu)', 'Dense(8 => 3, softmax)'],
  },
  {
    name: 'BatchNormalization after an activation (kept as a layer)',
    layers: () => [
      new Dense(4, 8, { activation: 'tanh' }),
      new BatchNormalization({ momentum: 0.8, epsilon: 0.01 }),
      new Dense(8, 3, { activation: 'softmax' }),
    ],
    dtype: 'float32',
    ops: ['Gemm', 'Tanh', 'BatchNormalization', 'Gemm', 'Softmax'],
    imported: [
      'Dense(4 => 8, tanh)',
      'BatchNormalization(momentum=0.8, epsilon=0.01)',
      'Dense(8 => 3, softmax)',
    ],
  },
  {
    name: 'BatchNormalization at the input, float64',
    layers: () => [
      new BatchNormalization({ momentum: 0.8 }),
      new Dense(4, 3, { activation: 'softmax' }),
    ],
    dtype: 'float64',
    ops: ['BatchNormalization', 'Gemm', 'Softmax'],
    imported: ['BatchNormalization(momentum=0.8, epsilon=0.001)', 'Dense(4 => 3, softmax)'],
  },
  {
    name: 'LayerNormalization, then an Activation layer',
    layers: () => [
      new Dense(4, 8),
      new LayerNormalization(),
      new ActivationLayer('relu'),
      new Dense(8, 3, { activation: 'softmax' }),
    ],
    dtype: 'float32',
    ops: ['Gemm', ...LN_OPS, 'Relu', 'Gemm', 'Softmax'],
    imported: [
      'Dense(4 => 8, linear)',
      'LayerNormalization(epsilon=0.001)',
      'Activation(relu)',
      'Dense(8 => 3, softmax)',
    ],
  },
  {
    name: 'LayerNormalization after an activation, float64',
    layers: () => [
      new Dense(4, 6, { activation: 'tanh' }),
      new LayerNormalization({ epsilon: 1e-5 }),
      new Dense(6, 3, { activation: 'softmax' }),
    ],
    dtype: 'float64',
    ops: ['Gemm', 'Tanh', ...LN_OPS, 'Gemm', 'Softmax'],
    imported: [
      'Dense(4 => 6, tanh)',
      'LayerNormalization(epsilon=0.00001)',
      'Dense(6 => 3, softmax)',
    ],
  },
  {
    name: 'GaussianNoise (the identity)',
    layers: () => [
      new GaussianNoise(0.3),
      new Dense(4, 6, { activation: 'relu' }),
      new GaussianNoise(0.1),
      new Dense(6, 3, { activation: 'softmax' }),
    ],
    dtype: 'float32',
    ops: ['Gemm', 'Relu', 'Gemm', 'Softmax'],
    imported: ['Dense(4 => 6, relu)', 'Dense(6 => 3, softmax)'],
  },
  {
    name: 'Dropout (the identity)',
    layers: () => [
      new Dense(4, 6, { activation: 'relu' }),
      new Dropout(0.3),
      new Dense(6, 3, { activation: 'softmax' }),
    ],
    dtype: 'float32',
    ops: ['Gemm', 'Relu', 'Gemm', 'Softmax'],
    imported: ['Dense(4 => 6, relu)', 'Dense(6 => 3, softmax)'],
  },
  {
    name: 'Activation layers (joined to the Dense before them)',
    layers: () => [
      new Dense(4, 6),
      new ActivationLayer('swish'),
      new Dense(6, 3),
      new ActivationLayer('softmax'),
    ],
    dtype: 'float32',
    ops: ['Gemm', 'Sigmoid', 'Mul', 'Gemm', 'Softmax'],
    imported: ['Dense(4 => 6, swish)', 'Dense(6 => 3, softmax)'],
  },
];

describe('ONNX export and import of each layer, trained with fit', () => {
  it.each(CASES.map((each) => [each.name, each] as const))('%s', async (_name, each) => {
    const model = new Sequential(each.layers(), { seed: 3, dtype: each.dtype, inputs: 4 });
    const train = inputs(96, each.dtype);
    await model.fit(train, targets(train), {
      loss: 'crossEntropy',
      optimizer: 'adam',
      learningRate: 0.01,
      batchSize: 16,
      epochs: 5,
    });
    // The moving statistics moved away from their start (0 and 1).
    for (const layer of model.layers.filter((l) => l.className === 'BatchNormalization')) {
      const [, , mean, variance] = layer.parameters();
      expect(Math.max(...mean!.value.data.map(Math.abs))).toBeGreaterThan(0.05);
      expect(Math.max(...variance!.value.data.map((v) => Math.abs(v - 1)))).toBeGreaterThan(0.05);
    }
    const bytes = toOnnx(model);
    expect(ops(bytes)).toEqual(each.ops);
    const x = inputs(50, each.dtype, 8);
    const expected = model.predict(x).data;
    expectClose(await runOrt(bytes, x), expected);

    const imported = fromOnnx(bytes);
    expect(imported.dtype).toBe(each.dtype);
    expect(imported.layers.map(String)).toEqual(each.imported);
    expectClose(imported.predict(x).data, expected);
  });

  it('round-trips BatchNormalization and LayerNormalization parameters bit for bit', async () => {
    const model = new Sequential(
      [
        new Dense(4, 5, { activation: 'tanh' }),
        new BatchNormalization({ momentum: 0.5 }),
        new LayerNormalization({ epsilon: 0.02 }),
        new ActivationLayer('sigmoid'),
        new Dense(5, 3, { activation: 'softmax' }),
      ],
      { seed: 9 },
    );
    const train = inputs(64);
    await model.fit(train, targets(train), { loss: 'crossEntropy', optimizer: 'adam', epochs: 3 });
    const imported = fromOnnx(toOnnx(model));
    expect(imported.layers.map(String)).toEqual(model.layers.map(String));
    imported.layers.forEach((layer, k) => {
      const original = model.layers[k]!.parameters();
      layer.parameters().forEach((parameter, p) => {
        expect(parameter.name).toBe(original[p]!.name);
        expect(parameter.value.data).toEqual(original[p]!.value.data);
      });
    });
  });

  it('refuses a layer class it cannot write, naming the layer', () => {
    /** A layer class toOnnx does not know (the identity). */
    class Custom extends Layer {
      readonly className = 'Custom';
      protected createParameters(inputs: number): number {
        return inputs;
      }
      allocate(_allocator: BufferAllocator, context: LayerContext): LayerState {
        return { context };
      }
      forward(input: Matrix): Matrix {
        return input;
      }
      backward(): void {}
      getConfig(): Record<string, unknown> {
        return {};
      }
      override toString(): string {
        return 'Custom()';
      }
    }
    const model = new Sequential([new Dense(2, 3), new Custom()], { seed: 1 });
    expect(() => toOnnx(model)).toThrow(ConfigError);
    expect(() => toOnnx(model)).toThrow(
      /^layer 2 \(Custom\(\)\) cannot be exported to ONNX: expected one of Dense, Activation, Dropout, GaussianNoise, BatchNormalization, LayerNormalization, found Custom$/,
    );
  });

  it('refuses a custom activation in an Activation layer, naming the layer', () => {
    const cube = { name: 'cube', g: (z: number) => z ** 3, derivative: (z: number) => 3 * z * z };
    const model = new Sequential([new Dense(2, 3), new ActivationLayer(cube)], { seed: 1 });
    expect(() => toOnnx(model)).toThrow(ConfigError);
    expect(() => toOnnx(model)).toThrow(
      /^layer 2 \(Activation\(cube\)\): custom activation "cube" cannot be exported to ONNX/,
    );
  });
});

const FLOAT = 1;
const INT = 2;
const INTS = 7;

/** n float32 values in (−s, s) + shift, fixed by the seed. */
function values(n: number, seed: number, s = 0.8, shift = 0): number[] {
  return Array.from({ length: n }, (_, i) => Math.fround(shift + s * Math.sin(1.3 * i + seed)));
}

const tensor = (name: string, dims: number[], data: number[]) => ({
  name,
  dims,
  dataType: FLOAT,
  floatData: data,
});
const scalar = (name: string, value: number) => tensor(name, [], [value]);
const constantNode = (output: string, value: number) => ({
  name: output,
  opType: 'Constant',
  input: [],
  output: [output],
  attribute: [{ name: 'value', type: 4, t: scalar('', value) }],
});
const node = (
  name: string,
  opType: string,
  input: string[],
  output: string,
  attribute = [] as object[],
) => ({
  name,
  opType,
  input,
  output: [output],
  attribute,
});
const epsilon = (f: number) => ({ name: 'epsilon', type: FLOAT, f });

/** A model of `nodes` from input 'x' [N, 4] to output 'y' [N, M]. */
function graph(nodes: object[], initializer: object[], opset = 13): Uint8Array {
  const info = (name: string, width: number | string) => ({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: [
            { dimParam: 'N' },
            typeof width === 'number' ? { dimValue: width } : { dimParam: width },
          ],
        },
      },
    },
  });
  const message = ModelProto.fromObject({
    irVersion: opset >= 17 ? 8 : 7,
    producerName: 'hand',
    opsetImport: [{ domain: '', version: opset }],
    graph: { name: 'g', node: nodes, initializer, input: [info('x', 4)], output: [info('y', 'M')] },
  });
  const bytes = ModelProto.encode(message).finish();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** x → Gemm (5 units) → `middle` nodes (from 'z' to 'n') → Relu → Gemm (3 units) → y. */
function layerNormGraph(middle: object[], initializer: object[], opset: number): Uint8Array {
  const transB = [{ name: 'transB', type: INT, i: 1 }];
  return graph(
    [
      node('fc1', 'Gemm', ['x', 'w1', 'b1'], 'z', transB),
      ...middle,
      node('act', 'Relu', ['n'], 'a'),
      node('fc2', 'Gemm', ['a', 'w2', 'b2'], 'y', transB),
    ],
    [
      tensor('w1', [5, 4], values(20, 1)),
      tensor('b1', [5], values(5, 2, 0.5, 1)),
      tensor('w2', [3, 5], values(15, 3)),
      tensor('b2', [3], values(3, 4, 0.2)),
      tensor('ln.weight', [5], values(5, 5, 0.5, 1)),
      tensor('ln.bias', [5], values(5, 6, 0.3)),
      ...initializer,
    ],
    opset,
  );
}

describe('fromOnnx reads layer normalisation as others write it', () => {
  const expected = [
    'Dense(4 => 5, linear)',
    'LayerNormalization(epsilon=0.00001)',
    'Activation(relu)',
    'Dense(5 => 3, linear)',
  ];

  it('the opset-17 LayerNormalization op, matching onnxruntime', async () => {
    const bytes = layerNormGraph(
      [
        node('ln', 'LayerNormalization', ['z', 'ln.weight', 'ln.bias'], 'n', [
          { name: 'axis', type: INT, i: -1 },
          epsilon(1e-5),
        ]),
      ],
      [],
      17,
    );
    const model = fromOnnx(bytes);
    expect(model.layers.map(String)).toEqual(expected);
    const [gamma, beta] = model.layers[1]!.parameters();
    expect([...gamma!.value.data]).toEqual(values(5, 5, 0.5, 1));
    expect([...beta!.value.data]).toEqual(values(5, 6, 0.3));
    const x = inputs(40);
    expectClose(model.predict(x).data, await runOrt(bytes, x));
  });

  it.each([13, 18])(
    'the pattern PyTorch writes at opset %i (Pow, Constant nodes), matching onnxruntime',
    async (opset) => {
      // Opset 18 moved ReduceMean's axes from an attribute to an INT64 input.
      const attribute = opset < 18 ? [{ name: 'axes', type: INTS, ints: [-1] }] : [];
      const axes = opset < 18 ? [] : ['axes'];
      const bytes = layerNormGraph(
        [
          node('/ln/ReduceMean', 'ReduceMean', ['z', ...axes], 'mean', attribute),
          node('/ln/Sub', 'Sub', ['z', 'mean'], 'd'),
          constantNode('two', 2),
          node('/ln/Pow', 'Pow', ['d', 'two'], 'd2'),
          node('/ln/ReduceMean_1', 'ReduceMean', ['d2', ...axes], 'var', attribute),
          constantNode('eps', 1e-5),
          node('/ln/Add', 'Add', ['var', 'eps'], 've'),
          node('/ln/Sqrt', 'Sqrt', ['ve'], 'std'),
          node('/ln/Div', 'Div', ['d', 'std'], 'xhat'),
          node('/ln/Mul', 'Mul', ['xhat', 'ln.weight'], 'scaled'),
          node('/ln/Add_1', 'Add', ['scaled', 'ln.bias'], 'n'),
        ],
        opset < 18 ? [] : [{ name: 'axes', dims: [1], dataType: 7, int64Data: [-1] }],
        opset,
      );
      const model = fromOnnx(bytes);
      expect(model.layers.map(String)).toEqual(expected);
      const [gamma, beta] = model.layers[1]!.parameters();
      expect([...gamma!.value.data]).toEqual(values(5, 5, 0.5, 1));
      expect([...beta!.value.data]).toEqual(values(5, 6, 0.3));
      const x = inputs(40);
      expectClose(model.predict(x).data, await runOrt(bytes, x));
    },
  );

  it('keeps a pattern whose intermediate is used elsewhere as the ops it is (not supported)', () => {
    const axes = [{ name: 'axes', type: INTS, ints: [-1] }];
    const bytes = layerNormGraph(
      [
        node('m', 'ReduceMean', ['z'], 'mean', axes),
        node('s', 'Sub', ['z', 'mean'], 'd'),
        node('sq', 'Mul', ['d', 'd'], 'd2'),
        node('v', 'ReduceMean', ['d2'], 'var', axes),
        node('e', 'Add', ['var', 'eps'], 've'),
        node('r', 'Sqrt', ['ve'], 'std'),
        node('q', 'Div', ['d', 'std'], 'xhat'),
        node('extra', 'Add', ['xhat', 'mean'], 'n'),
      ],
      [scalar('eps', 1e-3)],
      13,
    );
    expect(() => fromOnnx(bytes)).toThrow(/node "m" \(ReduceMean\) is not supported/);
  });
});

describe('fromOnnx folds a batch norm after an activation into the next layer', () => {
  it('Relu, Mul, Add (as tf2onnx writes a folded BatchNormalization), matching onnxruntime', async () => {
    const transB = [{ name: 'transB', type: INT, i: 1 }];
    const bytes = graph(
      [
        node('fc1', 'Gemm', ['x', 'w1', 'b1'], 'z', transB),
        node('relu', 'Relu', ['z'], 'r'),
        node('bn/mul', 'Mul', ['r', 's'], 'm'),
        node('bn/add', 'Add', ['m', 't'], 'n'),
        node('fc2', 'Gemm', ['n', 'w2', 'b2'], 'y', transB),
      ],
      [
        tensor('w1', [5, 4], values(20, 1)),
        tensor('b1', [5], values(5, 2, 0.5, 1)),
        tensor('s', [5], values(5, 5, 0.5, 1)),
        tensor('t', [5], values(5, 6, 0.3)),
        tensor('w2', [3, 5], values(15, 3)),
        tensor('b2', [3], values(3, 4, 0.2)),
      ],
    );
    const model = fromOnnx(bytes);
    expect(model.layers.map(String)).toEqual(['Dense(4 => 5, relu)', 'Dense(5 => 3, linear)']);
    // The Mul and Add fold into the second layer (W·diag(s), b + W·t), not into the first.
    expect([...model.denseLayers[0]!.bias.data]).toEqual(values(5, 2, 0.5, 1));
    const x = inputs(40);
    expectClose(model.predict(x).data, await runOrt(bytes, x));
  });
});

describe('fromOnnx refuses malformed normalisation nodes, naming the node', () => {
  const n = [4];
  const bnInputs = ['x', 'g', 'b', 'm', 'v'];
  const bnTensors = [
    tensor('g', n, values(4, 1, 0.5, 1)),
    tensor('b', n, values(4, 2)),
    tensor('m', n, values(4, 3)),
    tensor('v', n, values(4, 4, 0.5, 1)),
  ];
  const cases: [string, () => Uint8Array, RegExp][] = [
    [
      'BatchNormalization with 4 inputs',
      () => graph([node('bn', 'BatchNormalization', bnInputs.slice(0, 4), 'y')], bnTensors),
      /node "bn" \(BatchNormalization\): expected 5 inputs \(X, scale, B, input_mean, input_var\), found 4/,
    ],
    [
      'BatchNormalization with a scale of 3 values for 4 features',
      () =>
        graph(
          [node('bn', 'BatchNormalization', bnInputs, 'y')],
          [tensor('g', [3], values(3, 1)), ...bnTensors.slice(1)],
        ),
      /node "bn" \(BatchNormalization\): expected scale to have 4 values \(one per feature\), found dims \[3\]/,
    ],
    [
      'BatchNormalization with a negative epsilon',
      () => graph([node('bn', 'BatchNormalization', bnInputs, 'y', [epsilon(-0.5)])], bnTensors),
      /node "bn" \(BatchNormalization\): expected epsilon a finite number > 0, found -0.5/,
    ],
    [
      'BatchNormalization with a negative variance',
      () =>
        graph(
          [node('bn', 'BatchNormalization', bnInputs, 'y')],
          [...bnTensors.slice(0, 3), tensor('v', n, [1, 2, -0.25, 1])],
        ),
      /node "bn" \(BatchNormalization\): expected input_var >= 0, found -0.25 for feature 2/,
    ],
    [
      'BatchNormalization in training mode',
      () =>
        graph(
          [{ ...node('bn', 'BatchNormalization', bnInputs, 'y'), output: ['y', 'rm', 'rv'] }],
          bnTensors,
        ),
      /node "bn" \(BatchNormalization\): expected inference mode \(one output, training_mode 0\), found 3 outputs/,
    ],
    [
      'BatchNormalization with momentum 1.5',
      () =>
        graph(
          [
            node('bn', 'BatchNormalization', bnInputs, 'y', [
              { name: 'momentum', type: FLOAT, f: 1.5 },
            ]),
          ],
          bnTensors,
        ),
      /node "bn" \(BatchNormalization\): expected momentum in \[0, 1\), found 1.5/,
    ],
    [
      'LayerNormalization with 4 inputs',
      () => graph([node('ln', 'LayerNormalization', ['x', 'g', 'b', 'm'], 'y')], bnTensors, 17),
      /node "ln" \(LayerNormalization\): expected 2 or 3 inputs \(X, Scale, B\), found 4/,
    ],
    [
      'LayerNormalization without Scale',
      () => graph([node('ln', 'LayerNormalization', ['x'], 'y')], [], 17),
      /node "ln" \(LayerNormalization\): expected 2 or 3 inputs \(X, Scale, B\), found 1/,
    ],
    [
      'LayerNormalization with a B of 5 values for 4 features',
      () =>
        graph(
          [node('ln', 'LayerNormalization', ['x', 'g', 'b'], 'y')],
          [bnTensors[0]!, tensor('b', [5], values(5, 2))],
          17,
        ),
      /node "ln" \(LayerNormalization\): expected B to have 4 values \(one per feature\), found dims \[5\]/,
    ],
    [
      'LayerNormalization with epsilon 0',
      () => graph([node('ln', 'LayerNormalization', ['x', 'g'], 'y', [epsilon(0)])], bnTensors, 17),
      /node "ln" \(LayerNormalization\): expected epsilon a finite number > 0, found 0/,
    ],
    [
      'LayerNormalization over the batch axis',
      () =>
        graph(
          [node('ln', 'LayerNormalization', ['x', 'g'], 'y', [{ name: 'axis', type: INT, i: 0 }])],
          bnTensors,
          17,
        ),
      /node "ln" \(LayerNormalization\): expected axis -1 or 1 \(the features\), found 0/,
    ],
  ];
  it.each(cases)('%s', (_name, bytes, message) => {
    expect(() => fromOnnx(bytes())).toThrow(ModelFileError);
    expect(() => fromOnnx(bytes())).toThrow(message);
  });
});
