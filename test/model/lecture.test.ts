import { describe, expect, it } from 'vitest';
import { Dense, Matrix, Sequential, Value } from '../../src/index.js';

// The lecture's small network: 3 inputs, 3 sigmoid hidden units, 2 sigmoid outputs, loss
// ½Σ(y − a)², one example. Reference values were computed node by node in float64 from the
// lecture's scalar equations (Python: z_j = Σ_k w_jk a_k + b_j; a = 1/(1 + e^(−z));
// δ²_j = (a_j − y_j) a_j (1 − a_j); δ¹_k = Σ_j w²_jk δ²_j · a¹_k (1 − a¹_k); ∂L/∂w_jk = δ_j a_k).
const x = [[0.5, -1, 2]];
const y = [[1, 0]];
const W1 = [
  [0.1, -0.2, 0.3],
  [0.4, 0.5, -0.6],
  [-0.7, 0.8, 0.9],
];
const b1 = [[0.1, -0.1, 0.2]];
const W2 = [
  [0.2, -0.3, 0.4],
  [-0.5, 0.6, 0.1],
];
const b2 = [[0.05, -0.05]];

const expected = {
  z1: [0.95, -1.6, 0.85],
  a1: [0.7211151780228631, 0.16798161486607552, 0.700567142473973],
  z2: [0.4240554081343392, -0.23971190584438895],
  a2: [0.6044532650000204, 0.44035734822953326],
  loss: 0.17518590685444527,
  delta2: [-0.09457107720139422, 0.10852287768136148],
  delta1: [-0.014716215192342655, 0.013065825044799233, -0.005658861650099078],
  gradW2: [
    [-0.06819663917189732, -0.015886202267914498, -0.06625338931566625],
    [0.07825749425874838, 0.018229848242828688, 0.07602756231028392],
  ],
  gradW1: [
    [-0.007358107596171328, 0.014716215192342655, -0.02943243038468531],
    [0.006532912522399617, -0.013065825044799233, 0.026131650089598467],
    [-0.002829430825049539, 0.005658861650099078, -0.011317723300198156],
  ],
};

function lectureNetwork(): Sequential {
  const model = new Sequential(
    [new Dense(3, 3, { activation: 'sigmoid' }), new Dense(3, 2, { activation: 'sigmoid' })],
    { dtype: 'float64', seed: 1 },
  );
  model.layers[0]!.weights = Matrix.from(W1, 'float64');
  model.layers[0]!.bias.data.set(b1[0]!);
  model.layers[1]!.weights.data.set(W2.flat());
  model.layers[1]!.bias = Matrix.from(b2, 'float64');
  return model;
}

function expectClose(actual: Matrix, reference: number[] | number[][], tolerance = 1e-12) {
  const flat = reference.flat();
  expect(actual.data.length).toBe(flat.length);
  actual.data.forEach((value, i) => expect(Math.abs(value - flat[i]!)).toBeLessThan(tolerance));
}

describe('the lecture network 3-3-2, sigmoid, MSE, one example', () => {
  const model = lectureNetwork();
  const trace = model.forward(x);
  const gradients = model.backward(trace, y, 'mse');

  it('forward propagation gives every zˡ and aˡ', () => {
    expect(trace.a[0]!.toArray()).toEqual(x);
    expect(trace.z[0]!.shape).toEqual([0, 0]);
    expectClose(trace.z[1]!, expected.z1);
    expectClose(trace.a[1]!, expected.a1);
    expectClose(trace.z[2]!, expected.z2);
    expectClose(trace.a[2]!, expected.a2);
  });

  it('reports the loss ½Σ(y − a)²', () => {
    expect(model.evaluate(x, y, { loss: 'mse' })['loss']).toBeCloseTo(expected.loss, 14);
  });

  it('backpropagation gives every δˡ, ∂L/∂Wˡ and ∂L/∂bˡ', () => {
    expectClose(gradients.delta[2]!, expected.delta2);
    expectClose(gradients.delta[1]!, expected.delta1);
    expectClose(gradients.weights[2]!, expected.gradW2);
    expectClose(gradients.weights[1]!, expected.gradW1);
    expectClose(gradients.bias[2]!, expected.delta2); // ∂L/∂bˡ = δˡ
    expectClose(gradients.bias[1]!, expected.delta1);
    expect(gradients.weights[1]!.shape).toEqual([3, 3]);
    expect(gradients.weights[2]!.shape).toEqual([2, 3]);
  });

  it('one SGD step with η = 0.5 moves each weight by −η∂L/∂w', async () => {
    const trained = lectureNetwork();
    await trained.fit(x, y, { loss: 'mse', learningRate: 0.5, batchSize: 1, epochs: 1 });
    const step = W2.flat().map((w, i) => w - 0.5 * expected.gradW2.flat()[i]!);
    expectClose(trained.layers[1]!.weights, step);
    expectClose(
      trained.layers[0]!.bias,
      b1[0]!.map((b, j) => b - 0.5 * expected.delta1[j]!),
    );
  });
});

describe('the scalar differentiator Value as an independent oracle', () => {
  it('gives the same gradients as matrix backpropagation for a batch', () => {
    const model = new Sequential(
      [new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 2, { activation: 'sigmoid' })],
      { dtype: 'float64', seed: 7 },
    );
    const xs = [
      [0.3, -1.2, 0.8],
      [1.5, 0.1, -0.4],
      [-0.7, 0.9, 0.2],
    ];
    const ys = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const gradients = model.backward(model.forward(xs), ys, 'mse');

    // The same network, one Value per weight, loss = mean over the batch of ½Σ(y − a)².
    const params = model.layers.map((layer) => ({
      weights: Array.from(layer.weights.data, (w) => new Value(w)),
      bias: Array.from(layer.bias.data, (b) => new Value(b)),
    }));
    let loss = new Value(0);
    for (let i = 0; i < xs.length; i++) {
      let a: Value[] = xs[i]!.map((v) => new Value(v));
      model.layers.forEach((layer, l) => {
        const p = params[l]!;
        a = Array.from({ length: layer.outputs }, (_, j) => {
          let z = p.bias[j]!;
          for (let k = 0; k < layer.inputs; k++)
            z = z.add(p.weights[j * layer.inputs + k]!.mul(a[k]!));
          return layer.activation.name === 'tanh' ? z.tanh() : z.sigmoid();
        });
      });
      a.forEach((aj, j) => {
        loss = loss.add(
          aj
            .sub(ys[i]![j]!)
            .pow(2)
            .mul(0.5 / xs.length),
        );
      });
    }
    loss.backward();

    params.forEach((p, l) => {
      expectClose(
        gradients.weights[l + 1]!,
        p.weights.map((w) => w.grad),
      );
      expectClose(
        gradients.bias[l + 1]!,
        p.bias.map((b) => b.grad),
      );
    });
  });
});
