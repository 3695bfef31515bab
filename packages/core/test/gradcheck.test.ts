import { describe, it, expect } from 'vitest';
import {
  ACTIVATION_NAMES,
  Dense,
  gradcheck,
  losses,
  Matrix,
  Random,
  Sequential,
  type ActivationName,
  type Loss,
  type LossName,
} from '../src/index.js';

/**
 * gradcheck (central differences, h = 1e-6, float64) against backpropagation on small random
 * networks: every hidden activation × every output activation/loss pair that makes sense.
 *
 * ReLU and leakyRelu have a kink at z = 0, where the one-sided slopes differ and a central
 * difference straddling the kink disagrees with either subgradient. A perturbation of h = 1e-6
 * moves any z by far less than 1e-3 here (inputs and activations are O(1)), so each model is
 * built from the first seed whose every pre-activation has |z| ≥ 1e-3 in every layer whose
 * activation has a kink; the test asserts such a seed exists among the first 50.
 *
 * The checks use h = 1e-5 and a relative-error floor of 1e-4 (not gradcheck's defaults, see the
 * last test): the difference quotient carries a rounding error of about ε·|L|/h ≈ 1e-11 at
 * h = 1e-5 (and ≈ 1e-10 at h = 1e-6), so an entry with |∂L/∂θ| ~ 1e-5 — common behind a
 * leakyRelu's 0.01 slope — can only be certified to 1e-6 relative once tiny gradients are judged
 * by their absolute error (|a − n| / 1e-4). Over 6 × 133 seed offsets tried, the largest error
 * with these options was 3.1e-7.
 */
const OPTIONS = { epsilon: 1e-5, floor: 1e-4 };

const KINKED: readonly ActivationName[] = ['relu', 'leakyRelu'];
const KINK_MARGIN = 1e-3;

/** Output activation, loss and how to draw targets for that pair. */
interface Pairing {
  output: ActivationName;
  loss: LossName;
  targets: 'real' | 'oneHot' | 'probabilityRows' | 'probabilities' | 'binary';
}

const PAIRINGS: Pairing[] = [
  { output: 'linear', loss: 'mse', targets: 'real' },
  { output: 'sigmoid', loss: 'mse', targets: 'probabilities' },
  { output: 'tanh', loss: 'mse', targets: 'real' },
  { output: 'relu', loss: 'mse', targets: 'real' },
  { output: 'leakyRelu', loss: 'mse', targets: 'real' },
  { output: 'softmax', loss: 'mse', targets: 'oneHot' },
  // Fused: δᴸ = a − y.
  { output: 'softmax', loss: 'crossEntropy', targets: 'oneHot' },
  { output: 'softmax', loss: 'crossEntropy', targets: 'probabilityRows' },
  { output: 'sigmoid', loss: 'binaryCrossEntropy', targets: 'binary' },
  { output: 'sigmoid', loss: 'binaryCrossEntropy', targets: 'probabilities' },
  // Not fused: ∂ℓ/∂a through g′ (sigmoid) or the softmax Jacobian.
  { output: 'sigmoid', loss: 'crossEntropy', targets: 'probabilities' },
  { output: 'softmax', loss: 'binaryCrossEntropy', targets: 'binary' },
  { output: 'softmax', loss: 'binaryCrossEntropy', targets: 'probabilities' },
];

const HIDDEN = ACTIVATION_NAMES.filter((name) => name !== 'softmax');

function randomGrid(random: Random, rows: number, cols: number, low = -1, high = 1): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => low + (high - low) * random.uniform()),
  );
}

function targets(kind: Pairing['targets'], random: Random, rows: number, cols: number) {
  switch (kind) {
    case 'real':
      return randomGrid(random, rows, cols, -1, 1);
    case 'probabilities':
      return randomGrid(random, rows, cols, 0.05, 0.95);
    case 'binary':
      return randomGrid(random, rows, cols, 0, 1).map((row) => row.map((v) => (v < 0.5 ? 0 : 1)));
    case 'oneHot':
      return Array.from({ length: rows }, () => {
        const k = random.integer(cols);
        return Array.from({ length: cols }, (_, j) => (j === k ? 1 : 0));
      });
    case 'probabilityRows':
      return randomGrid(random, rows, cols, 0.1, 1).map((row) => {
        const sum = row.reduce((s, v) => s + v, 0);
        return row.map((v) => v / sum);
      });
  }
}

