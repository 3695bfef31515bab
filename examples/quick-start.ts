// The README's library example as a function; the test suite runs it (test/examples.test.ts).
import { Dense, Sequential, gradcheck } from '../src/index.js';

/** Builds the lecture's 3-3-2 sigmoid network, inspects one step of backprop, and trains it. */
export async function quickStart(): Promise<{ before: number; after: number; error: number }> {
  const model = new Sequential(
    [new Dense(3, 3, { activation: 'sigmoid' }), new Dense(3, 2, { activation: 'sigmoid' })],
    { dtype: 'float64', seed: 1 },
  );
  const x = [[0.5, -1, 2]];
  const y = [[1, 0]];

  // Forward propagation: a⁰ = x; zˡ = Wˡaˡ⁻¹ + bˡ; aˡ = σ(zˡ).
  const trace = model.forward(x);
  // Backpropagation: δˡ, ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ and ∂L/∂bˡ = δˡ for l = 1, 2.
  const gradients = model.backward(trace, y, 'mse');
  console.log('δ² =', gradients.delta[2]!.toArray(), '∂L/∂W¹ =', gradients.weights[1]!.toArray());

  // Backprop agrees with central differences.
  const { maxRelativeError } = gradcheck(model, x, y, 'mse');

  const before = model.evaluate(x, y, { loss: 'mse' })['loss']!;
  await model.fit(x, y, { loss: 'mse', learningRate: 0.5, batchSize: 1, epochs: 20 });
  const after = model.evaluate(x, y, { loss: 'mse' })['loss']!;
  console.log(`loss ${before.toFixed(4)} → ${after.toFixed(4)}, gradcheck ${maxRelativeError}`);
  return { before, after, error: maxRelativeError };
}
