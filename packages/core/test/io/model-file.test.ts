import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Preprocessing } from '../../src/data/preprocess.js';
import { ConfigError, ModelFileError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Sequential } from '../../src/model/sequential.js';
import { loadModel, saveModel } from '../../src/io/model-file.js';
import {
  modelFromJSON,
  modelToJSON,
  type DenseJSON,
  type ModelJSON,
} from '../../src/io/model-json.js';
import { floatsToBase64 } from '../../src/io/base64.js';
import type { DType } from '../../src/tensor/matrix.js';

// Lets one test make rename fail after the temporary file was written: the atomic writer loads
// node:fs/promises at run time (process.getBuiltinModule), so the spy goes on that object.
const fsPromises = process.getBuiltinModule('node:fs/promises');

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

/** What a CSV loader would fit for the 5-4-3 network: five number columns, three classes. */
function preprocessing(features = ['a', 'b', 'c', 'd', 'e']): Preprocessing {
  return {
    columns: features.map((name) => ({ name, kind: 'number' })),
    featureNames: features,
    scaling: {
      kind: 'standard',
      offset: features.map((_, j) => j / 3),
      scale: features.map((_, j) => 1 + j / 7),
    },
    task: 'classification',
    targetNames: ['label'],
    classNames: ['x', 'y', 'z'],
  };
}

/** A fresh copy of a model's JSON, as a file reader would see it. */
function reparsed(model: Sequential): ModelJSON {
  return JSON.parse(JSON.stringify(modelToJSON(model))) as ModelJSON;
}

/** The Dense entries of a model file. */
function dense(json: ModelJSON): DenseJSON[] {
  return json.layers.filter((layer): layer is DenseJSON => layer.type === 'Dense');
}