/** The smallest |zˡ| over the layers whose activation has a kink (Infinity if none). */
function kinkDistance(model: Sequential, x: number[][]): number {
  const trace = model.forward(x);
  let smallest = Infinity;
  model.denseLayers.forEach((layer, i) => {
    if (!KINKED.includes(layer.activation.name)) return;
    for (const z of trace.z[i + 1]!.data) smallest = Math.min(smallest, Math.abs(z));
  });
  return smallest;
}

/**
 * A float64 network of the given widths with random (nonzero) biases, and a batch of 3,
 * from the first seed that keeps every kinked z at least KINK_MARGIN from 0.
 */
function checkedSetup(widths: number[], hidden: ActivationName, pairing: Pairing) {
  for (let seed = 1; seed <= 50; seed++) {
    const layers = widths.slice(1).map(
      (outputs, i) =>
        new Dense(widths[i]!, outputs, {
          activation: i === widths.length - 2 ? pairing.output : hidden,
        }),
    );
    const model = new Sequential(layers, { dtype: 'float64', seed });
    const random = new Random(1000 + seed);
    for (const layer of model.denseLayers) {
      for (let j = 0; j < layer.bias.data.length; j++) {
        layer.bias.data[j] = 0.5 * (2 * random.uniform() - 1);
      }
    }
    const x = randomGrid(random, 3, widths[0]!, -1.5, 1.5);
    const y = targets(pairing.targets, random, 3, widths[widths.length - 1]!);
    if (kinkDistance(model, x) >= KINK_MARGIN) return { model, x, y, seed };
  }
  throw new Error(`no seed in 1..50 keeps every ReLU z at least ${KINK_MARGIN} from the kink`);
}

