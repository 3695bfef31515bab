import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../packages/core/src/index.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('examples/quick-start.ts, the README library example', () => {
  it('is the README example line for line, except for the export', () => {
    const readme = /## Library\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(read('../README.md'))![1]!;
    const example = read('../examples/quick-start.ts')
      .replace(/^(\/\/.*\n)+/, '') // the header comment
      .replace(/\nexport \{[^}]*\};\n$/, '');
    expect(example).toBe(readme);
  });

  it('runs: exact gradients, a falling loss, and > 90% on MNIST after one epoch', async () => {
    const { model, x, y, trace, grads, history, mnist, test } =
      await import('../examples/quick-start.js');
    expect(trace.a[2]!.shape).toEqual([1, 2]);
    expect(grads.weights[1]!.shape).toEqual([3, 3]);
    expect(grads.delta[2]!.shape).toEqual([1, 2]);
    expect(gradcheck(model, x, y, 'mse').maxRelativeError).toBeLessThan(1e-6);
    const loss = history.history['loss']!;
    expect(loss).toHaveLength(3);
    expect(loss[2]).toBeLessThan(loss[0]!);
    const logs = mnist.evaluate(test.x, test.y, { loss: 'crossEntropy' });
    expect(logs['accuracy']).toBeGreaterThan(0.9);
  }, 120_000);
});

describe('the other examples run and compute what they say', () => {
  it('examples/training.ts: early stopping on Iris, checkpoints written, > 90% on the test flowers', async () => {
    const { checkpoints, history, test } = await import('../examples/training.js');
    expect(history.epoch.length).toBeLessThan(150); // stopped early
    expect(readdirSync(checkpoints)).toContain('checkpoint.json');
    expect(test['accuracy']).toBeGreaterThan(0.9);
  }, 120_000);

  it('examples/layers.ts: every layer trains; > 90% on the test penguins; gradcheck < 1e-6', async () => {
    const { check, history, model, scores } = await import('../examples/layers.js');
    const loss = history.history['loss']!;
    expect(loss.at(-1)).toBeLessThan(loss[0]!);
    expect(scores['accuracy']).toBeGreaterThan(0.9);
    expect(model.layers).toHaveLength(7);
    expect(check.maxRelativeError).toBeLessThan(1e-6);
  }, 120_000);

  it('examples/losses-and-weights.ts: sparse labels, Huber, sample weights, a custom activation', async () => {
    const { cars, copy, history, irisScores, regressor } =
      await import('../examples/losses-and-weights.js');
    expect(irisScores['accuracy']).toBeGreaterThan(0.9);
    const loss = history.history['loss']!;
    expect(loss.at(-1)).toBeLessThan(loss[0]! / 4);
    expect(copy.predict(cars.test.x).data).toEqual(regressor.predict(cars.test.x).data);
  }, 120_000);

  it('examples/threads.ts: data-parallel on 2 threads, the same bits as 1 thread', async () => {
    const { identical, logs, one, two } = await import('../examples/threads.js');
    expect([one.backend.name, two.backend.name]).toEqual(['wasm', 'wasm×2']);
    expect(identical).toBe(true);
    expect(logs['accuracy']).toBeGreaterThan(0.8);
  }, 120_000);

  it('examples/transfer-learning.ts: a frozen first layer, a fine-tuned last layer', async () => {
    const { after, base, before, tuned, unchanged } =
      await import('../examples/transfer-learning.js');
    expect(unchanged).toBe(true);
    expect(tuned.layers[0]).toBe(base.layers[0]); // shared, not re-initialised
    expect(tuned.summary()).toMatch(/Trainable params: 650\nNon-trainable params: 50240$/);
    expect(before['accuracy']).toBeGreaterThan(0.85); // evaluate used crossEntropy, not mse
    expect(after['loss']).toBeLessThan(before['loss']!);
  }, 120_000);

  it('examples/compact-data.ts: bytes in, the same predictions as the float data', async () => {
    const { logs, model, probabilities, test } = await import('../examples/compact-data.js');
    expect(logs['accuracy']).toBeGreaterThan(0.85);
    expect(probabilities.data).toEqual(model.predict(test.x.rowRange(0, 3).toMatrix()).data);
  }, 120_000);

  it('examples/train-in-worker.ts: XOR on a worker_threads thread while this one keeps ticking', async () => {
    const { history, model, ticks, trained, x } = await import('../examples/train-in-worker.js');
    expect(trained).toBe(model);
    expect(history.history['loss']!.at(-1)).toBeLessThan(0.05);
    expect(Array.from(model.predict(x).data, Math.round)).toEqual([0, 1, 1, 0]);
    expect(ticks).toBeGreaterThan(0);
  }, 120_000);

  it('examples/model-files.ts: save, load and ONNX round trips keep the predictions', async () => {
    const { loaded, model, onnx, steps, x } = await import('../examples/model-files.js');
    expect(loaded.predict(x).data).toEqual(model.predict(x).data);
    const difference = onnx.predict(x).data.map((v, i) => Math.abs(v - model.predict(x).data[i]!));
    expect(Math.max(...difference)).toBeLessThan(1e-6);
    expect(steps.layers[1]!.delta.shape).toEqual([1, 3]); // layer 2 (the output): δ² for 3 species
  }, 120_000);
});

describe('examples/interop.ts, the README interop example', () => {
  it('is the README example line for line', () => {
    const readme = /## Interop[\s\S]*?```ts\n[\s\S]*?\n\n([\s\S]*?)```/.exec(
      read('../README.md'),
    )![1]!;
    const example = read('../examples/interop.ts');
    const body = example.slice(example.indexOf('const dir = '), example.indexOf('console.log('));
    expect(readme).toBe(body);
  });

  it('runs: tfjs and safetensors round trips, a brain.js import, a standalone module', async () => {
    const { fromBrain, fromTfjs, fromTorch, model, net, standalone, x } =
      await import('../examples/interop.js');
    expect(fromTorch.predict(x).data).toEqual(model.predict(x).data);
    const tfjs = fromTfjs.predict(x).data;
    model.predict(x).data.forEach((v, i) => expect(tfjs[i]).toBeCloseTo(v, 6));
    const run = net.run([0, 1]) as Float32Array;
    expect(fromBrain.predict([[0, 1]]).data[0]).toBeCloseTo(run[0]!, 6);
    // Bit-identical to the js backend (test/io/standalone.test.ts); the default backend to 1e-6.
    expect(standalone.predict([[0, 1]])[0][0]).toBeCloseTo(fromBrain.predict([[0, 1]]).data[0]!, 6);
  }, 120_000);
});
