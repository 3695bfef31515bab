import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  explain,
  LECTURE_EXAMPLE,
  LECTURE_LEARNING_RATE,
  lectureNetwork,
  Matrix,
  Sequential,
  ShapeError,
} from '../../src/index.js';
// Hand-computed float64 references for the lecture's network and example.
import { expected as reference, expectClose } from '../model/lecture-reference.js';

const values = (m: Matrix) => Array.from(m.data);

const lecture = () =>
  explain(lectureNetwork(), LECTURE_EXAMPLE.x, LECTURE_EXAMPLE.y, {
    loss: 'mse',
    learningRate: LECTURE_LEARNING_RATE,
  });

describe('explain on the lecture network', () => {
  it('gives the hand-computed values of every lecture quantity', () => {
    const e = lecture();
    const [one, two] = e.layers;
    expectClose(one!.z, reference.z1);
    expectClose(one!.a, reference.a1);
    expectClose(two!.z, reference.z2);
    expectClose(two!.a, reference.a2);
    expect(e.loss.value).toBeCloseTo(reference.loss, 15);
    expectClose(two!.delta, reference.delta2);
    expectClose(one!.delta, reference.delta1);
    expectClose(two!.gradWeights, reference.gradW2);
    expectClose(two!.gradBias, reference.delta2);
    expectClose(one!.input, LECTURE_EXAMPLE.x as number[]);
    expect(e.fused).toBe(false);
    expect(e.model).toBe('Sequential(Dense(3 => 3, sigmoid), Dense(3 => 2, sigmoid))');
  });

  it("holds exactly the library's forward and backward values", () => {
    const model = lectureNetwork();
    const trace = model.forward([[...LECTURE_EXAMPLE.x]]);
    const gradients = model.backward(trace, [[...LECTURE_EXAMPLE.y]], 'mse');
    const e = lecture();
    for (const step of e.layers) {
      const l = step.layer;
      expect(values(step.z)).toEqual(values(trace.z[l]!));
      expect(values(step.a)).toEqual(values(trace.a[l]!));
      expect(values(step.delta)).toEqual(values(gradients.delta[l]!));
      expect(values(step.gradWeights)).toEqual(values(gradients.weights[l]!));
      expect(values(step.gradBias)).toEqual(values(gradients.bias[l]!));
    }
  });

  it('shows the terms of the products: ∂L/∂a², σ′(z) = a(1 − a) and (W²)ᵀδ²', () => {
    const [one, two] = lecture().layers;
    expectClose(
      two!.gradA,
      reference.a2.map((a, j) => a - LECTURE_EXAMPLE.y[j]!),
    );
    expectClose(
      two!.derivative!,
      reference.a2.map((a) => a * (1 - a)),
    );
    const W2 = two!.weights;
    expectClose(
      one!.gradA,
      [0, 1, 2].map(
        (k) => W2.get(0, k) * reference.delta2[0]! + W2.get(1, k) * reference.delta2[1]!,
      ),
    );
    // δ¹ = (W²)ᵀδ² ⊙ σ′(z¹), the lecture's recursion, from the printed factors.
    one!.delta.data.forEach((d, k) =>
      expect(d).toBeCloseTo(one!.gradA.data[k]! * one!.derivative!.data[k]!, 15),
    );
  });

  it('takes the SGD step W ← W − η∂L/∂W, as one step of fit with batch size 1', async () => {
    const e = lecture();
    const trained = lectureNetwork();
    await trained.fit([[...LECTURE_EXAMPLE.x]], [[...LECTURE_EXAMPLE.y]], {
      loss: 'mse',
      learningRate: 0.5,
      batchSize: 1,
      epochs: 1,
    });
    for (const step of e.layers) {
      const layer = trained.denseLayers[step.layer - 1]!;
      expectClose(step.updatedWeights, layer.weights.toArray(), 1e-15);
      expectClose(step.updatedBias, layer.bias.toArray(), 1e-15);
      step.updatedWeights.data.forEach((w, i) =>
        expect(w).toBe(step.weights.data[i]! - 0.5 * step.gradWeights.data[i]!),
      );
    }
  });

  it('does not change the model', () => {
    const model = lectureNetwork();
    const before = model.parameters().map(values);
    explain(model, LECTURE_EXAMPLE.x, LECTURE_EXAMPLE.y, { learningRate: 0.5, gradcheck: true });
    expect(model.parameters().map(values)).toEqual(before);
  });

  it('estimates every parameter by central differences within 1e-8 of backprop', () => {
    const e = explain(lectureNetwork(), LECTURE_EXAMPLE.x, LECTURE_EXAMPLE.y, {
      gradcheck: true,
    });
    const check = e.gradcheck!;
    expect(check.entries).toHaveLength(20); // 9 + 3 + 6 + 2
    expect(check.total).toBe(20);
    expect(check.maxRelativeError).toBeLessThan(1e-8);
    expect(check.entries[13]).toMatchObject({ layer: 2, parameter: 'weights', j: 1, k: 2 });
    expect(check.entries[13]!.backprop).toBe(e.layers[1]!.gradWeights.get(0, 1));
  });

  it('checks only the focused unit: its incoming weights and its bias', () => {
    const e = explain(lectureNetwork(), LECTURE_EXAMPLE.x, LECTURE_EXAMPLE.y, {
      gradcheck: true,
      focus: { layer: 1, unit: 2 },
    });
    expect(e.gradcheck!.entries.map((g) => [g.parameter, g.j, g.k])).toEqual([
      ['weights', 2, 1],
      ['weights', 2, 2],
      ['weights', 2, 3],
      ['bias', 2, 1],
    ]);
    expect(e.focus).toEqual({ layer: 1, unit: 2 });
  });
});

