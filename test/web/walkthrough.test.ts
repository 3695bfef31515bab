import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  Dropout,
  LECTURE_EXAMPLE,
  LECTURE_LEARNING_RATE,
  Sequential,
  explain,
  explanationToJSON,
  jsBackend,
  lectureNetwork,
  type ExplanationJSON,
} from '../../packages/core/src/index.js';
import { walkthrough, walkthroughOf, type Step } from '../../web/playground/walkthrough.js';

// The step-through's steps (web/playground/walkthrough.ts), in Node: built from explain's JSON,
// each number at its path, in the lecture's order; the lecture's numbers by hand.

const lecture = {
  model: lectureNetwork(),
  x: [...LECTURE_EXAMPLE.x],
  y: [...LECTURE_EXAMPLE.y],
  loss: 'mse' as const,
  learningRate: LECTURE_LEARNING_RATE,
};

/** The number at a dotted path of the JSON. */
function at(json: ExplanationJSON, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], json);
}

/** Every number of a step: its terms' cells, its units' and its edges'. */
function cellsOf(step: Step) {
  return [
    ...step.rows.flat().flatMap((term) => (term.kind === 'values' ? term.cells.flat() : [])),
    ...step.units,
    ...step.edges.flatMap((edge) => edge.cells.flat()),
  ];
}

describe('the step-through of one training step (web/playground/walkthrough.ts)', () => {
  it("holds explain's JSON numbers, each at its path, for the lecture's network", () => {
    const { json, steps } = walkthroughOf(lecture);
    const expected = explanationToJSON(
      explain(lectureNetwork(), lecture.x, lecture.y, { loss: 'mse', learningRate: 0.5 }),
    );
    expect(json).toEqual(expected); // the lecture's matrices are small: full or not, the same
    const cells = steps.flatMap(cellsOf);
    expect(cells.length).toBeGreaterThan(300);
    for (const cell of cells) expect(at(json, cell.path), cell.path).toBe(cell.value);
  });

  it("shows the lecture's hand-computed numbers where the lecture has them", () => {
    const { steps } = walkthroughOf(lecture);
    const term = (step: number, label: string) => {
      const found = steps[step]!.rows.flat().find((t) => t.kind === 'values' && t.label === label);
      if (found?.kind !== 'values') throw new Error(`step ${step} has no ${label}`);
      return found.cells.map((row) => row.map((cell) => cell.value));
    };
    // z¹ = W¹x + b¹ = (0.05 + 0.2 + 0.6 + 0.1, 0.2 − 0.5 − 1.2 − 0.1, −0.35 − 0.8 + 1.8 + 0.2)
    const z1 = term(0, 'z¹').flat();
    [0.95, -1.6, 0.85].forEach((value, i) => expect(z1[i]).toBeCloseTo(value, 15));
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const a1 = term(1, 'a¹').flat();
    z1.forEach((z, i) => expect(a1[i]).toBeCloseTo(sigmoid(z), 15));
    const delta2 = term(5, 'δ²').flat();
    expect(delta2[0]).toBeCloseTo(-0.094571, 6);
    expect(delta2[1]).toBeCloseTo(0.1085228, 6);
    // (W²)ᵀ is W² transposed, with the paths of W²'s entries.
    const transposed = steps[8]!.rows[0]![0]!;
    expect(transposed.kind === 'values' && transposed.cells[2]![1]!.path).toBe(
      'layers.1.weights.1.2',
    );
    expect(term(8, '(W²)ᵀ')).toEqual([
      [0.2, -0.5],
      [-0.3, 0.6],
      [0.4, 0.1],
    ]);
    // The update: W − η∂L/∂W, by hand from the step's own numbers.
    const [w, gradient, updated] = ['W¹', '∂L/∂W¹', 'new W¹'].map((label) => term(11, label));
    updated!.forEach((row, j) =>
      row.forEach((value, k) =>
        expect(value).toBeCloseTo(w![j]![k]! - 0.5 * gradient![j]![k]!, 15),
      ),
    );
  });

  it('colours the edges by ∂L/∂w from the right as backpropagation reaches each layer', () => {
    const kinds = walkthroughOf(lecture).steps.map((step) =>
      step.edges.map((edge) => edge.kind).join(' '),
    );
    expect(kinds).toEqual([
      ...Array<string>(6).fill('weights weights'),
      'weights gradient', // ∂L/∂W²
      'weights gradient', // ∂L/∂b²
      'weights gradient', // δ¹
      'gradient gradient', // ∂L/∂W¹
      'gradient gradient', // ∂L/∂b¹
      'updated weights',
      'updated updated',
    ]);
  });

  it('writes δᴸ = aᴸ − y for a sigmoid output with binary cross-entropy (fused)', () => {
    const model = new Sequential(
      [new Dense(2, 3, { activation: 'relu' }), new Dense(3, 1, { activation: 'sigmoid' })],
      { dtype: 'float64', seed: 4, backend: jsBackend },
    );
    const source = { model, x: [0.3, -0.7], y: [1], loss: 'binaryCrossEntropy' as const };
    const { json, steps } = walkthroughOf({ ...source, learningRate: 0.1 });
    const output = steps.find((step) => step.title === 'Backward: the output error')!;
    expect(output.equation).toBe('δ² = ∂L/∂z² = a² − y');
    expect(steps[1]!.equation).toBe('a¹ = ReLU(z¹)');
    expect(steps.find((s) => s.equation.startsWith('δ¹'))!.equation).toBe(
      'δ¹ = (W²)ᵀδ² ⊙ ReLU′(z¹)',
    );
    const layer = json.layers[1] as { a: number[]; delta: number[] };
    expect(layer.delta[0]).toBe(layer.a[0]! - 1);
  });

  it('refuses a layer that is not Dense, and a summarised matrix, naming them', () => {
    const model = new Sequential([new Dense(2, 3), new Dropout(0.5), new Dense(3, 1)], {
      dtype: 'float64',
      seed: 1,
    });
    const source = { model, x: [1, 2], y: [0], loss: 'mse' as const, learningRate: 0.1 };
    expect(() => walkthroughOf(source)).toThrow(ConfigError);
    expect(() => walkthroughOf(source)).toThrow('layer 2 is Dropout');
    const wide = new Sequential([new Dense(12, 2)], { dtype: 'float64', seed: 1 });
    const summarised = explanationToJSON(explain(wide, Array(12).fill(0.5), [0, 1]));
    expect(() => walkthrough(summarised)).toThrow(
      "the step-through needs every number of layers.0.weights; explain's JSON has a summary",
    );
  });
});
