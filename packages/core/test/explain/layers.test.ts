import { describe, expect, it } from 'vitest';
import {
  ActivationLayer,
  BatchNormalization,
  Dense,
  Dropout,
  explain,
  explanationToJSON,
  explanationToMarkdown,
  explanationToText,
  LayerNormalization,
  Matrix,
  Sequential,
  type BatchNormalizationState,
  type Explanation,
  type LayerJSON,
  type OtherLayerJSON,
} from '../../src/index.js';
import { expectPrinted } from './printed.js';

const values = (m: Matrix) => Array.from(m.data);
const x = [0.5, -1, 2];
const y = [1, 0];

/** Dense(3, 4, tanh) → BatchNormalization → Dense(4, 2, softmax), with statistics and γ, β ≠ defaults. */
function batchNormModel(): Sequential {
  const model = new Sequential(
    [
      new Dense(3, 4, { activation: 'tanh' }),
      new BatchNormalization(),
      new Dense(4, 2, { activation: 'softmax' }),
    ],
    { dtype: 'float64', seed: 3 },
  );
  const [gamma, beta, mean, variance] = model.layers[1]!.parameters().map((p) => p.value);
  gamma!.data.set([1.5, 0.5, -1, 2]);
  beta!.data.set([0.1, -0.2, 0.3, 0]);
  mean!.data.set([0.2, -0.1, 0.4, 0]);
  variance!.data.set([0.5, 2, 1, 0.25]);
  return model;
}

/** Dense(3, 4) → LayerNormalization → Activation(relu) → Dropout(0.5) → Dense(4, 2, sigmoid). */
function layerNormModel(): Sequential {
  return new Sequential(
    [
      new Dense(3, 4),
      new LayerNormalization(),
      new ActivationLayer('relu'),
      new Dropout(0.5),
      new Dense(4, 2, { activation: 'sigmoid' }),
    ],
    { dtype: 'float64', seed: 4 },
  );
}

/** The JSON entry of the layer at position k (1-based), which is not Dense. */
const other = (e: Explanation, k: number) =>
  explanationToJSON(e).layers[k - 1] as OtherLayerJSON & Record<string, unknown>;

