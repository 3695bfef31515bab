// One system's measurements for `npm run bench`, in its own process so that its peak RSS is its
// own: `node bench/system.mjs <system> <threads>` prints one JSON object on stdout.
// The workload is the issue's: MNIST 784-128-10, relu/softmax, cross-entropy, plain SGD
// (learning rate 0.1 at batch 64, 0.01 at batch 1), float32.
import { createRequire } from 'node:module';
import { loadMnist } from '../packages/datasets/dist/index.js';

const [system, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg ?? 1);
const RUNS = 3;

/** Seconds taken by fn. */
async function seconds(fn) {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Each adapter trains and predicts with one library. `examples` bounds the slow systems:
 * throughput is measured on the first `examples` training images, accuracy after a full epoch
 * where the system is fast enough to train one.
 */
const adapters = {
  async backprop(backendName) {
    const { Dense, Sequential, createBackend } = await import('../packages/core/dist/index.js');
    const backend = createBackend(backendName, { threads });
    const build = () =>
      new Sequential(
        [
          new Dense(784, 128, { activation: 'relu' }),
          new Dense(128, 10, { activation: 'softmax' }),
        ],
        { seed: 1, backend },
      );
    return {
      name: `backprop ${backend.name}`,
      limits: { batch64: 60000, batch1: backendName === 'js' ? 20000 : 60000 },
      build,
      async train(model, x, y, batchSize, learningRate) {
        await model.fit(x, y, { loss: 'crossEntropy', batchSize, learningRate, epochs: 1 });
      },
      predict: (model, x) => model.predict(x),
      accuracy: (model, x, y) => model.evaluate(x, y, { loss: 'crossEntropy' }).accuracy,
    };
  },

  async tfjs(backendName) {
    // The CommonJS builds, as require() loads them in Node: measured here, the ES-module build
    // of the wasm backend runs several times slower.
    const require = createRequire(import.meta.url);
    const tf = require('@tensorflow/tfjs');
    if (backendName === 'wasm') require('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend(backendName);
    await tf.ready();
    // tfjs's fastest path: variables and optimizer.minimize in a hand-written loop (no fit()).
    const build = () => {
      const he = (fanIn, shape) => tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', 1);
      return {
        w1: tf.variable(he(784, [784, 128])),
        b1: tf.variable(tf.zeros([128])),
        w2: tf.variable(
          tf.randomUniform([128, 10], -Math.sqrt(6 / 138), Math.sqrt(6 / 138), 'float32', 2),
        ),
        b2: tf.variable(tf.zeros([10])),
      };
    };
    const logits = (p, x) =>
      tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, p.w1), p.b1)), p.w2), p.b2);
    return {
      name: `tfjs ${backendName}`,
      limits:
        backendName === 'wasm'
          ? { batch64: 60000, batch1: 5000 }
          : { batch64: 12800, batch1: 2000 },
      build,
      async train(p, x, y, batchSize, learningRate, examples) {
        const optimizer = tf.train.sgd(learningRate);
        // Batches are uploaded from the JS arrays: measured here, slicing one big tensor makes
        // the wasm backend copy all of it back to JS on every slice.
        for (let start = 0; start < examples; start += batchSize) {
          const size = Math.min(batchSize, examples - start);
          tf.tidy(() => {
            const xb = tf.tensor2d(x.data.slice(start * 784, (start + size) * 784), [size, 784]);
            const yb = tf.tensor2d(y.data.slice(start * 10, (start + size) * 10), [size, 10]);
            optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits(p, xb)));
          });
        }
        optimizer.dispose();
      },
      predict(p, x) {
        const xs = tf.tensor2d(x.data, [x.rows, 784]);
        const out = tf.tidy(() => tf.softmax(logits(p, xs)));
        const data = out.dataSync();
        xs.dispose();
        out.dispose();
        return data;
      },
      accuracy(p, x, y) {
        const xs = tf.tensor2d(x.data, [x.rows, 784]);
        const correct = tf.tidy(() =>
          tf.sum(
            tf.cast(
              tf.equal(
                tf.argMax(logits(p, xs), 1),
                tf.argMax(tf.tensor2d(y.data, [y.rows, 10]), 1),
              ),
              'float32',
            ),
          ),
        );
        const value = correct.dataSync()[0] / x.rows;
        xs.dispose();
        correct.dispose();
        return value;
      },
    };
  },

  async brain() {
    const brain = createRequire(import.meta.url)('brain.js');
    const rows = (m, count) =>
      Array.from({ length: count }, (_, i) =>
        Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
      );
    return {
      name: 'brain.js',
      // brain.js has no minibatches: it updates after every example.
      limits: { batch64: 0, batch1: 5000 },
      build: () => new brain.NeuralNetwork({ hiddenLayers: [128], activation: 'relu' }),
      async train(net, x, y, _batchSize, learningRate, examples) {
        const data = rows(x, examples).map((input, i) => ({
          input,
          output: Array.from(y.data.subarray(i * 10, i * 10 + 10)),
        }));
        net.train(data, { iterations: 1, learningRate, errorThresh: 0.0001 });
      },
      predict(net, x) {
        const out = [];
        for (const input of rows(x, x.rows)) out.push(net.run(input));
        return out;
      },
      accuracy() {
        return null;
      },
    };
  },
};

const [library, backendName] = system.split('-');
const adapter = await adapters[library](backendName);
// Ours reads the images as bytes (a ByteMatrix, converted per batch); the peers need floats.
const { train, test } = loadMnist({ compact: library === 'backprop' });

const result = { system: adapter.name, threads };
for (const [key, batchSize, learningRate] of [
  ['batch64', 64, 0.1],
  ['batch1', 1, 0.01],
]) {
  const examples = adapter.limits[key];
  if (examples === 0) continue;
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const model = adapter.build();
    times.push(
      await seconds(() =>
        adapter.train(model, train.x, train.y, batchSize, learningRate, examples),
      ),
    );
    if (key === 'batch64' && run === 0 && examples === 60000) {
      result.accuracyAfterOneEpoch = adapter.accuracy(model, test.x, test.y);
    }
  }
  result[`${key}ExamplesPerSecond`] = examples / median(times);
}
const model = adapter.build();
const [warmBatch, warmExamples] = adapter.limits.batch64 ? [64, 6400] : [1, adapter.limits.batch1];
await adapter.train(model, train.x, train.y, warmBatch, 0.1, warmExamples);
const inference = [];
for (let run = 0; run < RUNS; run++)
  inference.push(await seconds(() => adapter.predict(model, test.x)));
result.inferenceExamplesPerSecond = test.x.rows / median(inference);
result.peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(result));
process.exit(0);
