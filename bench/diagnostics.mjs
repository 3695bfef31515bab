// The cost of training diagnostics (issue 14, item 4): one epoch of MNIST 784-128-10 (relu,
// softmax, cross-entropy, SGD η = 0.1, batches of 64, compact inputs) with and without a
// Diagnostics callback, in interleaved rounds (the order alternates), on the default backend.
// Prints each round, the medians with min–max, and the overhead of the medians, in wall-clock
// time and in this process's CPU time (steadier on a machine shared with other processes).
// Run after `npm run build`: node bench/diagnostics.mjs [rounds, default 5] [wasm threads]
// (one thread is less sensitive to other processes on a shared machine).
import { createBackend, Dense, Diagnostics, Sequential } from '../packages/core/dist/index.js';
import { loadMnist } from '../packages/datasets/dist/index.js';

const rounds = Number(process.argv[2] ?? 5);
const backend =
  process.argv[3] === undefined
    ? undefined
    : createBackend('wasm', { threads: Number(process.argv[3]) });
const { train } = loadMnist({ compact: true });

/** Seconds of one epoch, and the diagnostics when on. */
async function epoch(diagnose) {
  const model = new Sequential(
    [new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' })],
    backend ? { seed: 1, backend } : { seed: 1 },
  );
  const diagnostics = diagnose ? new Diagnostics() : undefined;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await model.fit(train.x, train.y, {
    loss: 'crossEntropy',
    learningRate: 0.1,
    batchSize: 64,
    epochs: 1,
    callbacks: diagnostics ? [diagnostics] : [],
  });
  const used = process.cpuUsage(cpu);
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    diagnostics,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
};
const off = [];
const on = [];
const offCpu = [];
const onCpu = [];
let last;
await epoch(false); // warm-up: WASM compilation, JIT
for (let round = 1; round <= rounds; round++) {
  for (const diagnose of round % 2 ? [false, true] : [true, false]) {
    const { seconds, cpuSeconds, diagnostics } = await epoch(diagnose);
    (diagnose ? on : off).push(seconds);
    (diagnose ? onCpu : offCpu).push(cpuSeconds);
    if (diagnostics) last = diagnostics;
  }
  console.log(
    `round ${round}: off ${off.at(-1).toFixed(2)} s (CPU ${offCpu.at(-1).toFixed(2)} s), ` +
      `on ${on.at(-1).toFixed(2)} s (CPU ${onCpu.at(-1).toFixed(2)} s)`,
  );
}
const range = (values) =>
  `median ${median(values).toFixed(2)} s (min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)})`;
const overhead = (a, b) => `${(100 * (median(b) / median(a) - 1)).toFixed(1)}%`;
console.log(`without diagnostics: wall ${range(off)}; CPU ${range(offCpu)}`);
console.log(`with diagnostics:    wall ${range(on)}; CPU ${range(onCpu)}`);
console.log(`overhead of the medians: wall ${overhead(off, on)}, CPU ${overhead(offCpu, onCpu)}`);
const result = last.epochs[0];
console.log(`warnings on this healthy run: ${result.warnings.length}`);
for (const layer of result.layers) console.log(JSON.stringify(layer));
