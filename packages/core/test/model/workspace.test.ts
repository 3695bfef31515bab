import { describe, expect, it } from 'vitest';
import { ByteMatrix, createBackend, Dense, Random, Sequential } from '../../src/index.js';

describe('workspaces: the batch buffers of fit, evaluate and predict', () => {
  it('serve inputs of every length from 1 to 1500 rows without running out of WASM memory', () => {
    // Each new batch size used to allocate its own buffers in the WASM memory, freed only when
    // the garbage collector ran, which WASM memory growth does not trigger: about 770 sizes
    // exhausted the 2 GB memory. Now smaller batches are views of the largest buffers.
    // The inputs' buffer a⁰ (784 float32 per row) alone made the 1500 sizes need 3.5 GB then; a
    // hidden layer of 4 units (128 before) keeps that and makes the test ~30× cheaper.
    const random = new Random(5);
    const bytes = new Uint8Array(1500 * 784).map(() =>
      random.uniform() < 0.8 ? 0 : Math.floor(256 * random.uniform()),
    );
    const x = ByteMatrix.scaled(1500, 784, bytes, 255);
    const model = new Sequential(
      [new Dense(784, 4, { activation: 'relu' }), new Dense(4, 10, { activation: 'softmax' })],
      { seed: 2, backend: createBackend('wasm') },
    );
    const first = Array.from(model.predict(x.rowRange(0, 1)).row(0));
    for (let rows = 2; rows <= 1500; rows++) {
      const out = model.predict(x.rowRange(0, rows));
      expect(out.rows).toBe(rows);
      if (rows % 100 === 0) expect(Array.from(out.row(0))).toEqual(first);
    }
  }, 120_000);
});
