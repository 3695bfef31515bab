// One measurement for bench/compare-builds.mjs: trains one epoch and prints examples/second,
// by wall time and by CPU time, as a JSON pair.
//   node bench/train-once.mjs <core dist index.js> <module with loadMnist> <batch size>
const [core, data, batchArg] = process.argv.slice(2);
const batch = Number(batchArg);
const { Dense, Sequential, createBackend } = await import(core);
const { loadMnist } = await import(data);
const examples = batch === 1 ? 5000 : 20000;
const { train } = loadMnist({ compact: true, limit: { train: examples, test: 0 } });
const model = new Sequential(
  [new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' })],
  { seed: 1, backend: createBackend('wasm', { threads: 1 }) },
);
const options = { loss: 'crossEntropy', batchSize: batch, learningRate: batch === 1 ? 0.01 : 0.1 };
// Warm-up on the first 1,000 images (compiles the kernels, touches the memory).
await model.fit(train.x.rowRange(0, 1000), train.y.rowRange(0, 1000), options);
// Wall time, and this process's CPU time (steadier when other processes share the cores; the
// wasm backend runs on this one thread).
const cpu = process.cpuUsage();
const start = performance.now();
await model.fit(train.x, train.y, options);
const wall = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify([examples / wall, examples / ((used.user + used.system) / 1e6)]));
