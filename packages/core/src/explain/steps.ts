import type { Matrix } from '../tensor/matrix.js';
import { backward } from './backward-steps.js';
import type { Explanation, LayerExplanation } from './explanation.js';
import { forward, lossEquations } from './forward-steps.js';
import { labelled, partial, symbol, type Symbol } from './symbols.js';
import { column, EQUALS, matrix, op, rowOf, scalar, type Equation, type Section } from './terms.js';

export type { Equation, Section, Term } from './terms.js';

/** The lecture's equations in general form, as the explanation opens with them. */
export const LECTURE_EQUATIONS: readonly { text: string; latex: string }[] = [
  { text: 'zˡ = Wˡaˡ⁻¹ + bˡ', latex: 'z^{l} = W^{l} a^{l-1} + b^{l}' },
  { text: 'aˡ = g(zˡ)', latex: 'a^{l} = g(z^{l})' },
  {
    text: 'δᴸ = ∂L/∂aᴸ ⊙ g′(zᴸ)',
    latex: "\\delta^{L} = \\frac{\\partial L}{\\partial a^{L}} \\odot g'(z^{L})",
  },
  {
    text: '∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ',
    latex: '\\frac{\\partial L}{\\partial W^{l}} = \\delta^{l} (a^{l-1})^{\\top}',
  },
  { text: '∂L/∂bˡ = δˡ', latex: '\\frac{\\partial L}{\\partial b^{l}} = \\delta^{l}' },
  {
    text: 'δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹)',
    latex: "\\delta^{l-1} = (W^{l})^{\\top} \\delta^{l} \\odot g'(z^{l-1})",
  },
  {
    text: 'Wˡ ← Wˡ − η ∂L/∂Wˡ,  bˡ ← bˡ − η ∂L/∂bˡ',
    latex:
      'W^{l} \\leftarrow W^{l} - \\eta \\frac{\\partial L}{\\partial W^{l}}, \\quad ' +
      'b^{l} \\leftarrow b^{l} - \\eta \\frac{\\partial L}{\\partial b^{l}}',
  },
];

/**
 * The explanation as sections of equations, in the lecture's order: forward propagation layer
 * by layer, the loss, backpropagation from layer L down, and the SGD update; limited to the
 * explanation's focus (one layer, or one unit j, whose quantities become scalars and row j).
 * @throws never
 */
export function explanationSteps(explanation: Explanation): Section[] {
  const { layers, focus } = explanation;
  const shown = layers.filter((step) => focus.layer === undefined || step.layer === focus.layer);
  const unit = focus.unit === undefined ? undefined : focus.unit - 1;
  return [
    { title: 'Forward propagation', equations: shown.flatMap((s) => forward(s, unit)) },
    { title: 'Loss', equations: lossEquations(explanation) },
    {
      title: 'Backpropagation',
      equations: [...shown].reverse().flatMap((s) => backward(explanation, s, unit)),
    },
    {
      title: `SGD update with η = ${explanation.learningRate}`,
      equations: shown.flatMap((s) => update(s, explanation.learningRate, unit)),
    },
  ];
}

function update(
  step: LayerExplanation,
  learningRate: number,
  unit: number | undefined,
): Equation[] {
  const l = step.layer;
  const eta = op(`− ${learningRate} ×`, `- ${learningRate} \\times`);
  const idx = unit === undefined ? [] : [unit + 1];
  const w = unit === undefined ? symbol('W', l) : symbol('w', l, [unit + 1, 'k']);
  const b = symbol('b', l, idx);
  const rows = (m: Matrix) => (unit === undefined ? m : rowOf(m, unit));
  const vector = (m: Matrix, s: Symbol) =>
    unit === undefined ? matrix(s, column(m)) : scalar(s, m.data[unit]!);
  return [
    {
      text: `${w.text} ← ${w.text} − η ${partial(w).text}`,
      latex: `${w.latex} \\leftarrow ${w.latex} - \\eta ${partial(w).latex}`,
      terms: [
        matrix(w, rows(step.weights)),
        eta,
        matrix(partial(w), rows(step.gradWeights)),
        EQUALS,
        matrix(labelled('new', w), rows(step.updatedWeights)),
      ],
    },
    {
      text: `${b.text} ← ${b.text} − η ${partial(b).text}`,
      latex: `${b.latex} \\leftarrow ${b.latex} - \\eta ${partial(b).latex}`,
      terms: [
        vector(step.bias, b),
        eta,
        vector(step.gradBias, partial(b)),
        EQUALS,
        vector(step.updatedBias, labelled('new', b)),
      ],
    },
  ];
}
