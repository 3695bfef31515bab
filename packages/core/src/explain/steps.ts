import type { Matrix } from '../tensor/matrix.js';
import { backward } from './backward-steps.js';
import type { Explanation, LayerExplanation, OtherLayerExplanation } from './explanation.js';
import { forward, lossEquations } from './forward-steps.js';
import { headed, otherBackward, otherForward } from './layer-steps.js';
import { shownSteps } from './sequence.js';
import { labelled, parameterSymbol, partial, positioned, symbol, type Symbol } from './symbols.js';
import {
  column,
  EQUALS,
  matrix,
  op,
  rowOf,
  scalar,
  type Equation,
  type Section,
  type Term,
} from './terms.js';

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
 * by layer, the loss, backpropagation from the last layer down, and the SGD update of every
 * trainable parameter; limited to the explanation's focus (Dense layer l and the layers after
 * it, or one unit j of it, whose quantities become scalars and row j). Dense layers are the
 * lecture's steps; each other layer has its own, headed with its position and class.
 * @throws never
 */
export function explanationSteps(explanation: Explanation): Section[] {
  const shown = shownSteps(explanation);
  const unit = explanation.focus.unit === undefined ? undefined : explanation.focus.unit - 1;
  const eta = explanation.learningRate;
  return [
    {
      title: 'Forward propagation',
      equations: shown.flatMap((s) =>
        s.kind === 'Dense' ? forward(explanation, s, unit) : otherForward(explanation, s),
      ),
    },
    { title: 'Loss', equations: lossEquations(explanation) },
    {
      title: 'Backpropagation',
      equations: [...shown]
        .reverse()
        .flatMap((s) =>
          s.kind === 'Dense' ? backward(explanation, s, unit) : otherBackward(explanation, s),
        ),
    },
    {
      title: `SGD update with η = ${eta}`,
      equations: shown.flatMap((s) =>
        s.kind === 'Dense' ? update(s, eta, unit) : otherUpdate(s, eta),
      ),
    },
  ];
}

function update(
  step: LayerExplanation,
  learningRate: number,
  unit: number | undefined,
): Equation[] {
  const l = step.layer;
  const idx = unit === undefined ? [] : [unit + 1];
  const w = unit === undefined ? symbol('W', l) : symbol('w', l, [unit + 1, 'k']);
  const rows = (m: Matrix) => (unit === undefined ? m : rowOf(m, unit));
  return [
    {
      text: `${w.text} ← ${w.text} − η ${partial(w).text}`,
      latex: `${w.latex} \\leftarrow ${w.latex} - \\eta ${partial(w).latex}`,
      terms: [
        matrix(w, rows(step.weights)),
        etaTerm(learningRate),
        matrix(partial(w), rows(step.gradWeights)),
        EQUALS,
        matrix(labelled('new', w), rows(step.updatedWeights)),
      ],
    },
    vectorUpdate(
      symbol('b', l, idx),
      step.bias,
      step.gradBias,
      step.updatedBias,
      learningRate,
      unit,
    ),
  ];
}

/** θ ← θ − η∂L/∂θ for each trainable parameter (γ⁽ᵏ⁾, β⁽ᵏ⁾, …) of a layer that is not Dense. */
function otherUpdate(step: OtherLayerExplanation, learningRate: number): Equation[] {
  return headed(
    step,
    step.parameters.map(({ name, value, gradient, updated }) =>
      vectorUpdate(
        positioned(parameterSymbol(name), step.position),
        value,
        gradient,
        updated,
        learningRate,
        undefined,
      ),
    ),
  );
}

const etaTerm = (learningRate: number): Term =>
  op(`− ${learningRate} ×`, `- ${learningRate} \\times`);

/** θ ← θ − η∂L/∂θ for a [1, n] parameter θ, or for its entry j (0-based `unit`). */
function vectorUpdate(
  theta: Symbol,
  value: Matrix,
  gradient: Matrix,
  updated: Matrix,
  learningRate: number,
  unit: number | undefined,
): Equation {
  const vector = (m: Matrix, s: Symbol) =>
    unit === undefined ? matrix(s, column(m)) : scalar(s, m.data[unit]!);
  return {
    text: `${theta.text} ← ${theta.text} − η ${partial(theta).text}`,
    latex: `${theta.latex} \\leftarrow ${theta.latex} - \\eta ${partial(theta).latex}`,
    terms: [
      vector(value, theta),
      etaTerm(learningRate),
      vector(gradient, partial(theta)),
      EQUALS,
      vector(updated, labelled('new', theta)),
    ],
  };
}
