import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelFileError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/model/sequential.js';
import { loadModel, saveModel } from '../../src/io/model-file.js';
import { modelFromJSON, modelToJSON, type ModelJSON } from '../../src/io/model-json.js';
import { floatsToBase64 } from '../../src/io/base64.js';
import type { DType } from '../../src/tensor/matrix.js';

// Lets one test make rename fail after the temporary file was written.
const failRename = vi.hoisted(() => ({ once: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: (from: string, to: string) => {
      if (!failRename.once) return actual.rename(from, to);
      failRename.once = false;
      return Promise.reject(new Error('EIO: simulated failure, rename'));
    },
  };
});

/** A 5-4-3 network with trained (so non-zero, irregular) weights and biases. */
async function trainedModel(dtype: DType): Promise<Sequential> {
  const model = new Sequential(
    [new Dense(5, 4, { activation: 'tanh' }), new Dense(4, 3, { activation: 'softmax' })],
    { dtype, seed: 7 },
  );
  const x = [...Array(12).keys()].map((i) => [...Array(5).keys()].map((j) => Math.sin(i * 5 + j)));
  const y = x.map((_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
  await model.fit(x, y, { loss: 'crossEntropy', learningRate: 0.3, batchSize: 4, epochs: 3 });
  return model;
}

const inputs = [
  [0.1, -0.2, 0.3, 1e-3, 5],
  [-1, 2, -3, 4, -5],
];

/** A fresh copy of a model's JSON, as a file reader would see it. */
function reparsed(model: Sequential): ModelJSON {
  return JSON.parse(JSON.stringify(modelToJSON(model))) as ModelJSON;
}

describe.each(['float32', 'float64'] as const)('modelToJSON / modelFromJSON in %s', (dtype) => {
  it('restores every parameter and prediction bit for bit', async () => {
    const model = await trainedModel(dtype);
    const copy = modelFromJSON(reparsed(model));
    expect(copy.dtype).toBe(dtype);
    expect(copy.seed).toBe(7);
    expect(String(copy)).toBe(String(model));
    copy.layers.forEach((layer, i) => {
      expect(layer.weights.data).toEqual(model.layers[i]!.weights.data);
      expect(layer.bias.data).toEqual(model.layers[i]!.bias.data);
    });
    expect(model.layers[0]!.bias.data.some((b) => b !== 0)).toBe(true);
    expect(copy.predict(inputs).data).toEqual(model.predict(inputs).data);
  });

  it('stores the shape, activation and metadata', async () => {
    const json = modelToJSON(await trainedModel(dtype), { note: 'hi' });
    expect(json).toMatchObject({
      format: 'backprop-model',
      version: 1,
      dtype,
      seed: 7,
      layers: [
        { type: 'Dense', inputs: 5, outputs: 4, activation: 'tanh' },
        { type: 'Dense', inputs: 4, outputs: 3, activation: 'softmax' },
      ],
      metadata: { note: 'hi' },
    });
  });
});

describe('the parameter encoding', () => {
  it('is base64 of little-endian IEEE 754 bytes', () => {
    expect(floatsToBase64(new Float32Array([1]))).toBe('AACAPw=='); // 00 00 80 3f
    expect(floatsToBase64(new Float64Array([1]))).toBe('AAAAAAAA8D8='); // 00 … f0 3f
    expect(floatsToBase64(new Float32Array([-2, 0.5]))).toBe('AAAAwAAAAD8=');
  });

  it('round-trips arrays longer than one encoding chunk', () => {
    const model = new Sequential([new Dense(300, 100)], { dtype: 'float64', seed: 3 });
    const copy = modelFromJSON(reparsed(model));
    expect(copy.layers[0]!.weights.data).toEqual(model.layers[0]!.weights.data);
  });
});

describe('modelFromJSON rejects a bad file, naming the field', () => {
  let good: ModelJSON;
  beforeEach(async () => {
    good = reparsed(await trainedModel('float32'));
  });
  const cases: [string, (json: ModelJSON) => unknown, RegExp][] = [
    ['not an object', () => 'hello', /the model file: expected an object, found "hello"/],
    [
      'a wrong format',
      (j) => ({ ...j, format: 'onnx' }),
      /format: expected "backprop-model", found "onnx"/,
    ],
    ['an unknown version', (j) => ({ ...j, version: 2 }), /version: expected 1, found 2/],
    [
      'a wrong dtype',
      (j) => ({ ...j, dtype: 'int8' }),
      /dtype: expected "float32" or "float64", found "int8"/,
    ],
    [
      'no layers',
      (j) => ({ ...j, layers: [] }),
      /layers: expected a non-empty array, found an array of 0/,
    ],
    [
      'a wrong layer type',
      (j) => ({ ...j, layers: [{ ...j.layers[0], type: 'Conv' }] }),
      /layers\[0\]\.type: expected "Dense", found "Conv"/,
    ],
    [
      'an unknown activation',
      (j) => ({ ...j, layers: [{ ...j.layers[0], activation: 'gelu' }] }),
      /layers\[0\]\.activation: expected one of sigmoid, .*found "gelu"/,
    ],
    [
      'a bad size',
      (j) => ({ ...j, layers: [{ ...j.layers[0], outputs: 0 }] }),
      /layers\[0\]\.outputs: expected a positive integer, found 0/,
    ],
    [
      'layers that do not connect',
      (j) => ({ ...j, layers: [j.layers[0], { ...j.layers[1], inputs: 5 }] }),
      /layers\[1\]\.inputs: expected 4 \(layers\[0\]\.outputs\), found 5/,
    ],
    [
      'truncated weights',
      (j) => ({
        ...j,
        layers: [j.layers[0], { ...j.layers[1], weights: j.layers[1]!.weights.slice(0, -8) }],
      }),
      /layers\[1\]\.weights: expected 12 float32 values \(48 bytes\), found 42 bytes/,
    ],
    [
      'a bias of the wrong length',
      (j) => ({ ...j, layers: [{ ...j.layers[0], bias: 'AACAPw==' }, j.layers[1]] }),
      /layers\[0\]\.bias: expected 4 float32 values \(16 bytes\), found 4 bytes/,
    ],
    [
      'weights that are not base64',
      (j) => ({ ...j, layers: [{ ...j.layers[0], weights: '!!!!' }] }),
      /layers\[0\]\.weights: expected base64 text/,
    ],
    [
      'weights that are not a string',
      (j) => ({ ...j, layers: [{ ...j.layers[0], weights: [1, 2] }] }),
      /layers\[0\]\.weights: expected a base64 string, found an array of 2/,
    ],
    [
      'metadata that is not an object',
      (j) => ({ ...j, metadata: 3 }),
      /metadata: expected an object, found 3/,
    ],
  ];
  it.each(cases)('%s', (_, mutate, message) => {
    expect(() => modelFromJSON(mutate(good))).toThrow(ModelFileError);
    expect(() => modelFromJSON(mutate(good))).toThrow(message);
  });
});

describe('saveModel / loadModel', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'backprop-model-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it.each(['float32', 'float64'] as const)(
    'round-trips a %s model through a file',
    async (dtype) => {
      const model = await trainedModel(dtype);
      const path = join(directory, 'nested', 'deeper', 'm.json');
      await saveModel(model, path, { epochs: 3 });
      const copy = await loadModel(path);
      expect(copy.predict(inputs).data).toEqual(model.predict(inputs).data);
      expect(JSON.parse(readFileSync(path, 'utf8')).metadata).toEqual({ epochs: 3 });
    },
  );

  it('leaves no temporary file behind', async () => {
    const path = join(directory, 'm.json');
    await saveModel(await trainedModel('float32'), path);
    await saveModel(await trainedModel('float64'), path);
    expect(readdirSync(directory)).toEqual(['m.json']);
    expect((await loadModel(path)).dtype).toBe('float64');
  });

  it('keeps the existing file and removes the temporary one when the rename fails', async () => {
    const path = join(directory, 'm.json');
    writeFileSync(path, 'the old model');
    failRename.once = true;
    await expect(saveModel(await trainedModel('float32'), path)).rejects.toThrow(
      /cannot write the model file .*m\.json: EIO: simulated failure/,
    );
    expect(readFileSync(path, 'utf8')).toBe('the old model');
    expect(readdirSync(directory)).toEqual(['m.json']);
  });

  it('fails with ModelFileError when the parent directory is a file, changing nothing', async () => {
    const file = join(directory, 'a-file');
    writeFileSync(file, 'keep me');
    const promise = saveModel(await trainedModel('float32'), join(file, 'm.json'));
    await expect(promise).rejects.toThrow(ModelFileError);
    await expect(promise).rejects.toThrow(/cannot write the model file .*a-file.m\.json/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(readdirSync(directory)).toEqual(['a-file']);
  });

  it('names the file when it is not JSON', async () => {
    const path = join(directory, 'notes.txt');
    writeFileSync(path, 'hello, world');
    await expect(loadModel(path)).rejects.toThrow(ModelFileError);
    await expect(loadModel(path)).rejects.toThrow(
      /notes\.txt: expected a JSON model file, found text that is not JSON/,
    );
  });

  it('names the file and the field when a field is wrong', async () => {
    const path = join(directory, 'm.json');
    writeFileSync(path, JSON.stringify({ ...reparsed(await trainedModel('float32')), version: 9 }));
    await expect(loadModel(path)).rejects.toThrow(/m\.json: version: expected 1, found 9/);
  });

  it('names the file when it is missing', async () => {
    await expect(loadModel(join(directory, 'absent.json'))).rejects.toThrow(
      /cannot read the model file .*absent\.json: ENOENT/,
    );
  });
});
