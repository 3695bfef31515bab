// One Node system of bench/rounds.mjs, in its own process, answering the driver's requests
// (one JSON object per line on stdin, one answer per line on stdout) until stdin ends:
//   node bench/rounds-node.mjs backprop <threads> [relaxed] | onnxruntime <threads> | tfjs-wasm
// Requests: info, setup (build a network, make its data), train, predict, latency, gemm: see
// runRounds in rounds.mjs (requestOf). Timing is done here, around the work only.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { makeData } from './rounds-data.mjs';

const require = createRequire(import.meta.url);
const [library, threadsArg, variant] = process.argv.slice(2);
const threads = Number(threadsArg ?? 1);
const core = await import('../packages/core/dist/index.js');

/** Our network of `layers` (relu hidden layers, softmax output), seeded. */
function ourModel(layers, backend) {
  const dense = layers.slice(1).map(
    (outputs, i) =>
      new core.Dense(layers[i], outputs, {
        activation: i === layers.length - 2 ? 'softmax' : 'relu',
      }),
  );
  return new core.Sequential(dense, { seed: 1, backend });
}

/** Each system: what it is called, and how it trains, predicts and multiplies. */
const systems = {
  async backprop() {
    const backend = core.createBackend('wasm', { threads, relaxedSimd: variant === 'relaxed' });
    return {
      name: `backprop ${backend.name}`,
      build: (layers) => ourModel(layers, backend),
      async train(model, data, batchSize, examples) {
        await model.fit(data.x.rowRange(0, examples), data.y.rowRange(0, examples), {
          loss: 'crossEntropy',
          batchSize,
          learningRate: 0.01,
          epochs: 1,
          shuffle: false,
        });
      },
      predict: (model, x) => model.predict(x),
      gemm(n, transposeB) {
        const square = () => new core.Matrix(n, n, backend.allocate('float32', n * n));
        const [a, b, c] = [square(), square(), square()];
        for (const m of [a, b]) for (let i = 0; i < m.data.length; i++) m.data[i] = (i % 7) - 3;
        // C = A Bᵀ (the forward product Z = XWᵀ) or C = A B (∂L/∂A = ΔW), both in WASM memory.
        return () => backend.gemm(a, false, b, transposeB, c, 1, 0);
      },
    };
  },

  async onnxruntime() {
    const ort = require('onnxruntime-node');
    const { toOnnx, ONNX_INPUT } = await import('../packages/onnx/dist/index.js');
    const options = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    };
    return {
      name: `onnxruntime-node ${require('onnxruntime-node/package.json').version}${threads > 1 ? ` ×${threads}` : ''}`,
      async build(layers) {
        // Our own export of the same network, as a user would hand it to onnxruntime.
        const bytes = toOnnx(ourModel(layers, core.jsBackend));
        const session = await ort.InferenceSession.create(bytes, options);
        return { session, inputs: layers[0] };
      },
      async predict({ session, inputs }, x) {
        const rows = x.data.length / inputs;
        const tensor = new ort.Tensor('float32', x.data, [rows, inputs]);
        return (await session.run({ [ONNX_INPUT]: tensor })).output;
      },
    };
  },

  async 'tfjs-wasm'() {
    // The CommonJS builds, as require() loads them in Node (see system.mjs).
    const tf = require('@tensorflow/tfjs');
    require('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    const logits = (p, x) =>
      p.reduce((a, { w, b }, l) => {
        const z = tf.add(tf.matMul(a, w), b);
        return l === p.length - 1 ? z : tf.relu(z);
      }, x);
    return {
      name: `tfjs-wasm ${tf.version.tfjs}`,
      build: (layers) =>
        layers.slice(1).map((outputs, l) => ({
          w: tf.variable(tf.randomNormal([layers[l], outputs], 0, Math.sqrt(2 / layers[l]))),
          b: tf.variable(tf.zeros([outputs])),
        })),
      async train(p, data, batchSize, examples) {
        const [inputs, outputs] = [data.x.cols, data.y.cols];
        const optimizer = tf.train.sgd(0.01);
        for (let start = 0; start < examples; start += batchSize) {
          const size = Math.min(batchSize, examples - start);
          tf.tidy(() => {
            const xb = tf.tensor2d(
              data.floatX.data.slice(start * inputs, (start + size) * inputs),
              [size, inputs],
            );
            const yb = tf.tensor2d(data.y.data.slice(start * outputs, (start + size) * outputs), [
              size,
              outputs,
            ]);
            optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits(p, xb)));
          });
        }
        optimizer.dispose();
      },
      predict(p, x) {
        const xs = tf.tensor2d(x.data, [x.rows, x.cols]);
        const out = tf.tidy(() => tf.softmax(logits(p, xs)));
        const values = out.dataSync();
        xs.dispose();
        out.dispose();
        return values;
      },
    };
  },
};

const system = await systems[library]();
const networks = new Map();

/** Seconds taken by fn (awaited). */
async function seconds(fn) {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const handlers = {
  info: () => ({ name: system.name }),
  async setup({ id, layers, data }) {
    const made = await makeData(core, data, layers, library === 'backprop');
    networks.set(id, { model: await system.build(layers), data: made });
    return { trainRows: made.x.rows, testRows: made.test.rows };
  },
  async train({ id, batch, examples }) {
    const { model, data } = networks.get(id);
    return { seconds: await seconds(() => system.train(model, data, batch, examples)) };
  },
  async predict({ id, rows, repeat }) {
    const { model, data } = networks.get(id);
    // Ours takes MNIST as bytes (ByteMatrix, decoded per batch), the peers as floats.
    const x =
      library === 'backprop' ? data.test.rowRange(0, rows) : data.floatTest.rowRange(0, rows);
    return {
      seconds: await seconds(async () => {
        for (let r = 0; r < repeat; r++) await system.predict(model, x);
      }),
    };
  },
  async latency({ id, calls }) {
    // One row as a page or a server gets it: a float32 row, one call at a time.
    const { model, data } = networks.get(id);
    const micros = [];
    for (let call = 0; call < calls; call++) {
      const row = data.floatTest.rowRange(call % 100, (call % 100) + 1);
      const start = performance.now();
      await system.predict(model, row);
      micros.push(1000 * (performance.now() - start));
    }
    return { micros };
  },
  async gemm({ n, transposeB, repeat }) {
    const product = system.gemm(n, transposeB);
    return {
      seconds: await seconds(() => {
        for (let r = 0; r < repeat; r++) product();
      }),
    };
  },
};

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  try {
    process.stdout.write(`${JSON.stringify(await handlers[request.op](request))}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error?.stack ?? error) })}\n`);
  }
}
process.exit(0);
