import { describe, expect, it } from 'vitest';
import {
  ActivationLayer,
  BatchNormalization,
  createBackend,
  Dense,
  Dropout,
  GaussianNoise,
  jsBackend,
  LayerNormalization,
  Random,
  Sequential,
  type Backend,
} from '../../src/index.js';

/**
 * The parity suite for the layers beyond Dense: a model with every layer, trained and then
 * run forward and backward on the reference TypeScript kernels, the WASM SIMD kernels and the
 * WASM kernels split over two threads, in float32; every output, δ and parameter must agree
 * with the js backend to 1e-5 relative (as the kernels must, issue 5).
 */
const BACKENDS: [string, Backend][] = [
  ['wasm', createBackend('wasm')],
  ['wasm×2', createBackend('wasm', { threads: 2, parallelWork: 1 << 10 })],
];

const random = new Random(17);
const x = Array.from({ length: 48 }, () =>
  Array.from({ length: 6 }, () => 2 * random.uniform() - 1),
);
const y = x.map((row) =>
  [0, 1, 2].map((c) => (c === (row[0]! > 0 ? 0 : row[1]! > 0 ? 1 : 2) ? 1 : 0)),
);

async function trained(backend: Backend): Promise<Sequential> {
  const model = new Sequential(
    [
      new GaussianNoise(0.05),
      new Dense(6, 16),
      new BatchNormalization({ momentum: 0.9 }),
      new ActivationLayer({ name: 'elu', alpha: 0.7 }),
      new Dropout(0.25),
      new Dense(16, 8, { activation: 'gelu' }),
      new LayerNormalization(),
      new Dense(8, 3, { activation: 'softmax' }),
    ],
    { seed: 9, backend, inputs: 6 },
  );
  await model.fit(x, y, { loss: 'crossEntropy', learningRate: 0.05, batchSize: 16, epochs: 3 });
  return model;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    expect(Math.abs(actual[i]! - expected[i]!) / scale).toBeLessThan(1e-5);
  }
}

describe.each(BACKENDS)('every layer on %s agrees with js to 1e-5', (_, backend) => {
  it('after training: parameters (moving statistics too), outputs, δ and gradients', async () => {
    const [reference, model] = await Promise.all([trained(jsBackend), trained(backend)]);
    reference.getWeights().forEach((w, i) => expectClose(model.getWeights()[i]!.data, w.data));
    for (const training of [false, true]) {
      reference.random.setState(model.random.getState());
      const a = reference.forward(x, { training });
      const b = model.forward(x, { training });
      a.outputs.forEach((m, k) => expectClose(b.outputs[k]!.data, m.data));
      const ga = reference.backward(a, y, 'crossEntropy');
      const gb = model.backward(b, y, 'crossEntropy');
      ga.delta.forEach((m, l) => expectClose(gb.delta[l]!.data, m.data));
      ga.parameters.forEach((m, i) => expectClose(gb.parameters[i]!.data, m.data));
    }
  });
});