describe('explain with BatchNormalization between Dense layers', () => {
  const model = batchNormModel();
  const e = explain(model, x, y, { learningRate: 0.5, gradcheck: true });
  const trace = model.forward([x]);
  const gradients = model.backward(trace, [y], 'crossEntropy');
  const [W2] = [model.denseLayers[1]!.weights];
  const [gamma, beta, mean, variance] = model.layers[1]!.parameters().map((p) => p.value);

  it('has one JSON entry per layer, in order, holding the trace exactly', () => {
    const json = explanationToJSON(e);
    expect(json.layers).toHaveLength(3);
    expect((json.layers[0] as LayerJSON).layer).toBe(1);
    expect((json.layers[2] as LayerJSON).layer).toBe(2);
    const bn = other(e, 2);
    expect(bn.position).toBe(2);
    expect(bn.className).toBe('BatchNormalization');
    expect(bn.input).toEqual(values(trace.outputs[1]!));
    expect(bn.output).toEqual(values(trace.outputs[2]!));
    expect(bn['xhat']).toEqual(values((trace.states[1] as BatchNormalizationState).xhat));
    expect(bn['mean']).toEqual(values(mean!)); // inference: the moving statistics
    expect(bn['variance']).toEqual(values(variance!));
    expect((json.layers[2] as LayerJSON).input).toEqual(values(trace.input[2]!));
    for (const l of [1, 2]) {
      const dense = json.layers[2 * l - 2] as LayerJSON;
      expect(dense.z).toEqual(values(trace.z[l]!));
      expect(dense.delta).toEqual(values(gradients.delta[l]!));
      expect(dense.gradWeights).toEqual(gradients.weights[l]!.toArray());
    }
    expect(bn.parameters.map((p) => [p.name, p.gradient])).toEqual([
      ['gamma', values(gradients.parameters[2]!)],
      ['beta', values(gradients.parameters[3]!)],
    ]);
  });

  it('passes down ∂L/∂h = (W²)ᵀδ² and ∂L/∂a¹ = γ/√(σ² + ε) ⊙ ∂L/∂h, by float64 formulas', () => {
    const bn = e.steps[1]!;
    if (bn.kind !== 'BatchNormalization') throw new Error('expected BatchNormalization');
    const delta2 = gradients.delta[2]!.data;
    const gradH = [0, 1, 2, 3].map((k) => W2.get(0, k) * delta2[0]! + W2.get(1, k) * delta2[1]!);
    bn.gradOutput.data.forEach((g, k) => expect(g).toBeCloseTo(gradH[k]!, 14));
    const gradA1 = gradH.map(
      (g, j) => (gamma!.data[j]! / Math.sqrt(variance!.data[j]! + 1e-3)) * g,
    );
    bn.gradInput!.data.forEach((g, j) => expect(g).toBeCloseTo(gradA1[j]!, 14));
    // δ¹ = ∂L/∂a¹ ⊙ (1 − (a¹)²) is the library's δ¹: the chain holds through the layer.
    const a1 = trace.a[1]!.data;
    gradients.delta[1]!.data.forEach((d, j) =>
      expect(d).toBeCloseTo(gradA1[j]! * (1 - a1[j]! ** 2), 14),
    );
    expect(e.layers[0]!.gradA.data).toEqual(bn.gradInput!.data);
    // ∂L/∂γ = ∂L/∂h ⊙ x̂ and ∂L/∂β = ∂L/∂h over one example.
    bn.parameters[0]!.gradient.data.forEach((g, j) =>
      expect(g).toBeCloseTo(gradH[j]! * bn.xhat.data[j]!, 14),
    );
    bn.parameters[1]!.gradient.data.forEach((g, j) => expect(g).toBeCloseTo(gradH[j]!, 14));
  });

  it('updates every trainable parameter, γ and β too, by one SGD step', () => {
    const bn = e.steps[1]!;
    for (const p of bn.kind === 'Dense' ? [] : bn.parameters) {
      p.updated.data.forEach((u, i) =>
        expect(u).toBe(p.value.data[i]! - 0.5 * p.gradient.data[i]!),
      );
    }
    expect(values(bn.kind === 'Dense' ? bn.bias : bn.parameters[1]!.value)).toEqual(values(beta!));
    for (const step of e.layers) {
      step.updatedWeights.data.forEach((w, i) =>
        expect(w).toBe(step.weights.data[i]! - 0.5 * step.gradWeights.data[i]!),
      );
    }
  });

  it('checks every parameter, γ and β included, by central differences', () => {
    const check = e.gradcheck!;
    expect(check.total).toBe(12 + 4 + 4 + 4 + 8 + 2);
    expect(check.entries).toHaveLength(check.total);
    expect(check.maxRelativeError).toBeLessThan(1e-7);
    const gammas = check.entries.filter((entry) => entry.parameter === 'gamma');
    expect(gammas.map((entry) => [entry.layer, entry.j])).toEqual([
      [2, 1],
      [2, 2],
      [2, 3],
      [2, 4],
    ]);
    expect(
      check.entries.find((entry) => entry.parameter === 'weights' && entry.layer === 3),
    ).toBeDefined();
  });

  it('prints each step with its numbers, the Dense symbols counting Dense layers', () => {
    const text = explanationToText(e);
    const bn = e.steps[1]!;
    if (bn.kind !== 'BatchNormalization') throw new Error('expected BatchNormalization');
    expect(text).toContain('  layer 2, BatchNormalization(momentum=0.99, epsilon=0.001)\n');
    expectPrinted(text, 'x̂⁽²⁾ = (a¹ − μ⁽²⁾) ⊘ √(σ²⁽²⁾ + ε)', bn.xhat.data);
    expectPrinted(text, 'h⁽²⁾ = γ⁽²⁾ ⊙ x̂⁽²⁾ + β⁽²⁾', trace.outputs[2]!.data);
    expectPrinted(text, 'z² = W²h⁽²⁾ + b²', trace.z[2]!.data);
    expectPrinted(text, '∂L/∂h⁽²⁾ = (W²)ᵀδ²', bn.gradOutput.data);
    expectPrinted(text, '∂L/∂a¹ = γ⁽²⁾ ⊘ √(σ²⁽²⁾ + ε) ⊙ ∂L/∂h⁽²⁾', bn.gradInput!.data);
    expectPrinted(text, '∂L/∂γ⁽²⁾ = ∂L/∂h⁽²⁾ ⊙ x̂⁽²⁾', gradients.parameters[2]!.data);
    expectPrinted(text, 'δ¹ = ∂L/∂a¹ ⊙ tanh′(z¹)', gradients.delta[1]!.data);
    expectPrinted(text, 'γ⁽²⁾ ← γ⁽²⁾ − η ∂L/∂γ⁽²⁾', bn.parameters[0]!.updated.data);
    expect(text).toMatch(/\n {2}γ⁽²⁾\[3\] +-?\d\.\d+ +-?\d\.\d+ +\d\.\de-\d+\n/);
    const md = explanationToMarkdown(e);
    expect(md).toContain('**layer 2, BatchNormalization(momentum=0.99, epsilon=0.001)**');
    expect(md).toContain(
      '$$\\hat{x}^{(2)} = \\frac{a^{1} - \\mu^{(2)}}{\\sqrt{{\\sigma^{2}}^{(2)} + \\epsilon}}$$',
    );
    expect(md).toContain('$$z^{2} = W^{2} h^{(2)} + b^{2}$$');
  });

  it('leaves the model as it was, also after a training pass', () => {
    const before = model.getWeights().map(values);
    const random = model.random.getState();
    const t = explain(model, x, y, { training: true, gradcheck: true });
    expect(model.getWeights().map(values)).toEqual(before);
    expect(model.random.getState()).toEqual(random);
    const bn = t.steps[1]!;
    if (bn.kind !== 'BatchNormalization') throw new Error('expected BatchNormalization');
    // One example's batch statistics: μ = x, σ² = 0, x̂ = 0, and nothing passes down.
    expect(bn.statistics).toBe('batch');
    expect(values(bn.mean)).toEqual(values(bn.input));
    expect(values(bn.xhat)).toEqual([0, 0, 0, 0]);
    expect(values(bn.gradInput!).map((v) => v + 0)).toEqual([0, 0, 0, 0]); // ±0
    expect(t.gradcheck!.maxRelativeError).toBeLessThan(1e-6);
    expect(explanationToJSON(t).training).toBe(true);
  });
});

