import { describe, expect, it } from 'vitest';
import {
  ActivationLayer,
  BatchNormalization,
  createBackend,
  Dense,
  Dropout,
  GaussianNoise,
  getLoss,
  jsBackend,
  LayerNormalization,
  Matrix,
  Random,
  Sequential,
  SHARD_ROWS,
  type Backend,
  type FitOptions,
  type Layer,
} from '../../src/index.js';

/**
 * Data-parallel training and inference on the 'wasm' backend (issue 12): a batch is cut into
 * shards of SHARD_ROWS rows whatever the thread count, so a seeded run gives the same bits on
 * 1, 2 and 4 threads; it is the same algorithm as the serial loop, so it agrees with the js
 * backend in float64 to 1e-5 relative.
 */
const WASM: Record<number, Backend> = {
  1: createBackend('wasm'),
  2: createBackend('wasm', { threads: 2 }),
  4: createBackend('wasm', { threads: 4 }),
};

/** 200 rows of 96 inputs, three in four 0 (as MNIST pixels), 10 classes from sums of groups. */
function data(rows: number, seed = 3): { x: Matrix; y: Matrix } {
  const random = new Random(seed);
  const x = new Matrix(rows, 96, 'float32');
  const y = new Matrix(rows, 10, 'float32');
  for (let i = 0; i < rows; i++) {
    const sums = new Array<number>(10).fill(0);
    for (let j = 0; j < x.cols; j++) {
      const value = random.uniform() < 0.75 ? 0 : random.uniform();
      x.set(i, j, value);
      sums[j % 10]! += value;
    }
    y.set(i, sums.indexOf(Math.max(...sums)), 1);
  }
  return { x, y };
}

const { x, y } = data(200);

type Build = () => Layer[];
const MODELS: Record<string, Build> = {
  'Dense relu/softmax': () => [
    new Dense(96, 64, { activation: 'relu' }),
    new Dense(64, 10, { activation: 'softmax' }),
  ],
  'with BatchNormalization': () => [
    new Dense(96, 64),
    new BatchNormalization(),
    new Dense(64, 32, { activation: 'tanh' }),
    new Dense(32, 10, { activation: 'softmax' }),
  ],
  'every layer': () => [
    new GaussianNoise(0.05),
    new Dense(96, 32),
    new BatchNormalization({ momentum: 0.9 }),
    new ActivationLayer({ name: 'elu', alpha: 0.7 }),
    new Dropout(0.25),
    new Dense(32, 16, { activation: 'gelu' }),
    new LayerNormalization(),
    new Dense(16, 10),
    new ActivationLayer('softmax'),
  ],
  'with Dropout': () => [
    new Dense(96, 64, { activation: 'relu' }),
    new Dropout(0.3),
    new Dense(64, 10, { activation: 'softmax' }),
  ],
};

/** Float32 bit patterns of every parameter, and the losses, after a seeded fit. */
async function train(
  build: Build,
  backend: Backend,
  options: Partial<FitOptions>,
  dtype: 'float32' | 'float64' = 'float32',
): Promise<{ model: Sequential; loss: number[]; parameters: Float64Array[] }> {
  const model = new Sequential(build(), { seed: 5, backend, dtype, inputs: 96 });
  const history = await model.fit(x, y, {
    loss: 'crossEntropy',
    learningRate: 0.1,
    epochs: 3,
    ...options,
  });
  const parameters = model.getWeights().map((w) => Float64Array.from(w.data));
  return { model, loss: history.history['loss']!, parameters };
}

function bits(data: ArrayLike<number>): Int32Array {
  return new Int32Array(Float32Array.from(data).buffer);
}

