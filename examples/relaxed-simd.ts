// Relaxed SIMD: the 'wasm' kernels with fused multiply-adds (f32x4.relaxed_madd), opt-in, where
// the engine has them: Chrome >= 114, Firefox >= 145, Node >= 21, and Node 20 started with
// --experimental-wasm-relaxed-simd (`backprop train --relaxed-simd` sets that flag itself).
// The same seeded training on the default and the fused kernels: the last bits differ.
// test/example-relaxed-simd.test.ts runs it and checks what it computed.
import { createBackend, Dense, Sequential, relaxedSimdAvailable } from '@backpropjs/core';
import { loadMnist } from '@backpropjs/datasets';

const { train, test } = loadMnist({ compact: true, limit: { train: 10000, test: 1000 } });

/** One epoch of MNIST 784-64-10 with a given backend, seeded: the same start for both. */
async function trained(relaxedSimd: boolean) {
  const backend = createBackend('wasm', { relaxedSimd });
  const model = new Sequential(
    [new Dense(784, 64, { activation: 'relu' }), new Dense(64, 10, { activation: 'softmax' })],
    { seed: 1, backend },
  );
  await model.fit(train.x, train.y, { loss: 'crossEntropy', learningRate: 0.1, batchSize: 64 });
  return model;
}

const available = relaxedSimdAvailable();
const plain = await trained(false);
// Without relaxed SIMD, createBackend('wasm', { relaxedSimd: true }) throws a ConfigError.
const fused = available ? await trained(true) : undefined;
const a = plain.predict(test.x);
const b = fused?.predict(test.x);
const largest = b ? Math.max(...a.data.map((v, i) => Math.abs(v - b.data[i]!))) : 0;
console.log({ available, backends: [plain.backend.name, fused?.backend.name], largest });

export { available, fused, largest, plain, test };
