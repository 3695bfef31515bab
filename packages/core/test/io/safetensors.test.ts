import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackpropError, ModelFileError } from '../../src/errors.js';
import { jsBackend } from '../../src/backend/js.js';
import { ActivationLayer } from '../../src/layers/activation.js';
import { BatchNormalization } from '../../src/layers/batch-normalization.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { LayerNormalization } from '../../src/layers/layer-normalization.js';
import { Sequential } from '../../src/model/sequential.js';
import { loadModel, saveModel } from '../../src/io/model-file.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { fromSafetensors, toSafetensors } from '../../src/io/safetensors-model.js';
import { Random } from '../../src/tensor/random.js';

const directory = mkdtempSync(join(tmpdir(), 'safetensors-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A file laid out by hand from the specification: u64 LE length, JSON header, data. */
function handWritten(header: object, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + 4 * data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, json.length, true); // the high 4 bytes of the u64 stay 0
  bytes.set(json, 8);
  data.forEach((v, i) => view.setFloat32(8 + json.length + 4 * i, v, true));
  return bytes;
}

const architecture = {
  format: 'backprop-model',
  version: 3,
  dtype: 'float32',
  seed: 1,
  inputs: 2,
  layers: [{ type: 'Dense', inputs: 2, outputs: 1, activation: 'linear' }],
  metadata: {},
};
const header = {
  '0.weight': { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] },
  '0.bias': { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
  __metadata__: { backprop: JSON.stringify(architecture) },
};

/** A 4-8-8-3 network with every layer the PyTorch layout names, trained a little. */
async function mixedModel(): Promise<Sequential> {
  const model = new Sequential(
    [
      new Dense(4, 8, { activation: 'relu' }),
      new BatchNormalization({ momentum: 0.9 }),
      new Dropout(0.1),
      new Dense(8, 8, { activation: { name: 'leakyRelu', slope: 0.2 } }),
      new LayerNormalization(),
      new ActivationLayer('tanh'),
      new Dense(8, 3, { activation: 'softmax' }),
    ],
    { seed: 3, backend: jsBackend },
  );
  const x = [...Array(32).keys()].map((i) => [0, 1, 2, 3].map((j) => Math.sin(i + 3 * j)));
  const y = x.map((_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
  await model.fit(x, y, { loss: 'crossEntropy', learningRate: 0.1, batchSize: 8, epochs: 2 });
  return model;
}

describe('safetensors files written by hand from the specification', () => {
  it('reads a Dense(2 => 1): 0.5·2 − 1·3 + 0.25 = −1.75', () => {
    const model = fromSafetensors(handWritten(header, [0.5, -1, 0.25]), 'hand.safetensors');
    expect(model.predict([[2, 3]]).data[0]).toBe(-1.75);
  });

  it('lays our files out as the specification says: length, padded JSON, data in order', async () => {
    const model = await mixedModel();
    const bytes = toSafetensors(model);
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(text.trimEnd().length + (length - text.trimEnd().length)).toBe(length); // padded with spaces
    const parsed = JSON.parse(text) as Record<
      string,
      { dtype: string; shape: number[]; data_offsets: number[] }
    >;
    const names = Object.keys(parsed).filter((n) => n !== '__metadata__');
    expect(names).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '2.running_mean',
      '2.running_var',
      '2.num_batches_tracked',
      '4.weight',
      '4.bias',
      '6.weight',
      '6.bias',
      '8.weight',
      '8.bias',
    ]);
    expect(parsed['0.weight']).toEqual({ dtype: 'F32', shape: [8, 4], data_offsets: [0, 128] });
    expect(parsed['2.num_batches_tracked']!.dtype).toBe('I64');
    expect(parsed['2.num_batches_tracked']!.shape).toEqual([]);
    expect(JSON.parse(text)['__metadata__']['torch']).toBe(
      'nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.BatchNorm1d(8, eps=0.001, momentum=0.1), ' +
        'nn.Dropout(0.1), nn.Linear(8, 8), nn.LeakyReLU(0.2), nn.LayerNorm(8, eps=0.001), nn.Tanh(), ' +
        'nn.Linear(8, 3))',
    );
    // Linear weight [out, in] is our W as is: the first 4 floats are W¹'s first row.
    const first = new Float32Array(bytes.slice(8 + length, 8 + length + 16).buffer);
    expect([...first]).toEqual([...model.denseLayers[0]!.weights.data.subarray(0, 4)]);
  });
});

describe('safetensors round trips', () => {
  it('save → load predicts bit-identically, float32 and float64, through saveModel/loadModel', async () => {
    const model = await mixedModel();
    const path = join(directory, 'mixed.safetensors');
    await saveModel(model, path, { format: 'safetensors' });
    const loaded = await loadModel(path, { backend: jsBackend });
    const x = [
      [0.3, -1, 2, 0.5],
      [1, 1, -1, 0],
    ];
    expect(loaded.predict(x).data).toEqual(model.predict(x).data);
    expect(String(loaded)).toBe(String(model));
    const double = new Sequential([new Dense(3, 2, { activation: 'elu' })], {
      dtype: 'float64',
      seed: 2,
    });
    const copy = fromSafetensors(toSafetensors(double), 'f64.safetensors');
    expect(copy.dtype).toBe('float64');
    expect(copy.getWeights()[0]!.data).toEqual(double.getWeights()[0]!.data);
  });

  it('refuses a model PyTorch has no module for, naming the layer', () => {
    const model = new Sequential([new Dense(2, 2, { activation: 'hardSigmoid' })]);
    expect(() => toSafetensors(model)).toThrow(/layers\[0\] \(Dense\).*hardSigmoid/);
  });
});

describe('malformed safetensors files give one ModelFileError naming the file and the problem', () => {
  const good = handWritten(header, [0.5, -1, 0.25]);
  const bad = (bytes: Uint8Array) => () => fromSafetensors(bytes, 'bad.safetensors');
  const withHeader = (h: object, data = [0.5, -1, 0.25]) => bad(handWritten(h, data));

  it('truncated at every length', () => {
    for (let n = 0; n < good.length; n++) {
      expect(bad(good.subarray(0, n)), `first ${n} bytes`).toThrow(ModelFileError);
    }
    expect(bad(good.subarray(0, 5))).toThrow(
      'bad.safetensors: expected a safetensors file of at least 8 bytes, found 5',
    );
    expect(bad(good.subarray(0, good.length - 1))).toThrow(
      'the tensors take 12 bytes of data, found 11 after the header',
    );
  });

  it('a wrong header length', () => {
    const long = good.slice();
    new DataView(long.buffer).setBigUint64(0, 1n << 62n, true);
    expect(bad(long)).toThrow(
      /header length 4611686018427387904 exceeds the \d+ bytes after the 8-byte length prefix/,
    );
    const short = good.slice();
    new DataView(short.buffer).setUint32(0, 20, true);
    expect(bad(short)).toThrow(/bad\.safetensors: the 20-byte header is not UTF-8 JSON/);
  });

  it('wrong shapes, dtypes, offsets and tensors', () => {
    const entry = (name: string, value: object) => ({ ...header, [name]: value });
    expect(
      withHeader(entry('0.weight', { dtype: 'F32', shape: [2, 2], data_offsets: [0, 8] })),
    ).toThrow('tensor 0.weight: data_offsets [0, 8] hold 8 bytes, expected 16 for F32 [2, 2]');
    expect(
      withHeader(entry('0.weight', { dtype: 'F32', shape: [2, 1], data_offsets: [0, 8] })),
    ).toThrow('bad.safetensors: tensor 0.weight: expected shape [1, 2], found [2, 1]');
    expect(
      withHeader(entry('0.weight', { dtype: 'F16', shape: [1, 2], data_offsets: [0, 4] })),
    ).toThrow('tensor 0.weight: dtype: expected one of F32, F64, I64, found "F16"');
    expect(
      withHeader(
        entry('0.bias', { dtype: 'F32', shape: [1], data_offsets: [4, 8] }),
        [0.5, -1, 0.25],
      ),
    ).toThrow('tensor 0.bias: data_offsets start at 4, inside the previous tensor (ends at 8)');
    expect(
      withHeader(
        entry('0.bias', { dtype: 'F32', shape: [1], data_offsets: [12, 16] }),
        [0.5, -1, 0, 0.25],
      ),
    ).toThrow('tensor 0.bias: data_offsets start at 12, leaving a gap after 8');
    expect(withHeader({ ...header, '0.bias': undefined })).toThrow(
      /bad\.safetensors: the tensors take 8 bytes of data, found 12/,
    );
    expect(
      withHeader(
        { ...header, '1.weight': { dtype: 'F32', shape: [1], data_offsets: [12, 16] } },
        [0.5, -1, 0.25, 9],
      ),
    ).toThrow(
      'bad.safetensors: tensor 1.weight is not a parameter of nn.Sequential(nn.Linear(2, 1))',
    );
    expect(withHeader({ ...header, __metadata__: { backprop: 7 } })).toThrow(
      '__metadata__.backprop: expected a string, found 7',
    );
    expect(withHeader({ ...header, __metadata__: {} })).toThrow(
      /__metadata__ has no "backprop" entry/,
    );
    expect(withHeader([1, 2])).toThrow(
      'bad.safetensors: expected a JSON object as the header, found an array of 2',
    );
  });

  it('random corruption of the header never escapes as another error', () => {
    const random = new Random(5);
    for (let trial = 0; trial < 300; trial++) {
      const bytes = good.slice();
      const at = 8 + Math.floor(random.uniform() * (bytes.length - 8 - 12));
      bytes[at] = Math.floor(random.uniform() * 256);
      try {
        fromSafetensors(bytes, 'fuzz.safetensors');
      } catch (error) {
        expect(error).toBeInstanceOf(BackpropError);
        expect((error as Error).message).not.toContain('\n');
      }
    }
    expect(decodeSafetensors(good, 'ok').tensors.size).toBe(2);
  });
});