describe.each(['float32', 'float64'] as const)('modelToJSON / modelFromJSON in %s', (dtype) => {
  it('restores every parameter and prediction bit for bit', async () => {
    const model = await trainedModel(dtype);
    const copy = modelFromJSON(reparsed(model));
    expect(copy.dtype).toBe(dtype);
    expect(copy.seed).toBe(7);
    expect(String(copy)).toBe(String(model));
    copy.denseLayers.forEach((layer, i) => {
      expect(layer.weights.data).toEqual(model.denseLayers[i]!.weights.data);
      expect(layer.bias.data).toEqual(model.denseLayers[i]!.bias.data);
    });
    expect(model.denseLayers[0]!.bias.data.some((b) => b !== 0)).toBe(true);
    expect(copy.predict(inputs).data).toEqual(model.predict(inputs).data);
  });

  it('stores the shape, activation and metadata', async () => {
    const json = modelToJSON(await trainedModel(dtype), { note: 'hi' });
    expect(json).toMatchObject({
      format: 'backprop-model',
      version: 3,
      dtype,
      seed: 7,
      inputs: 5,
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
    expect(copy.denseLayers[0]!.weights.data).toEqual(model.denseLayers[0]!.weights.data);
  });
});

describe('modelFromJSON rejects a bad file, naming the field', () => {
  let good: ModelJSON;
  beforeEach(async () => {
    const model = await trainedModel('float32');
    model.preprocessing = preprocessing();
    good = reparsed(model);
  });
  const layer = (j: ModelJSON, i: number) => dense(j)[i]!;
  const cases: [string, (json: ModelJSON) => unknown, RegExp][] = [
    ['not an object', () => 42, /the model file: expected an object, found 42/],
    [
      'text that is not JSON',
      () => 'hello',
      /expected a JSON model file, found text that is not JSON/,
    ],
    ['an array', () => [], /the model file: expected an object, found an array of 0/],
    [
      'a wrong format',
      (j) => ({ ...j, format: 'onnx' }),
      /format: expected "backprop-model", found "onnx"/,
    ],
    ['another version', (j) => ({ ...j, version: 4 }), /version: expected 1, 2 or 3, found 4/],
    [
      'no version',
      (j) => ({ ...j, version: undefined }),
      /version: expected 1, 2 or 3, found nothing/,
    ],
    [
      'a wrong dtype',
      (j) => ({ ...j, dtype: 'int8' }),
      /dtype: expected "float32" or "float64", found "int8"/,
    ],
    [
      'a negative seed',
      (j) => ({ ...j, seed: -1 }),
      /seed: expected a non-negative integer, found -1/,
    ],
    [
      'no layers',
      (j) => ({ ...j, layers: [] }),
      /layers: expected a non-empty array, found an array of 0/,
    ],
    [
      'a wrong layer type',
      (j) => ({ ...j, layers: [{ ...layer(j, 0), type: 'Conv' }] }),
      /layers\[0\]\.type: expected one of "Dense", "Dropout", "GaussianNoise", "Activation", "BatchNormalization", "LayerNormalization", found "Conv"/,
    ],
    [
      'a layer that is not an object',
      (j) => ({ ...j, layers: [5, layer(j, 1)] }),
      /layers\[0\]: expected an object, found 5/,
    ],
    [
      'an unknown activation',
      (j) => ({ ...j, layers: [{ ...layer(j, 0), activation: 'swoosh' }, layer(j, 1)] }),
      /layers\[0\]\.activation: expected one of sigmoid, tanh, relu, leakyRelu, linear, softmax, elu, .*, mish, found "swoosh"/,
    ],
    [
      'a bad size',
      (j) => ({ ...j, layers: [{ ...layer(j, 0), outputs: 0 }] }),
      /layers\[0\]\.outputs: expected a positive integer, found 0/,
    ],
    [
      'layers that do not connect',
      (j) => ({ ...j, layers: [layer(j, 0), { ...layer(j, 1), inputs: 5 }] }),
      /layers\[1\]\.inputs: expected 4 \(layers\[0\]\.outputs\), found 5/,
    ],
    [
      'a truncated weight string',
      (j) => ({
        ...j,
        layers: [layer(j, 0), { ...layer(j, 1), weights: layer(j, 1).weights.slice(0, -8) }],
      }),
      /layers\[1\]\.weights: expected 12 float32 values \(48 bytes\), found 42 bytes/,
    ],
    [
      'weights of another shape than the architecture',
      (j) => ({
        ...j,
        layers: [layer(j, 0), { ...layer(j, 1), weights: floatsToBase64(new Float32Array(16)) }],
      }),
      /layers\[1\]\.weights: expected 12 float32 values \(48 bytes\), found 64 bytes/,
    ],
    [
      'float64 weights in a float32 file',
      (j) => ({
        ...j,
        layers: [layer(j, 0), { ...layer(j, 1), weights: floatsToBase64(new Float64Array(12)) }],
      }),
      /layers\[1\]\.weights: expected 12 float32 values \(48 bytes\), found 96 bytes/,
    ],
    [
      'a bias of the wrong length',
      (j) => ({ ...j, layers: [{ ...layer(j, 0), bias: 'AACAPw==' }, layer(j, 1)] }),
      /layers\[0\]\.bias: expected 4 float32 values \(16 bytes\), found 4 bytes/,
    ],
    [
      'weights cut inside a base64 group',
      (j) => ({ ...j, layers: [{ ...layer(j, 0), weights: 'AACAP' }, layer(j, 1)] }),
      /layers\[0\]\.weights: expected base64 text/,
    ],
    [
      'weights that are not base64',
      (j) => ({ ...j, layers: [{ ...layer(j, 0), weights: '!!!!' }] }),
      /layers\[0\]\.weights: expected base64 text/,
    ],
    [
      'weights that are not a string',
      (j) => ({ ...j, layers: [{ ...layer(j, 0), weights: [1, 2] }] }),
      /layers\[0\]\.weights: expected a base64 string, found an array of 2/,
    ],
    [
      'a Dropout rate of 1',
      (j) => ({ ...j, layers: [layer(j, 0), { type: 'Dropout', rate: 1 }, layer(j, 1)] }),
      /layers\[1\]\.rate: expected a number in \[0, 1\), found 1/,
    ],
    [
      'a non-finite weight',
      (j) => ({
        ...j,
        layers: [
          layer(j, 0),
          { ...layer(j, 1), bias: floatsToBase64(new Float32Array([0, NaN, 1])) },
        ],
      }),
      /layers\[1\]\.bias: expected finite values, found NaN at index 1/,
    ],
    [
      'a BatchNormalization with a bad momentum',
      (j) => ({
        ...j,
        layers: [
          layer(j, 0),
          { type: 'BatchNormalization', momentum: 1, epsilon: 1e-3 },
          layer(j, 1),
        ],
      }),
      /layers\[1\]\.momentum: expected a number in \[0, 1\), found 1/,
    ],
    [
      'metadata that is not an object',
      (j) => ({ ...j, metadata: 3 }),
      /metadata: expected an object, found 3/,
    ],
    [
      'class names that are not strings',
      (j) => ({ ...j, classNames: ['x', 3, 'z'] }),
      /classNames\[1\]: expected a string, found 3/,
    ],
    [
      'class names of another count than the outputs',
      (j) => ({ ...j, classNames: ['x', 'y'], preprocessing: undefined }),
      /classNames: expected 3 names \(the model's outputs\), found 2/,
    ],
    [
      'a repeated class name',
      (j) => ({ ...j, classNames: ['x', 'y', 'x'], preprocessing: undefined }),
      /classNames: expected distinct names, found "x" twice/,
    ],
    [
      'class names that differ from the preprocessing',
      (j) => ({ ...j, classNames: ['x', 'z', 'y'] }),
      /classNames: expected the names of preprocessing\.classNames, found others/,
    ],
    [
      'preprocessing for another number of inputs',
      (j) => ({ ...j, preprocessing: preprocessing(['a', 'b', 'c', 'd']) }),
      /preprocessing\.featureNames: expected 5 names \(the model's inputs\), found 4/,
    ],
    [
      'preprocessing for another number of classes',
      (j) => ({
        ...j,
        classNames: undefined,
        preprocessing: { ...preprocessing(), classNames: ['x', 'y'] },
      }),
      /preprocessing\.classNames: expected 3 names \(the model's outputs\), found 2/,
    ],
    [
      'preprocessing with a wrong field',
      (j) => ({ ...j, preprocessing: { ...preprocessing(), task: 'clustering' } }),
      /^preprocessing\.task: /,
    ],
  ];
  it.each(cases)('%s', (_, mutate, message) => {
    expect(() => modelFromJSON(mutate(good))).toThrow(ModelFileError);
    expect(() => modelFromJSON(mutate(good))).toThrow(message);
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
      await saveModel(model, path, { metadata: { epochs: 3 } });
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
    const model = await trainedModel('float32');
    vi.spyOn(fsPromises, 'rename').mockRejectedValueOnce(
      new Error('EIO: simulated failure, rename'),
    );
    await expect(saveModel(model, path)).rejects.toThrow(
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
    await expect(loadModel(path)).rejects.toThrow(ModelFileError);
    await expect(loadModel(path)).rejects.toThrow(/m\.json: version: expected 1, 2 or 3, found 9/);
  });

  // The malformed files of issue 4 (point 3), read from disk: the message names file and field.
  const broken: [string, (json: ModelJSON) => unknown, RegExp][] = [
    [
      'another version',
      (j) => ({ ...j, version: 1.5 }),
      /version: expected 1, 2 or 3, found 1\.5$/,
    ],
    [
      'a truncated weight string',
      (j) => ({
        ...j,
        layers: [dense(j)[0]!, { ...dense(j)[1]!, weights: dense(j)[1]!.weights.slice(0, 20) }],
      }),
      /layers\[1\]\.weights: expected 12 float32 values \(48 bytes\), found 15 bytes$/,
    ],
    [
      'weights whose shape does not match the architecture',
      (j) => ({
        ...j,
        layers: [
          { ...dense(j)[0]!, weights: floatsToBase64(new Float32Array(4 * 6)) },
          dense(j)[1],
        ],
      }),
      /layers\[0\]\.weights: expected 20 float32 values \(80 bytes\), found 96 bytes$/,
    ],
    [
      'an unknown activation',
      (j) => ({ ...j, layers: [dense(j)[0], { ...dense(j)[1]!, activation: 'swoosh' }] }),
      /layers\[1\]\.activation: expected one of sigmoid, tanh, relu, leakyRelu, linear, softmax, elu, .*, mish, found "swoosh"$/,
    ],
  ];
  it.each(broken)('names the file and the field for %s', async (_, mutate, message) => {
    const path = join(directory, 'broken.json');
    writeFileSync(path, JSON.stringify(mutate(reparsed(await trainedModel('float32')))));
    const error = await loadModel(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('names the file when it is empty', async () => {
    const path = join(directory, 'empty.json');
    writeFileSync(path, '');
    await expect(loadModel(path)).rejects.toThrow(
      /empty\.json: expected a JSON model file, found text that is not JSON/,
    );
  });

  it('keeps class names, preprocessing, dropout and metadata through a file', async () => {
    const model = new Sequential(
      [
        new Dense(5, 4, { activation: 'relu' }),
        new Dropout(0.25),
        new Dense(4, 3, { activation: 'softmax' }),
      ],
      { seed: 2, preprocessing: preprocessing(), metadata: { note: 'kept' } },
    );
    const path = join(directory, 'm.json');
    await saveModel(model, path);
    const copy = await loadModel(path);
    expect(String(copy)).toBe(String(model));
    expect(copy.classNames).toEqual(['x', 'y', 'z']);
    expect(copy.preprocessing).toEqual(preprocessing());
    expect(copy.metadata).toEqual({ note: 'kept' });
    expect(copy.predict(inputs).data).toEqual(model.predict(inputs).data);
  });

  it('names the file when it is missing', async () => {
    await expect(loadModel(join(directory, 'absent.json'))).rejects.toThrow(
      /cannot read the model file .*absent\.json: ENOENT/,
    );
  });
});

describe('model.toJSON / modelFromJSON', () => {
  it('round-trips a plain object bit for bit, and JSON.stringify uses it', async () => {
    const model = await trainedModel('float64');
    const json = model.toJSON();
    expect(JSON.parse(JSON.stringify(model))).toEqual(JSON.parse(JSON.stringify(json)));
    const same = modelFromJSON(json);
    expect(same.predict(inputs).data).toEqual(model.predict(inputs).data);
    const fromText = modelFromJSON(JSON.stringify(model));
    expect(fromText.predict(inputs).data).toEqual(model.predict(inputs).data);
    expect(same).toBeInstanceOf(Sequential);
  });

  it('gives the same JSON again after a round trip (config → object → config)', () => {
    const model = new Sequential(
      [
        new Dense(5, 4, { activation: 'leakyRelu' }),
        new Dropout(0.5),
        new Dense(4, 3, { activation: 'softmax' }),
      ],
      {
        seed: 9,
        preprocessing: preprocessing(),
        classNames: ['x', 'y', 'z'],
        metadata: { a: [1] },
      },
    );
    const json = JSON.parse(JSON.stringify(model.toJSON())) as ModelJSON;
    expect(modelFromJSON(json).toJSON()).toEqual(json);
    expect(json.layers.map((layer) => layer.type)).toEqual(['Dense', 'Dropout', 'Dense']);
  });

  it('reads a version 1 file (no class names, no preprocessing)', async () => {
    const model = await trainedModel('float32');
    const v1: Record<string, unknown> = { ...reparsed(model), version: 1 };
    delete v1['classNames'];
    delete v1['preprocessing'];
    const copy = modelFromJSON(v1);
    expect(copy.predict(inputs).data).toEqual(model.predict(inputs).data);
    expect(copy.classNames).toBeUndefined();
  });

  it('reads a preprocessing stored under metadata by older writers', async () => {
    const json = reparsed(await trainedModel('float32'));
    const copy = modelFromJSON({ ...json, metadata: { preprocessing: preprocessing() } });
    expect(copy.preprocessing).toEqual(preprocessing());
    expect(copy.classNames).toEqual(['x', 'y', 'z']);
    expect(() =>
      modelFromJSON({ ...json, metadata: { preprocessing: preprocessing(['a']) } }),
    ).toThrow(/metadata\.preprocessing\.featureNames: expected 5 names/);
  });

  it('takes class names from the preprocessing unless given', () => {
    const model = new Sequential([new Dense(5, 3, { activation: 'softmax' })], {
      preprocessing: preprocessing(),
    });
    expect(model.classNames).toEqual(['x', 'y', 'z']);
    model.classNames = ['p', 'q', 'r'];
    expect(model.classNames).toEqual(['p', 'q', 'r']);
  });

  it('rejects class names or preprocessing that do not fit the model', () => {
    const model = new Sequential([new Dense(5, 1, { activation: 'sigmoid' })]);
    model.classNames = ['no', 'yes']; // one sigmoid output: negative class first
    expect(() => (model.classNames = ['a', 'b', 'c'])).toThrow(ConfigError);
    expect(() => (model.classNames = ['a', 'b', 'c'])).toThrow(
      /classNames: expected 1 or 2 names \(the model's outputs\), found 3/,
    );
    expect(() => (model.preprocessing = preprocessing(['a']))).toThrow(
      /preprocessing\.featureNames: expected 5 names \(the model's inputs\), found 1/,
    );
  });
});
