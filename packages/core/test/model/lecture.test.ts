import { describe, expect, it } from 'vitest';
import { Dense, Matrix, Sequential, Value } from '../../src/index.js';
import { b1, b2, expectClose, expected, W1, W2, x, y } from './lecture-reference.js';

/** The lecture's network built from the reference parameters (not with lectureNetwork()). */
function lectureNetwork(): Sequential {
  const model = new Sequential(
    [new Dense(3, 3, { activation: 'sigmoid' }), new Dense(3, 2, { activation: 'sigmoid' })],
    { dtype: 'float64', seed: 1 },
  );
  model.denseLayers[0]!.weights = Matrix.from(W1, 'float64');
  model.denseLayers[0]!.bias.data.set(b1[0]!);
  model.denseLayers[1]!.weights.data.set(W2.flat());
  model.denseLayers[1]!.bias = Matrix.from(b2, 'float64');
  return model;
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
    expectClose(trained.denseLayers[1]!.weights, step);
    expectClose(
      trained.denseLayers[0]!.bias,
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
    const params = model.denseLayers.map((layer) => ({
      weights: Array.from(layer.weights.data, (w) => new Value(w)),
      bias: Array.from(layer.bias.data, (b) => new Value(b)),
    }));
    let loss = new Value(0);
    for (let i = 0; i < xs.length; i++) {
      let a: Value[] = xs[i]!.map((v) => new Value(v));
      model.denseLayers.forEach((layer, l) => {
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
