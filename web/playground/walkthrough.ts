import {
  ConfigError,
  explain,
  explanationToJSON,
  type ExplanationJSON,
  type LayerJSON,
  type LossName,
  type Sequential,
} from '../../packages/core/src/browser.js';
import { superscript } from '../../packages/core/src/explain/symbols.js';
import { op, quantities, type EdgeKind } from './walkthrough-cells.js';
import { gOf, hiddenDeltaStep, lossStep, outputDeltaStep } from './walkthrough-errors.js';

// The lecture's algorithm for one example as a list of steps, one equation each, every number
// read from `explain`'s JSON (explanationToJSON) with its path in that JSON, so that the page
// shows the library's numbers and a test can find each one where `backprop explain --json`
// prints it.

/** A number shown by a step, with where it is in the explanation's JSON (e.g. `layers.0.z.2`). */
export interface Cell {
  value: number;
  path: string;
}

/** One piece of an equation in numbers: a labelled vector or matrix (rows of cells), or an operator. */
export type Term =
  { kind: 'values'; label: string; cells: Cell[][] } | { kind: 'operator'; text: string };

/** Which numbers colour the weights of layer l on the network drawing. */
export interface EdgeColouring {
  layer: number;
  /** 'weights': Wˡ; 'gradient': ∂L/∂Wˡ; 'updated': Wˡ after the update. */
  kind: EdgeKind;
  /** [nˡ, nˡ⁻¹]: row j holds the weights into unit j. */
  cells: Cell[][];
}

/** One equation of the walk-through, in symbols and in numbers. */
export interface Step {
  phase: 'forward' | 'loss' | 'backward' | 'update';
  /** E.g. 'Forward, layer 1: weighted inputs'. */
  title: string;
  /** The equation in symbols, e.g. 'z¹ = W¹a⁰ + b¹'. */
  equation: string;
  /** The equation in numbers: one or more lines of terms. */
  rows: Term[][];
  note?: string;
  /** The layer whose units are highlighted on the drawing (0 is the input). */
  layer: number;
  /** The numbers written beside the highlighted units, one per unit. */
  units: Cell[];
  /** How each layer's weights are coloured. */
  edges: EdgeColouring[];
}

/** What to step through: a model, one example, the loss and SGD's η. */
export interface WalkthroughSource {
  model: Sequential;
  /** The example's input, n⁰ numbers. */
  x: number[];
  /** Its target, nᴸ numbers. */
  y: number[];
  loss: LossName;
  learningRate: number;
}

/**
 * The library's explanation of one SGD step on `source`'s example, as JSON (explanationToJSON
 * of explain, every matrix in full), and the walk-through built from it.
 * @throws {ConfigError} when the model has a layer that is not Dense; explain's errors for an
 *   example that does not fit the model.
 */
export function walkthroughOf(source: WalkthroughSource): { json: ExplanationJSON; steps: Step[] } {
  const explanation = explain(source.model, source.x, source.y, {
    loss: source.loss,
    learningRate: source.learningRate,
  });
  const json = explanationToJSON(explanation, { full: true });
  return { json, steps: walkthrough(json) };
}

/**
 * The lecture's algorithm as steps: for l = 1..L, zˡ = Wˡaˡ⁻¹ + bˡ and aˡ = g(zˡ); the loss;
 * δᴸ; for l = L..1, ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ, ∂L/∂bˡ = δˡ and (l > 1) δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹);
 * then for l = 1..L the SGD update Wˡ ← Wˡ − η∂L/∂Wˡ, bˡ ← bˡ − η∂L/∂bˡ.
 * @param json - explanationToJSON(explain(…), { full: true }) of a model of Dense layers
 * @throws {ConfigError} naming a layer that is not Dense, or a summarised matrix.
 */