describe('explain on other networks', () => {
  it('uses the fused δᴸ = aᴸ − y for softmax with cross-entropy, its default loss', () => {
    const model = new Sequential(
      [new Dense(4, 5, { activation: 'tanh' }), new Dense(5, 3, { activation: 'softmax' })],
      { dtype: 'float64', seed: 3 },
    );
    const e = explain(model, [0.1, -0.2, 0.3, 0.9], [0, 1, 0], { gradcheck: true });
    const output = e.layers[1]!;
    expect(e.loss.name).toBe('crossEntropy');
    expect(e.fused).toBe(true);
    expect(output.derivative).toBeNull();
    output.delta.data.forEach((d, j) => expect(d).toBe(output.a.data[j]! - e.y.data[j]!));
    expect(e.gradcheck!.maxRelativeError).toBeLessThan(1e-7);
  });

  it('summarises a 784-128-10 model by checking only the entries a summary shows', () => {
    const model = new Sequential(
      [new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' })],
      { dtype: 'float32', seed: 1 },
    );
    const x = Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);
    const y = Array.from({ length: 10 }, (_, j) => (j === 3 ? 1 : 0));
    const e = explain(model, x, y, { gradcheck: true, learningRate: 0.1 });
    const check = e.gradcheck!;
    expect(check.total).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(check.entries.length).toBeLessThan(150);
    expect(check.maxRelativeError).toBeLessThan(1e-3); // float32 backprop vs float64 estimates
    expect(e.layers[0]!.gradWeights.shape).toEqual([128, 784]);
  });
});

describe('explain rejects what does not fit', () => {
  const model = lectureNetwork();
  const { x, y } = LECTURE_EXAMPLE;
  it.each([
    [
      { focus: { layer: 3 } },
      /^layer must be an integer from 1 to 2 \(the model's layers\); received 3$/,
    ],
    [{ focus: { layer: 0 } }, /^layer must be an integer from 1 to 2/],
    [
      { focus: { unit: 1 } },
      /^unit needs layer, the unit's layer \(1 to 2\); received unit 1 alone$/,
    ],
    [
      { focus: { layer: 2, unit: 3 } },
      /^unit must be an integer from 1 to 2 \(the units of layer 2\); received 3$/,
    ],
    [{ learningRate: 0 }, /learningRate must be a finite number > 0; received 0/],
    [{ loss: 'squaredHinge' as 'mse' }, /unknown loss "squaredHinge"/],
  ])('%j', (options, message) => {
    expect(() => explain(model, x, y, options)).toThrow(ConfigError);
    expect(() => explain(model, x, y, options)).toThrow(message);
  });

  it('takes one example of the right widths', () => {
    expect(() => explain(model, [1, 2], y)).toThrow(ShapeError);
    expect(() => explain(model, x, [1, 0, 0])).toThrow(/y must have 2 columns/);
    expect(() =>
      explain(
        model,
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow(/explain takes one example; received 2 rows/);
  });
});
