// What relaxed SIMD gains (issue 12, item 3), in CPU time: the default and the fused kernels in
// one process, one thread, in interleaved rounds (the order alternates), so that other processes
// on a shared machine slow both alike and CPU time (process.cpuUsage) ignores the time they take
// the core away. Prints each task's ratio default ÷ relaxed CPU time (> 1: relaxed is faster),
// median with min–max. Run after `npm run build`:
//   node --experimental-wasm-relaxed-simd bench/relaxed-simd.mjs [rounds, default 7]   (Node 20)
import { createBackend, Dense, Matrix, Random, Sequential } from '../packages/core/dist/index.js';
import { loadMnist } from '../packages/datasets/dist/index.js';
import { formatSummary, ratioSummary } from './stats.mjs';

const rounds = Number(process.argv[2] ?? 7);
const backends = {
  plain: createBackend('wasm'),
  relaxed: createBackend('wasm', { relaxedSimd: true }),
};
const random = new Random(3);
const mnist = loadMnist({ compact: true, limit: { train: 6400, test: 10000 } });

/** A float32 matrix in the backend's memory, uniform in [0.05, 1). */
function dense(backend, rows, cols) {
  const m = new Matrix(rows, cols, backend.allocate('float32', rows * cols));
  for (let i = 0; i < m.data.length; i++) m.data[i] = 0.05 + 0.95 * random.uniform();
  return m;
}

/** A network of `layers` on a backend: relu hidden layers, softmax output, seeded. */
const network = (layers, backend) =>
  new Sequential(
    layers
      .slice(1)
      .map(
        (n, i) =>
          new Dense(layers[i], n, { activation: i === layers.length - 2 ? 'softmax' : 'relu' }),
      ),
    { seed: 1, backend },
  );

/** Each task, per backend: a function doing a fixed amount of work. */
function tasks(backend) {
  const product = (n, transposeB, repeat) => {
    const [a, b, c] = [dense(backend, n, n), dense(backend, n, n), dense(backend, n, n)];
    return () => {
      for (let r = 0; r < repeat; r++) backend.gemm(a, false, b, transposeB, c, 1, 0);
    };
  };
  const x = dense(backend, 1024, 784);
  const y = new Matrix(1024, 10);
  for (let r = 0; r < 1024; r++) y.data[r * 10 + (r % 10)] = 1;
  const big = network([784, 1024, 1024, 10], backend);
  const small = network([784, 128, 10], backend);
  const fit = (model, xs, ys) => () =>
    model.fit(xs, ys, { loss: 'crossEntropy', learningRate: 0.01, batchSize: 64, shuffle: false });
  return {
    '512³ C = ABᵀ': product(512, true, 4),
    '512³ C = AB': product(512, false, 4),
    '1024³ C = ABᵀ': product(1024, true, 1),
    '1024³ C = AB': product(1024, false, 1),
    'dense 784-1024-1024-10 training, batch 64 (1,024 examples)': fit(big, x, y),
    'dense 784-1024-1024-10 inference (1,024 rows)': () => big.predict(x),
    'MNIST 784-128-10 training, batch 64 (6,400 examples)': fit(
      small,
      mnist.train.x,
      mnist.train.y,
    ),
    'MNIST 784-128-10 inference (10,000 images)': () => small.predict(mnist.test.x),
  };
}

const work = { plain: tasks(backends.plain), relaxed: tasks(backends.relaxed) };
const cpu = { plain: {}, relaxed: {} };
/** CPU seconds of one call. */
async function cpuSeconds(fn) {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
for (const kind of ['plain', 'relaxed']) for (const fn of Object.values(work[kind])) await fn(); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const name of Object.keys(work.plain)) {
    for (const kind of round % 2 ? ['relaxed', 'plain'] : ['plain', 'relaxed']) {
      (cpu[kind][name] ??= []).push(await cpuSeconds(work[kind][name]));
    }
  }
  console.error(`round ${round + 1}/${rounds}`);
}
console.log(
  `CPU time, default ÷ relaxed (> 1: relaxed faster); ${rounds} rounds, median (min–max):`,
);
for (const name of Object.keys(work.plain)) {
  console.log(
    `  ${name}: ${formatSummary(ratioSummary(cpu.plain[name], cpu.relaxed[name]), 3, '×')}`,
  );
}