export function walkthrough(json: ExplanationJSON): Step[] {
  const layers = json.layers.map((layer, i): LayerJSON => {
    if (!('layer' in layer)) {
      throw new ConfigError(
        `the step-through shows Dense layers only; layer ${i + 1} is ${layer.className}`,
      );
    }
    return layer;
  });
  const L = layers.length;
  const q = quantities(json, layers);
  const steps: Step[] = [];
  const plain = layers.map((_, i): EdgeColouring => ({
    layer: i + 1,
    kind: 'weights',
    cells: q.edges(i + 1, 'weights'),
  }));

  for (let l = 1; l <= L; l++) {
    const g = gOf(layers[l - 1]!);
    const [up, down] = [superscript(l), superscript(l - 1)];
    steps.push(
      {
        phase: 'forward',
        title: `Forward, layer ${l}: weighted inputs`,
        equation: `z${up} = W${up}a${down} + b${up}`,
        rows: [
          [
            q.values(`W${up}`, l, 'weights'),
            q.values(l === 1 ? 'x = a⁰' : `a${down}`, l, 'input', 'column'),
            op('+'),
            q.values(`b${up}`, l, 'bias', 'column'),
            op('='),
            q.values(`z${up}`, l, 'z', 'column'),
          ],
        ],
        layer: l,
        units: q.vector(l, 'z'),
        edges: plain,
      },
      {
        phase: 'forward',
        title: `Forward, layer ${l}: activations`,
        equation: `a${up} = ${g}(z${up})`,
        rows: [
          [
            op(`${g}(`),
            q.values(`z${up}`, l, 'z', 'column'),
            op(')'),
            op('='),
            q.values(`a${up}`, l, 'a', 'column'),
          ],
        ],
        layer: l,
        units: q.vector(l, 'a'),
        edges: plain,
      },
    );
  }
  steps.push(lossStep(json, q, L, plain), outputDeltaStep(json, layers[L - 1]!, q, L, plain));
  for (let l = L; l >= 1; l--) {
    const [up, down] = [superscript(l), superscript(l - 1)];
    const backEdges = layers.map((_, i): EdgeColouring => {
      const kind = i + 1 >= l ? 'gradient' : 'weights';
      return { layer: i + 1, kind, cells: q.edges(i + 1, kind) };
    });
    steps.push(
      {
        phase: 'backward',
        title: `Backward, layer ${l}: weight gradients`,
        equation: `∂L/∂W${up} = δ${up}(a${down})ᵀ`,
        rows: [
          [
            q.values(`δ${up}`, l, 'delta', 'column'),
            q.values(`(a${down})ᵀ`, l, 'input'),
            op('='),
            q.values(`∂L/∂W${up}`, l, 'gradWeights'),
          ],
        ],
        layer: l,
        units: q.vector(l, 'delta'),
        edges: backEdges,
      },
      {
        phase: 'backward',
        title: `Backward, layer ${l}: bias gradients`,
        equation: `∂L/∂b${up} = δ${up}`,
        rows: [
          [
            q.values(`δ${up}`, l, 'delta', 'column'),
            op('='),
            q.values(`∂L/∂b${up}`, l, 'gradBias', 'column'),
          ],
        ],
        layer: l,
        units: q.vector(l, 'delta'),
        edges: backEdges,
      },
    );
    if (l > 1) steps.push(hiddenDeltaStep(layers[l - 2]!, q, l, backEdges));
  }
  for (let l = 1; l <= L; l++) {
    const up = superscript(l);
    const eta: Term = {
      kind: 'values',
      label: 'η',
      cells: [[{ value: json.learningRate, path: 'learningRate' }]],
    };
    steps.push({
      phase: 'update',
      title: `SGD update, layer ${l}`,
      equation: `W${up} ← W${up} − η ∂L/∂W${up},  b${up} ← b${up} − η ∂L/∂b${up}`,
      rows: [
        [
          q.values(`W${up}`, l, 'weights'),
          op('−'),
          eta,
          op('×'),
          q.values(`∂L/∂W${up}`, l, 'gradWeights'),
          op('='),
          q.values(`new W${up}`, l, 'updatedWeights'),
        ],
        [
          q.values(`b${up}`, l, 'bias', 'column'),
          op('−'),
          eta,
          op('×'),
          q.values(`∂L/∂b${up}`, l, 'gradBias', 'column'),
          op('='),
          q.values(`new b${up}`, l, 'updatedBias', 'column'),
        ],
      ],
      note: "SGD, the playground's optimizer: one step on this example alone (fit averages ∂L/∂W over a batch)",
      layer: l,
      units: q.vector(l, 'updatedBias'),
      edges: layers.map((_, i): EdgeColouring => {
        const kind = i + 1 <= l ? 'updated' : 'weights';
        return { layer: i + 1, kind, cells: q.edges(i + 1, kind) };
      }),
    });
  }
  return steps;
}
