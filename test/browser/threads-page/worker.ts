import {
  Dense,
  Dropout,
  Matrix,
  Random,
  Sequential,
  createBackendAsync,
  type FloatArray,
} from '../../../packages/core/src/browser.js';

// The Web Worker of the threads page: the same seeded run on the 'wasm' backend with one
// thread and with two (this worker and one Web Worker of the pool), reported to the page.

/** One run: the backend's name, the loss per epoch, and the bits of what it computed. */
export interface Run {
  backend: string;
  loss: number[];
  /** Float32 bit patterns (as Int32) of every layer's weights and bias after training. */
  parameters: number[][];
  /** Float32 bit patterns of the predictions for the training inputs. */
  predictions: number[];
}

/** What the worker posts: both runs, or the error that stopped it. */
export type WorkerReport = { crossOriginIsolated: boolean; runs: Run[] } | { error: string };

/** The float32 bit patterns of `data`, as Int32 numbers (so that equal means bit-identical). */
function bits(data: FloatArray): number[] {
  return Array.from(new Int32Array(Float32Array.from(data).buffer));
}

/**
 * 64-128-10, relu, dropout 0.1, softmax, cross-entropy, SGD, 512 seeded examples in batches of
 * 50 (shards of 16, 16, 16 and 2 rows; 12 left for a last batch of one shard), 3 epochs. Its
 * batches train data-parallel: the Dense layers on the threads, shard by shard, the dropout
 * masks on the worker's own thread; `predict` on 512 mostly-zero rows runs its shards on the
 * threads too.
 */
async function run(threads: number): Promise<Run> {
  const backend = await createBackendAsync('wasm', { threads });
  const random = new Random(7);
  const x = new Matrix(512, 64, 'float32');
  const y = new Matrix(512, 10, 'float32');
  for (let i = 0; i < x.rows; i++) {
    // Three inputs in four are 0; the class is the group j mod 10 with the largest sum.
    const sums = new Array<number>(10).fill(0);
    for (let j = 0; j < x.cols; j++) {
      const value = random.uniform() < 0.75 ? 0 : random.uniform();
      x.set(i, j, value);
      sums[j % 10]! += value;
    }
    y.set(i, sums.indexOf(Math.max(...sums)), 1);
  }
  const model = new Sequential(
    [
      new Dense(64, 128, { activation: 'relu' }),
      new Dropout(0.1),
      new Dense(128, 10, { activation: 'softmax' }),
    ],
    { dtype: 'float32', seed: 1, backend },
  );
  const history = await model.fit(x, y, {
    loss: 'crossEntropy',
    learningRate: 0.5,
    batchSize: 50,
    epochs: 3,
  });
  return {
    backend: backend.name,
    loss: history.history['loss']!,
    parameters: model.denseLayers.flatMap((layer) => [
      bits(layer.weights.data),
      bits(layer.bias.data),
    ]),
    predictions: bits(model.predict(x).data),
  };
}

/** Both runs, one after the other (no top-level await: Vite builds workers as scripts). */
async function report(): Promise<WorkerReport> {
  try {
    return { crossOriginIsolated, runs: [await run(1), await run(2)] };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

void report().then((message) => postMessage(message));
