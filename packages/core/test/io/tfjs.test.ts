import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsBackend } from '../../src/backend/js.js';
import { ModelFileError } from '../../src/errors.js';
import { ActivationLayer } from '../../src/layers/activation.js';
import { BatchNormalization } from '../../src/layers/batch-normalization.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { LayerNormalization } from '../../src/layers/layer-normalization.js';
import { Sequential } from '../../src/model/sequential.js';
import { loadModel, saveModel } from '../../src/io/model-file.js';
import { Random } from '../../src/tensor/random.js';

const directory = mkdtempSync(join(tmpdir(), 'tfjs-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** 1,000 rows of 6 features in [−2, 2), seeded. */
const random = new Random(11);
const rows = [...Array(1000).keys()].map(() =>
  [...Array(6).keys()].map(() => 4 * random.uniform() - 2),
);

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Saves a tfjs model as files, as tfjs-node's file:// handler would: model.json + weights.bin. */
async function saveTfjs(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      mkdirSync(dir, { recursive: true });
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      writeFileSync(
        join(dir, 'group1-shard1of1.bin'),
        new Uint8Array(artifacts.weightData as ArrayBuffer),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Loads our tfjs output directory into tfjs itself. */
async function loadIntoTfjs(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}

describe('TensorFlow.js layers models', () => {
  it('a model built and trained by tfjs predicts the same in backprop (1e-5, 1,000 rows)', async () => {
    const net = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [6], units: 10, activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({ units: 8, activation: 'tanh' }),
        tf.layers.leakyReLU({ alpha: 0.1 }),
        tf.layers.layerNormalization(),
        tf.layers.dense({ units: 6, activation: 'elu' }),
        tf.layers.activation({ activation: 'sigmoid' }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    net.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = tf.tensor2d(rows);
    const y = tf.oneHot(
      tf.tensor1d(
        rows.map((r) => (r[0]! > 0 ? 0 : r[1]! > 0 ? 1 : 2)),
        'int32',
      ),
      3,
    );
    await net.fit(x, y, { epochs: 3, batchSize: 100, verbose: 0 });
    const dir = join(directory, 'from-tfjs');
    await saveTfjs(net, dir);
    const model = await loadModel(dir, { backend: jsBackend });
    expect(String(model)).toMatch(/^Sequential\(Dense\(6 => 10, relu\), BatchNormalization/);
    const expected = (net.predict(x) as tf.Tensor).dataSync();
    expect(maxDifference(model.predict(rows).data, expected)).toBeLessThan(1e-5);
    // model.json given directly works too
    const again = await loadModel(join(dir, 'model.json'));
    expect(maxDifference(again.predict(rows).data, expected)).toBeLessThan(1e-5);
  }, 60_000);

  it('our export loads in tf.loadLayersModel and predicts the same (1e-5, 1,000 rows)', async () => {
    const model = new Sequential(
      [
        new Dense(6, 12, { activation: { name: 'leakyRelu', slope: 0.05 } }),
        new BatchNormalization({ momentum: 0.9 }),
        new Dropout(0.3),
        new Dense(12, 8, { activation: 'selu' }),
        new LayerNormalization(),
        new ActivationLayer('swish'),
        new Dense(8, 4, { activation: 'softmax' }),
      ],
      { seed: 5 },
    );
    const y = rows.map((r) =>
      [0, 1, 2, 3].map((c) => (c === (r[2]! > 0 ? 0 : 1) + (r[3]! > 0 ? 2 : 0) ? 1 : 0)),
    );
    await model.fit(rows, y, {
      loss: 'crossEntropy',
      learningRate: 0.05,
      batchSize: 50,
      epochs: 2,
    });
    model.classNames = ['a', 'b', 'c', 'd'];
    const dir = join(directory, 'to-tfjs');
    await saveModel(model, dir, { format: 'tfjs' });
    const net = await loadIntoTfjs(dir);
    const theirs = (net.predict(tf.tensor2d(rows)) as tf.Tensor).dataSync();
    const ours = model.predict(rows).data;
    expect(maxDifference(ours, theirs)).toBeLessThan(1e-5);
    const back = await loadModel(dir);
    expect(back.classNames).toEqual(['a', 'b', 'c', 'd']);
    expect(maxDifference(back.predict(rows).data, ours)).toBeLessThan(1e-6);
  }, 60_000);

  it('refuses layers and activations it cannot represent, naming the layer', async () => {
    const dir = join(directory, 'conv');
    const json = {
      format: 'layers-model',
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [
            { class_name: 'Conv1D', config: { name: 'conv1d_1', batch_input_shape: [null, 4, 1] } },
          ],
        },
      },
      weightsManifest: [{ paths: [], weights: [] }],
    };
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(ModelFileError);
    const layers = [
      {
        class_name: 'Dense',
        config: { name: 'd', units: 2, activation: 'relu6', batch_input_shape: [null, 3] },
      },
    ];
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ ...json, modelTopology: { class_name: 'Sequential', config: { layers } } }),
    );
    await expect(loadModel(dir)).rejects.toThrow(
      /model\.json: layer 1 "d" \(Dense\): activation "relu6" is not supported/,
    );
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({
        ...json,
        modelTopology: {
          class_name: 'Sequential',
          config: { layers: [{ class_name: 'Conv2D', config: { name: 'c' } }] },
        },
      }),
    );
    await expect(loadModel(dir)).rejects.toThrow(
      /layer 1 "c" \(Conv2D\): not supported; backprop reads Dense, Dropout/,
    );
    const model = new Sequential([new Dense(2, 2, { activation: { name: 'elu', alpha: 0.5 } })]);
    await expect(saveModel(model, join(directory, 'elu'), { format: 'tfjs' })).rejects.toThrow(
      /layer 1 Dense\(2 => 2, elu\(0\.5\)\): tfjs has no activation/,
    );
  });

  it('bad weight shards: truncated, too long, wrong dtype, a missing shard', async () => {
    const model = new Sequential([new Dense(3, 2, { activation: 'relu' })]);
    const dir = join(directory, 'shards');
    await saveModel(model, dir, { format: 'tfjs' });
    const bin = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), bin.subarray(0, bin.length - 4));
    await expect(loadModel(dir)).rejects.toThrow(
      /model\.json: weight dense_1\/bias: needs bytes 24\.\.32 of shards weights\.bin, which hold 28/,
    );
    writeFileSync(join(dir, 'weights.bin'), Buffer.concat([bin, Buffer.alloc(4)]));
    await expect(loadModel(dir)).rejects.toThrow(
      /shards weights\.bin: expected 32 bytes, found 36/,
    );
    writeFileSync(join(dir, 'weights.bin'), bin);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].weights[0].dtype = 'int32';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(
      /weight dense_1\/kernel: dtype: expected "float32", found "int32"/,
    );
    json.weightsManifest[0].weights[0].dtype = 'float32';
    json.weightsManifest[0].weights[0].shape = [2, 3];
    json.weightsManifest[0].weights[1].shape = [2];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(
      /model\.json: Dense\(3 => 2, relu\): weight kernel: expected shape \[3, 2\], found \[2, 3\]/,
    );
    json.weightsManifest[0].paths = ['absent.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/cannot read the model file .*absent\.bin/);
  });
});