describe('data-parallel training', () => {
  const cases: [string, Build, Partial<FitOptions>][] = [
    ['Dense relu/softmax, SGD, batch 64', MODELS['Dense relu/softmax']!, { batchSize: 64 }],
    ['Dense relu/softmax, SGD, batch 50', MODELS['Dense relu/softmax']!, { batchSize: 50 }],
    [
      'BatchNormalization, momentum, batch 64',
      MODELS['with BatchNormalization']!,
      {
        batchSize: 64,
        optimizer: 'momentum',
      },
    ],
    [
      'Dropout, Adam, batch 50',
      MODELS['with Dropout']!,
      {
        batchSize: 50,
        optimizer: 'adam',
        learningRate: 0.01,
      },
    ],
    [
      'every layer (host phases between shard phases), Adam, batch 50',
      MODELS['every layer']!,
      { batchSize: 50, optimizer: 'adam', learningRate: 0.01 },
    ],
    [
      'Dense, SGD with L2 (gradients stored), batch 64',
      MODELS['Dense relu/softmax']!,
      {
        batchSize: 64,
        l2: 1e-3,
      },
    ],
  ];
  for (const [name, build, options] of cases) {
    // The model with every layer is chaotic here (noise, dropout, two normalisations and Adam:
    // even the serial path drifts 2e-2 from the js backend, measured): held to itself alone.
    const reference = build !== MODELS['every layer'];
    const also = reference ? ', and the js float64 values' : '';
    it(`${name}: the same bits on 1, 2 and 4 threads${also}`, async () => {
      const one = await train(build, WASM[1]!, options);
      for (const threads of [2, 4]) {
        const run = await train(build, WASM[threads]!, options);
        expect(run.loss).toEqual(one.loss);
        run.parameters.forEach((p, i) => expect(bits(p)).toEqual(bits(one.parameters[i]!)));
      }
      expect(one.loss[2]!).toBeLessThan(one.loss[0]!);
      if (!reference) return;
      const js = await train(build, jsBackend, options, 'float64');
      one.loss.forEach((loss, i) => expect(loss).toBeCloseTo(js.loss[i]!, 4));
      one.parameters.forEach((p, i) => {
        const r = js.parameters[i]!;
        for (let j = 0; j < p.length; j++) {
          expect(Math.abs(p[j]! - r[j]!) / Math.max(1, Math.abs(r[j]!))).toBeLessThan(1e-5);
        }
      });
    });
  }

  it(`batch 1 and batches of at most ${SHARD_ROWS} rows keep the fused step (same bits as the serial loop)`, async () => {
    // The serial loop, by hand: forward, then backward with the fused SGD sinks into the
    // parameters, batch by batch, in order (no shuffle).
    for (const batchSize of [1, SHARD_ROWS]) {
      const options = { batchSize, epochs: 1, shuffle: false } as const;
      const { parameters } = await train(MODELS['Dense relu/softmax']!, WASM[2]!, options);
      const model = new Sequential(MODELS['Dense relu/softmax']!(), { seed: 5, backend: WASM[1]! });
      const sinks = model.layers.map((layer) =>
        layer.parameters().map((p) => ({ target: p.value, scale: -0.1, beta: 1 as const })),
      );
      for (let start = 0; start < x.rows; start += batchSize) {
        const rows = Math.min(batchSize, x.rows - start);
        const workspace = model.workspace(rows);
        workspace.trace.a[0]!.data.set(x.rowRange(start, start + rows).data);
        workspace.target.data.set(y.rowRange(start, start + rows).data);
        model.forwardTrace(workspace.trace, true);
        model.backwardTrace(workspace, workspace.target, getLoss('crossEntropy'), sinks);
      }
      model.getWeights().forEach((w, i) => expect(bits(w.data)).toEqual(bits(parameters[i]!)));
    }
  });

  it('a model with a function activation trains with threads 2 (its layer on the calling thread)', async () => {
    const build: Build = () => [
      new Dense(96, 32, {
        activation: {
          name: 'cube',
          g: (z) => (z * z * z) / 10,
          derivative: (z) => (3 * z * z) / 10,
        },
      }),
      new Dense(32, 10, { activation: 'softmax' }),
    ];
    const one = await train(build, WASM[1]!, { batchSize: 64 });
    const two = await train(build, WASM[2]!, { batchSize: 64 });
    expect(two.loss).toEqual(one.loss);
    expect(two.loss[2]!).toBeLessThan(two.loss[0]!);
    two.parameters.forEach((p, i) => expect(bits(p)).toEqual(bits(one.parameters[i]!)));
  });
});

describe('data-parallel inference', () => {
  it('predict and evaluate on 2 and 4 threads equal 1 thread bit for bit', async () => {
    const { model } = await train(MODELS['with BatchNormalization']!, WASM[1]!, { batchSize: 64 });
    const weights = model.getWeights();
    const expected = model.predict(x);
    const options = { loss: 'crossEntropy', metrics: ['accuracy'] } as const;
    const evaluated = model.evaluate(x, y, options);
    for (const threads of [2, 4]) {
      const copy = new Sequential(MODELS['with BatchNormalization']!(), {
        seed: 5,
        backend: WASM[threads]!,
      });
      copy.setWeights(weights);
      expect(bits(copy.predict(x).data)).toEqual(bits(expected.data));
      expect(copy.evaluate(x, y, options)).toEqual(evaluated);
    }
  });
});
