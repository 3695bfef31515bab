import type {
  ActivationName,
  ExplanationJSON,
  LayerJSON,
} from '../../packages/core/src/browser.js';
import { activationSymbol, superscript } from '../../packages/core/src/explain/symbols.js';
import { op, type Quantities } from './walkthrough-cells.js';
import type { EdgeColouring, Step, Term } from './walkthrough.js';

// The steps of the walk-through where the error appears and moves: the loss, the output's
// δᴸ, and δˡ⁻¹ passed right to left through layer l.

/** g of a layer as the lecture writes it: σ, tanh, ReLU, … */
export function gOf(layer: LayerJSON): string {
  return activationSymbol(layer.activation as ActivationName).text;
}

/** L(aᴸ, y) by the loss's formula, with the example's loss. */
export function lossStep(
  json: ExplanationJSON,
  q: Quantities,
  L: number,
  edges: EdgeColouring[],
): Step {
  const a = `a${superscript(L)}`;
  const formula: Partial<Record<string, string>> = {
    mse: `L = ½‖${a} − y‖² = ½ Σⱼ (${a}ⱼ − yⱼ)²`,
    binaryCrossEntropy: `L = −Σⱼ [yⱼ log ${a}ⱼ + (1 − yⱼ) log(1 − ${a}ⱼ)]`,
    crossEntropy: `L = −Σⱼ yⱼ log ${a}ⱼ`,
  };
  return {
    phase: 'loss',
    title: `The loss (${json.loss.name})`,
    equation: formula[json.loss.name] ?? `L = ${json.loss.name}(${a}, y)`,
    rows: [[q.values(a, L, 'a', 'column'), op(','), q.example('y', 'y'), op('→'), q.loss()]],
    layer: L,
    units: q.vector(L, 'a'),
    edges,
  };
}

/**
 * δᴸ = ∂L/∂zᴸ: aᴸ − y exactly when the output activation and the loss are fused (sigmoid with
 * binary cross-entropy, softmax with cross-entropy), else ∂L/∂aᴸ ⊙ g′(zᴸ).
 */
export function outputDeltaStep(
  json: ExplanationJSON,
  output: LayerJSON,
  q: Quantities,
  L: number,
  edges: EdgeColouring[],
): Step {
  const up = superscript(L);
  const common = { phase: 'backward', layer: L, units: q.vector(L, 'delta'), edges } as const;
  const delta = q.values(`δ${up}`, L, 'delta', 'column');
  const a = q.values(`a${up}`, L, 'a', 'column');
  if (json.fused) {
    return {
      ...common,
      title: 'Backward: the output error',
      equation: `δ${up} = ∂L/∂z${up} = a${up} − y`,
      rows: [[a, op('−'), q.example('y', 'y'), op('='), delta]],
      note: `${output.activation} with ${json.loss.name}: δᴸ = aᴸ − y exactly`,
    };
  }
  const g = gOf(output);
  const gradA = q.values(`∂L/∂a${up}`, L, 'gradA', 'column');
  const rows: Term[][] = [
    [gradA, op('⊙'), q.values(`${g}′(z${up})`, L, 'derivative', 'column'), op('='), delta],
  ];
  if (json.loss.name === 'mse') rows.unshift([a, op('−'), q.example('y', 'y'), op('='), gradA]);
  return {
    ...common,
    title: 'Backward: the output error',
    equation: `δ${up} = ∂L/∂a${up} ⊙ ${g}′(z${up})`,
    rows,
    ...(json.loss.name === 'mse' ? { note: `for ½‖a − y‖², ∂L/∂a${up} = a${up} − y` } : {}),
  };
}

/** δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹): the error passed right to left through layer l. */
export function hiddenDeltaStep(
  below: LayerJSON,
  q: Quantities,
  l: number,
  edges: EdgeColouring[],
): Step {
  const [up, down] = [superscript(l), superscript(l - 1)];
  const g = gOf(below);
  const gradA = q.values(`∂L/∂a${down}`, l - 1, 'gradA', 'column');
  return {
    phase: 'backward',
    title: `Backward: the error of layer ${l - 1}`,
    equation: `δ${down} = (W${up})ᵀδ${up} ⊙ ${g}′(z${down})`,
    rows: [
      [
        q.values(`(W${up})ᵀ`, l, 'weights', 'transposed'),
        q.values(`δ${up}`, l, 'delta', 'column'),
        op('='),
        gradA,
      ],
      [
        gradA,
        op('⊙'),
        q.values(`${g}′(z${down})`, l - 1, 'derivative', 'column'),
        op('='),
        q.values(`δ${down}`, l - 1, 'delta', 'column'),
      ],
    ],
    note: `(W${up})ᵀδ${up} = ∂L/∂a${down}: each unit of layer ${l - 1} collects the errors of the units it feeds, weighted`,
    layer: l - 1,
    units: q.vector(l - 1, 'delta'),
    edges,
  };
}