describe('gradcheck', () => {
  for (const widths of [
    [4, 5, 3],
    [3, 4, 4, 2],
  ]) {
    describe(`on a ${widths.join('-')} float64 network, batch 3`, () => {
      for (const hidden of HIDDEN) {
        for (const pairing of PAIRINGS) {
          const name = `${hidden} hidden, ${pairing.output} output, ${pairing.loss} (${pairing.targets} targets)`;
          it(`agrees with backpropagation to 1e-6: ${name}`, () => {
            const { model, x, y } = checkedSetup(widths, hidden, pairing);
            const before = model.parameters().map((p) => Float64Array.from(p.data));
            const result = gradcheck(model, x, y, pairing.loss, OPTIONS);
            expect(result.maxRelativeError).toBeLessThan(1e-6);
            expect(result.perParameter).toHaveLength(2 * model.layers.length);
            expect(result.perParameter.map((p) => `${p.parameter}${p.layer}`)).toEqual(
              model.layers.flatMap((_, i) => [`weights${i + 1}`, `bias${i + 1}`]),
            );
            expect(result.maxRelativeError).toBe(
              Math.max(...result.perParameter.map((p) => p.maxRelativeError)),
            );
            // Every parameter is restored bit for bit.
            model.parameters().forEach((p, i) => expect(p.data).toEqual(before[i]));
          });
        }
      }
    });
  }

  it('accepts Matrix inputs as well as number[][]', () => {
    const pairing = PAIRINGS[0]!;
    const { model, x, y } = checkedSetup([4, 5, 3], 'tanh', pairing);
    const fromArrays = gradcheck(model, x, y, 'mse');
    const fromMatrices = gradcheck(
      model,
      Matrix.from(x, 'float64'),
      Matrix.from(y, 'float64'),
      'mse',
    );
    expect(fromMatrices).toEqual(fromArrays);
  });

  it('detects a wrong gradient: a loss whose ∂ℓ/∂a is doubled gives a relative error near 1/2', () => {
    const doubled: Loss = {
      ...losses.mse,
      gradient(a, y, out) {
        losses.mse.gradient(a, y, out);
        for (let i = 0; i < out.data.length; i++) out.data[i]! *= 2;
      },
    };
    const pairing = PAIRINGS[0]!;
    const { model, x, y } = checkedSetup([4, 5, 3], 'tanh', pairing);
    expect(gradcheck(model, x, y, 'mse', OPTIONS).maxRelativeError).toBeLessThan(1e-6);
    const result = gradcheck(model, x, y, doubled, OPTIONS);
    // |2g − g| / max(|2g|, |g|) = 1/2 for every entry with a nonzero gradient.
    expect(result.maxRelativeError).toBeGreaterThan(0.49);
    expect(result.maxRelativeError).toBeLessThan(0.51);
    for (const check of result.perParameter) expect(check.maxRelativeError).toBeGreaterThan(0.49);
  });

  it('detects a wrong gradient in one layer: a broken activation derivative', () => {
    const pairing = PAIRINGS[0]!;
    const { model, x, y } = checkedSetup([4, 5, 3], 'tanh', pairing);
    const layer = model.denseLayers[0]!;
    const tanh = layer.activation;
    // Replace layer 1's g′ by 1 (as if tanh′ were forgotten): only W¹ and b¹ go wrong.
    Object.defineProperty(layer, 'activation', {
      value: {
        ...tanh,
        backward: (_backend, _z, _a, gradA, delta) => delta.data.set(gradA.data),
      } satisfies typeof tanh,
    });
    const result = gradcheck(model, x, y, 'mse', OPTIONS);
    expect(result.maxRelativeError).toBeGreaterThan(1e-2);
    expect(result.perParameter[0]!.maxRelativeError).toBeGreaterThan(1e-2);
    expect(result.perParameter[1]!.maxRelativeError).toBeGreaterThan(1e-2);
    expect(result.perParameter[2]!.maxRelativeError).toBeLessThan(1e-6);
    expect(result.perParameter[3]!.maxRelativeError).toBeLessThan(1e-6);
  });

  it('checks a float32 model coarsely with its float32 default h = 1e-3', () => {
    const model = new Sequential(
      [new Dense(4, 5, { activation: 'tanh' }), new Dense(5, 3, { activation: 'softmax' })],
      { dtype: 'float32', seed: 3 },
    );
    const random = new Random(3);
    const x = randomGrid(random, 3, 4);
    const y = targets('oneHot', random, 3, 3);
    const result = gradcheck(model, x, y, 'crossEntropy');
    expect(result.maxRelativeError).toBeLessThan(5e-2);
    expect(result.perParameter).toHaveLength(4);
  });

  // BUG (src/gradcheck.ts defaults): with h = 1e-6 the difference quotient has a rounding
  // error of ≈ ε·|L|/h ≈ 1e-10, but the default floor of 1e-6 demands an absolute error of
  // 1e-12 from near-zero entries, so a *correct* leakyRelu network reports a relative error of
  // ≈ 3e-5 with the defaults (2.8e-8 with { epsilon: 1e-5, floor: 1e-4 }).
  it('certifies a correct leakyRelu network to 1e-6 with its default options', () => {
    const model = new Sequential(
      [
        new Dense(3, 4, { activation: 'leakyRelu' }),
        new Dense(4, 4, { activation: 'leakyRelu' }),
        new Dense(4, 2, { activation: 'linear' }),
      ],
      { dtype: 'float64', seed: 1 },
    );
    const random = new Random(7);
    const x = randomGrid(random, 3, 3, -1.5, 1.5);
    const y = randomGrid(random, 3, 2);
    expect(kinkDistance(model, x)).toBeGreaterThan(KINK_MARGIN);
    const tuned = gradcheck(model, x, y, 'mse', OPTIONS);
    expect(tuned.maxRelativeError).toBeLessThan(1e-6);
    // The disagreement is finite-difference noise, not a backprop error:
    for (const check of gradcheck(model, x, y, 'mse').perParameter) {
      expect(check.maxAbsoluteError).toBeLessThan(1e-9);
    }
    expect(gradcheck(model, x, y, 'mse').maxRelativeError).toBeLessThan(1e-6);
  });
});
