import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NeuralNetwork } from 'brain.js';
import { afterAll, describe, expect, it } from 'vitest';
import { jsBackend } from '../../src/backend/js.js';
import { fromBrainJs } from '../../src/io/brainjs.js';
import { loadModel } from '../../src/io/model-file.js';
import { Random } from '../../src/tensor/random.js';

const directory = mkdtempSync(join(tmpdir(), 'brainjs-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const random = new Random(3);
const rows = [...Array(200).keys()].map(() => [0, 1, 2].map(() => random.uniform()));
const data = rows.map((input) => ({
  input,
  output: [input[0]! * input[1]!, input[2]! > 0.5 ? 1 : 0],
}));

describe('brain.js NeuralNetwork import', () => {
  for (const activation of ['sigmoid', 'relu', 'leaky-relu', 'tanh'] as const) {
    it(`${activation}: predicts what net.run() returns on the same inputs`, async () => {
      const net = new NeuralNetwork({ hiddenLayers: [5, 4], activation, leakyReluAlpha: 0.05 });
      net.train(data, { iterations: 50, learningRate: 0.1 });
      const path = join(directory, `${activation}.json`);
      writeFileSync(path, JSON.stringify(net.toJSON()));
      const model = await loadModel(path, { backend: jsBackend });
      const expectedActivation = {
        sigmoid: 'sigmoid',
        relu: 'relu',
        'leaky-relu': 'leakyRelu(0.05)',
        tanh: 'tanh',
      }[activation];
      // brain.js applies its activation in every layer, the output layer included.
      expect(String(model)).toBe(
        `Sequential(Dense(3 => 5, ${expectedActivation}), Dense(5 => 4, ${expectedActivation}), Dense(4 => 2, ${expectedActivation}))`,
      );
      const ours = model.predict(rows).toArray();
      let worst = 0;
      rows.forEach((row, i) => {
        const theirs = net.run(row) as Float32Array;
        for (let j = 0; j < 2; j++) worst = Math.max(worst, Math.abs(ours[i]![j]! - theirs[j]!));
      });
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('maps layers[l].weights[j][k] to W[j][k] exactly (hand-made network)', () => {
    const json = {
      type: 'NeuralNetwork',
      sizes: [2, 1],
      layers: [
        { weights: [], biases: [] },
        { weights: [[0.5, -2]], biases: [0.25] },
      ],
      inputLookup: null,
      outputLookup: null,
      trainOpts: { activation: 'relu' },
    };
    const model = fromBrainJs(json, 'hand.json');
    // relu(0.5·3 − 2·0.5 + 0.25) = 0.75
    expect(model.predict([[3, 0.5]]).data[0]).toBe(0.75);
  });

  it('refuses malformed files, naming the file and the field', () => {
    const base = {
      type: 'NeuralNetwork',
      sizes: [2, 1],
      layers: [
        { weights: [], biases: [] },
        { weights: [[0.5, -2]], biases: [0.25] },
      ],
      trainOpts: { activation: 'sigmoid' },
    };
    const bad = (patch: object) => () => fromBrainJs({ ...base, ...patch }, 'net.json');
    expect(bad({ type: 'RNN' })).toThrow('net.json: type: expected "NeuralNetwork", found "RNN"');
    expect(bad({ sizes: [2] })).toThrow(
      /net\.json: sizes: expected at least two positive integers/,
    );
    expect(bad({ layers: [{}, { weights: [[0.5]], biases: [0] }] })).toThrow(
      /net\.json: layers\[1\]\.weights\[0\]: expected 2 numbers, found/,
    );
    expect(bad({ layers: [{}, { weights: [[0.5, null]], biases: [0] }] })).toThrow(
      'net.json: layers[1].weights[0]: expected finite numbers, found null',
    );
    expect(bad({ trainOpts: { activation: 'softmax' } })).toThrow(
      'net.json: trainOpts.activation: expected one of sigmoid, relu, tanh, leaky-relu, found "softmax"',
    );
    // Sizes far beyond memory fail on the file's own data, before anything is allocated.
    expect(bad({ sizes: [2, 2 ** 40] })).toThrow(
      'net.json: layers[1].weights: expected 1099511627776 rows, found an array of 1',
    );
    expect(bad({ inputLookup: { a: 0, b: 1 } })).toThrow(
      /net\.json: inputLookup: object inputs are not supported/,
    );
  });
});
