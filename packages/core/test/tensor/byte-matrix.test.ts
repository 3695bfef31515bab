import { describe, expect, it } from 'vitest';
import {
  ByteMatrix,
  DataError,
  Dense,
  Dropout,
  Sequential,
  ShapeError,
  type DType,
} from '../../src/index.js';
import { loadMnist } from '@backpropjs/datasets';

describe('ByteMatrix', () => {
  it('decodes each byte through its table: byte / 255 for scaled pixels', () => {
    const x = ByteMatrix.scaled(2, 3, new Uint8Array([0, 51, 255, 1, 2, 3]), 255);
    expect(x.shape).toEqual([2, 3]);
    expect(x.get(0, 1)).toBe(0.2);
    expect(x.get(1, 2)).toBe(3 / 255);
    expect(x.toMatrix('float64').toArray()).toEqual([
      [0, 0.2, 1],
      [1 / 255, 2 / 255, 3 / 255],
    ]);
    // float32 rounds the float64 value once: fround(51 / 255).
    expect(x.toMatrix('float32').get(0, 1)).toBe(Math.fround(0.2));
    expect(Array.from(x.row(1, 'float64'))).toEqual([1 / 255, 2 / 255, 3 / 255]);
  });

  it('takes a row range as a view of the same bytes', () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const x = ByteMatrix.scaled(3, 2, bytes, 1);
    const tail = x.rowRange(1, 3);
    expect(tail.toMatrix('float64').toArray()).toEqual([
      [3, 4],
      [5, 6],
    ]);
    bytes[2] = 9;
    expect(tail.get(0, 0)).toBe(9);
    expect(() => x.rowRange(2, 4)).toThrow(new ShapeError('rows 2..4 are not within [0, 3]'));
  });

  it('rejects a wrong byte count, a short table and a non-finite value', () => {
    expect(() => ByteMatrix.scaled(2, 2, new Uint8Array(3), 255)).toThrow(
      new ShapeError('a [2, 2] byte matrix needs 4 bytes; received 3'),
    );
    expect(() => new ByteMatrix(1, 1, new Uint8Array(1), [0, 1])).toThrow(
      new DataError('a byte matrix needs 256 values; received 2'),
    );
    expect(() => ByteMatrix.scaled(1, 1, new Uint8Array(1), 0)).toThrow(
      new DataError("a byte matrix's values must be finite; received NaN for byte 0"),
    );
  });

  it('rejects bytes that are not a Uint8Array', () => {
    expect(
      () => new ByteMatrix(1, 2, [1, 2] as unknown as Uint8Array, new Float64Array(256)),
    ).toThrow(new DataError("a byte matrix's bytes must be a Uint8Array; received Array"));
  });

  it('rejects a value that is finite in float64 but not in a float32 model', async () => {
    const values = Array.from({ length: 256 }, (_, b) => b * 1e37);
    const x = new ByteMatrix(1, 2, new Uint8Array([0, 200]), values);
    const model = new Sequential([new Dense(2, 1)], { seed: 1 });
    const message =
      'x must contain only finite numbers; byte 35 stands for 3.5e+38, which is not finite in float32';
    expect(() => model.predict(x)).toThrow(new DataError(message));
    await expect(model.fit(x, [[1]])).rejects.toThrow(new DataError(message));
    const wide = new Sequential([new Dense(2, 1)], { seed: 1, dtype: 'float64' });
    expect(wide.predict(x).get(0, 0)).toBe(wide.predict(x.toMatrix('float64')).get(0, 0));
  });

  it('decodes with its current values after they change', () => {
    const x = ByteMatrix.scaled(1, 2, new Uint8Array([1, 2]), 255);
    const model = new Sequential([new Dense(2, 1)], { seed: 1 });
    const before = model.predict(x).get(0, 0);
    x.values[1] = 100;
    const after = model.predict(x).get(0, 0);
    expect(after).not.toBe(before);
    expect(after).toBe(model.predict(x.toMatrix()).get(0, 0));
  });

  it('goes through forward whole, decoded to the model dtype', () => {
    const x = ByteMatrix.scaled(2, 2, new Uint8Array([0, 51, 255, 7]), 255);
    const model = new Sequential([new Dense(2, 3)], { seed: 1 });
    expect(model.forward(x as never).a[1]!.data).toEqual(model.forward(x.toMatrix()).a[1]!.data);
  });

  it('is checked like a matrix by fit: width and rows', async () => {
    const model = new Sequential([new Dense(3, 1)], { seed: 1 });
    const x = ByteMatrix.scaled(2, 2, new Uint8Array(4), 255);
    await expect(model.fit(x, [[0], [1]])).rejects.toThrow(
      "x must have 3 columns (the model's inputs); received shape [2, 2]",
    );
  });
});

describe('compact MNIST (loadMnist({ compact: true }))', () => {
  const limit = { train: 600, test: 300 };
  const compact = loadMnist({ compact: true, limit });

  it('holds the files’ bytes and decodes them to exactly the float data set', () => {
    expect(compact.train.x).toBeInstanceOf(ByteMatrix);
    expect(compact.train.x.shape).toEqual([600, 784]);
    // Bit for bit: the same typed array class and the same bytes (what toEqual checks element
    // by element, ~30× faster on these 0.5 M pixels; pixels are never NaN).
    const same = (a: Float32Array | Float64Array, b: Float32Array | Float64Array) => {
      expect(a.constructor).toBe(b.constructor);
      expect(a.length).toBe(b.length);
      const bytes = (c: typeof a) => Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      expect(bytes(a).equals(bytes(b))).toBe(true);
    };
    for (const dtype of ['float32', 'float64'] as DType[]) {
      const floats = loadMnist({ dtype, limit });
      same(compact.train.x.toMatrix(dtype).data, floats.train.x.data);
      same(compact.test.x.toMatrix(dtype).data, floats.test.x.data);
    }
  });

  it.each(['float32', 'float64'] as DType[])(
    'trains, evaluates and predicts bit for bit as the float data set does (%s)',
    async (dtype) => {
      const floats = loadMnist({ dtype, limit });
      const run = async (x: ByteMatrix | typeof floats.train.x, test: typeof x) => {
        const model = new Sequential(
          [
            new Dense(784, 32, { activation: 'relu' }),
            new Dropout(0.1),
            new Dense(32, 10, { activation: 'softmax' }),
          ],
          { seed: 3, dtype },
        );
        const history = await model.fit(x, floats.train.y, {
          loss: 'crossEntropy',
          optimizer: 'adam',
          batchSize: 16,
          epochs: 2,
          validationSplit: 0.2,
        });
        return {
          history: history.history,
          weights: model.parameters().map((p) => Array.from(p.data)),
          logs: model.evaluate(test, floats.test.y, { loss: 'crossEntropy' }),
          predictions: model.predict(test).data,
        };
      };
      const fromBytes = await run(compact.train.x, compact.test.x);
      const fromFloats = await run(floats.train.x, floats.test.x);
      expect(fromBytes.weights).toEqual(fromFloats.weights);
      expect(fromBytes.predictions).toEqual(fromFloats.predictions);
      expect(fromBytes.logs).toEqual(fromFloats.logs);
      // Everything but the timings: losses, accuracies, validation, learning rates.
      for (const history of [fromBytes.history, fromFloats.history]) {
        delete history['seconds'];
        delete history['examplesPerSecond'];
      }
      expect(fromBytes.history).toEqual(fromFloats.history);
      expect(fromBytes.logs['accuracy']).toBeGreaterThan(0.6);
    },
    120_000,
  );
});
