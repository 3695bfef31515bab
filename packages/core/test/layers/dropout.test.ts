import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  Dropout,
  applyDropout,
  gradcheck,
  Matrix,
  Momentum,
  Random,
  Sequential,
} from '../../src/index.js';

function network(rate = 0.5, seed = 3): Sequential {
  return new Sequential(
    [
      new Dense(3, 6, { activation: 'tanh' }),
      new Dropout(rate),
      new Dense(6, 2, { activation: 'sigmoid' }),
    ],
    { dtype: 'float64', seed },
  );
}

const random = new Random(5);
const x = Array.from({ length: 4 }, () => [0, 0, 0].map(() => 2 * random.uniform() - 1));
const y = x.map((row) => [row[0]! > 0 ? 1 : 0, row[1]! > 0 ? 1 : 0]);

describe('Dropout', () => {
  it('drops about p of the inputs and scales the rest by 1/(1 − p), from the seeded generator', () => {
    const a = new Matrix(100, 100, 'float64');
    a.data.fill(2);
    const mask = new Matrix(100, 100, 'float64');
    const out = new Matrix(100, 100, 'float64');
    applyDropout(0.25, new Random(1), a, mask, out);
    const dropped = out.data.filter((v) => v === 0).length;
    expect(dropped / 10000).toBeCloseTo(0.25, 1.5);
    expect(new Set(out.data)).toEqual(new Set([0, 2 / 0.75]));
    expect(new Set(mask.data)).toEqual(new Set([0, 1 / 0.75]));
    // The mean is kept in expectation.
    expect(Array.from(out.data).reduce((s, v) => s + v, 0) / 10000).toBeCloseTo(2, 1);
    // Same seed, same mask.
    const again = new Matrix(100, 100, 'float64');
    applyDropout(0.25, new Random(1), a, new Matrix(100, 100, 'float64'), again);
    expect(Array.from(again.data)).toEqual(Array.from(out.data));
  });

  it('is a layer of its own; the Dense layers keep the lecture index l; toString shows it', () => {
    const model = network(0.2);
    expect(model.layers).toHaveLength(3);
    expect(model.denseLayers).toHaveLength(2);
    expect((model.layers[1] as Dropout).rate).toBe(0.2);
    const trace = model.forward(x, { training: true });
    expect(trace.dropout[1]).toBeUndefined();
    expect(trace.dropout[2]).toBeDefined();
    expect(String(model)).toBe(
      'Sequential(Dense(3 => 6, tanh), Dropout(0.2), Dense(6 => 2, sigmoid))',
    );
  });

  it('is inactive in predict, evaluate and forward: they equal the model without it', () => {
    const withDropout = network(0.5);
    const without = new Sequential(
      [new Dense(3, 6, { activation: 'tanh' }), new Dense(6, 2, { activation: 'sigmoid' })],
      { dtype: 'float64', seed: 3 },
    );
    expect(withDropout.predict(x).toArray()).toEqual(without.predict(x).toArray());
    expect(withDropout.evaluate(x, y, { loss: 'mse' })).toEqual(
      without.evaluate(x, y, { loss: 'mse' }),
    );
    const state = withDropout.random.getState();
    withDropout.predict(x);
    expect(withDropout.random.getState()).toEqual(state); // no masks drawn
  });

  it('applies in a training forward pass: trace.input[2] = a¹ ⊙ mask', () => {
    const trace = network(0.5).forward(x, { training: true });
    const { mask, output } = trace.dropout[2]!;
    expect(trace.input[2]).toBe(output);
    expect(trace.input[1]).toBe(trace.a[0]);
    output.data.forEach((v, i) => expect(v).toBe(trace.a[1]!.data[i]! * mask.data[i]!));
    expect(mask.data.some((m) => m === 0)).toBe(true);
  });

  it('passes gradcheck with its mask held fixed (float64)', () => {
    const model = network(0.5);
    const result = gradcheck(model, x, y, 'binaryCrossEntropy', { training: true });
    expect(result.maxRelativeError).toBeLessThan(1e-6);
    // The check saw the dropped network: its gradients differ from the inference ones.
    const trained = model.backward(model.forward(x, { training: true }), y, 'binaryCrossEntropy');
    const inference = model.backward(model.forward(x), y, 'binaryCrossEntropy');
    expect(Array.from(trained.weights[1]!.data)).not.toEqual(
      Array.from(inference.weights[1]!.data),
    );
  });

  it('trains the same in the fused SGD step and through an optimizer (to 1e-12)', async () => {
    const fused = network(0.5, 9);
    const stepped = network(0.5, 9);
    const options = { loss: 'binaryCrossEntropy', batchSize: 2, epochs: 5 } as const;
    await fused.fit(x, y, { ...options, learningRate: 0.3 });
    await stepped.fit(x, y, {
      ...options,
      optimizer: new Momentum({ learningRate: 0.3, momentum: 0 }),
    });
    fused
      .parameters()
      .forEach((p, i) =>
        p.data.forEach((w, k) =>
          expect(Math.abs(w - stepped.parameters()[i]!.data[k]!)).toBeLessThan(1e-12),
        ),
      );
  });

  it('rejects a rate outside [0, 1); may stand anywhere, even last or twice in a row', () => {
    for (const rate of [1, -0.1, 1.5, NaN]) {
      expect(() => new Dropout(rate)).toThrow(ConfigError);
    }
    expect(() => new Dropout(1)).toThrow(/^Dropout rate must be a number in \[0, 1\); received 1$/);
    const last = new Sequential([new Dense(2, 2), new Dropout(0.5)], { dtype: 'float64' });
    expect(last.predict([[1, 2]]).toArray()).toEqual(
      new Sequential([new Dense(2, 2)], { dtype: 'float64' }).predict([[1, 2]]).toArray(),
    );
    const twice = new Sequential([new Dropout(0.1), new Dropout(0.2), new Dense(2, 2)], {
      inputs: 2,
    });
    expect(twice.layers).toHaveLength(3);
  });
});