describe('explain with LayerNormalization, Activation and Dropout', () => {
  const model = layerNormModel();
  const e = explain(model, x, y, { loss: 'mse', learningRate: 0.1, gradcheck: true });
  const trace = model.forward([x]);
  const gradients = model.backward(trace, [y], 'mse');

  it('has one entry per layer in order, each output the trace’s', () => {
    const json = explanationToJSON(e);
    expect(json.layers.map((layer) => ('className' in layer ? layer.className : 'Dense'))).toEqual([
      'Dense',
      'LayerNormalization',
      'Activation',
      'Dropout',
      'Dense',
    ]);
    for (const k of [2, 3, 4]) expect(other(e, k).output).toEqual(values(trace.outputs[k]!));
    expect(other(e, 4)['mask']).toBeNull();
    expect(explanationToText(e)).toContain('(Dropout is the identity in inference)');
  });

  it('normalises by the example’s μ and σ², and passes down the docstring’s gradient', () => {
    const ln = e.steps[1]!;
    if (ln.kind !== 'LayerNormalization') throw new Error('expected LayerNormalization');
    const input = values(trace.outputs[1]!);
    const mu = input.reduce((s, v) => s + v, 0) / 4;
    const variance = input.reduce((s, v) => s + (v - mu) ** 2, 0) / 4;
    expect(ln.mean.data[0]).toBeCloseTo(mu, 15);
    expect(ln.variance.data[0]).toBeCloseTo(variance, 15);
    const xhat = input.map((v) => (v - mu) / Math.sqrt(variance + 1e-3));
    ln.xhat.data.forEach((v, j) => expect(v).toBeCloseTo(xhat[j]!, 14));
    // ∂L/∂h⁽²⁾ is what the Activation passed down: ∂L/∂h⁽³⁾ ⊙ ReLU′(h⁽²⁾).
    const act = e.steps[2]!;
    if (act.kind !== 'Activation') throw new Error('expected Activation');
    act.gradInput!.data.forEach((g, j) =>
      expect(g).toBe(act.gradOutput.data[j]! * (act.input.data[j]! > 0 ? 1 : 0)),
    );
    expect(values(ln.gradOutput)).toEqual(values(act.gradInput!));
    // ∂L/∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂))/√(σ² + ε), ĝ = ∂L/∂h ⊙ γ (γ = 1): δ¹ (linear).
    const g = values(ln.gradOutput);
    const meanG = g.reduce((s, v) => s + v, 0) / 4;
    const meanGX = g.reduce((s, v, j) => s + v * xhat[j]!, 0) / 4;
    gradients.delta[1]!.data.forEach((d, j) =>
      expect(d).toBeCloseTo((g[j]! - meanG - xhat[j]! * meanGX) / Math.sqrt(variance + 1e-3), 13),
    );
    expect(values(ln.gradInput!)).toEqual(values(gradients.delta[1]!));
    expectPrinted(explanationToText(e), '∂L/∂h⁽²⁾ = ∂L/∂h⁽³⁾ ⊙ ReLU′(h⁽²⁾)', act.gradInput!.data);
    expect(e.gradcheck!.maxRelativeError).toBeLessThan(1e-7);
    expect(e.gradcheck!.total).toBe(12 + 4 + 4 + 4 + 8 + 2);
  });

  it('shows the dropout mask of a training step, with the library’s draws', () => {
    const random = model.random.getState();
    const t = explain(model, x, y, { loss: 'mse', training: true, gradcheck: true });
    expect(model.random.getState()).toEqual(random);
    const drop = t.steps[3]!;
    if (drop.kind !== 'Dropout') throw new Error('expected Dropout');
    model.random.setState(random);
    const replay = model.forward([x], { training: true });
    model.random.setState(random);
    expect(values(drop.mask!)).toEqual(values(replay.dropout[2]!.mask).slice(0, 4));
    drop.mask!.data.forEach((m) => expect([0, 2]).toContain(m));
    expect(values(drop.output)).toEqual(values(replay.outputs[4]!));
    const replayed = model.backward(replay, [y], 'mse');
    expect(values(t.layers[0]!.delta)).toEqual(values(replayed.delta[1]!));
    drop.gradInput!.data.forEach((gi, j) =>
      expect(gi).toBe(drop.gradOutput.data[j]! * drop.mask!.data[j]!),
    );
    expect(t.gradcheck!.maxRelativeError).toBeLessThan(1e-7);
    const text = explanationToText(t);
    expectPrinted(text, 'h⁽⁴⁾ = h⁽³⁾ ⊙ m⁽⁴⁾', drop.output.data);
    expectPrinted(text, '∂L/∂h⁽³⁾ = ∂L/∂h⁽⁴⁾ ⊙ m⁽⁴⁾', drop.gradInput!.data);
  });

  it('focuses on a Dense layer with the layers after it, or on one unit alone', () => {
    const layer = explain(model, x, y, { loss: 'mse', focus: { layer: 1 }, gradcheck: true });
    expect(explanationToJSON(layer).layers).toHaveLength(4);
    expect(layer.gradcheck!.total).toBe(12 + 4 + 4 + 4);
    const unit = explain(model, x, y, { loss: 'mse', focus: { layer: 1, unit: 2 } });
    expect(explanationToJSON(unit).layers).toHaveLength(1);
    const text = explanationToText(unit);
    expect(text).toContain('(passed down by layer 2, LayerNormalization(epsilon=0.001))');
    expect(text).not.toContain('layer 3, Activation');
  });
});
