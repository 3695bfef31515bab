import type { Matrix } from '../tensor/matrix.js';
import type { Explanation, LayerExplanation } from './explanation.js';
import { inputName, layerHeading, nextStep } from './sequence.js';
import { delta, derivativeOf, partial, symbol, transposed, type Symbol } from './symbols.js';
import {
  column,
  columnOf,
  EQUALS,
  matrix,
  op,
  rowOf,
  scalar,
  sup,
  transpose,
  type Equation,
  type Term,
} from './terms.js';

/**
 * Backpropagation through Dense layer l (or unit j of it, 0-based `unit`): δˡ (from the loss
 * for the model's last layer, else δˡ = ∂L/∂aˡ ⊙ g′(zˡ) with ∂L/∂aˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ below a
 * Dense layer, or as the layer above passed it down), then ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ and ∂L/∂bˡ = δˡ.
 */
export function backward(
  explanation: Explanation,
  step: LayerExplanation,
  unit: number | undefined,
): Equation[] {
  const l = step.layer;
  const pick = (m: Matrix, s: Symbol): Term =>
    unit === undefined ? matrix(s, column(m)) : scalar(s, m.data[unit]!);
  const idx = unit === undefined ? [] : [unit + 1];
  const d = delta(l, idx);
  const z = symbol('z', l, idx);
  const out = [...deltaEquations(explanation, step, unit, pick, d, z)];
  const name = inputName(explanation, step);
  const input = matrix(transposed(name()), step.input);
  const weight = symbol('w', l, [(unit ?? 0) + 1, 'k']); // w_jk of the focused unit j
  out.push(
    unit === undefined
      ? {
          text: `∂L/∂W${sup(l)} = δ${sup(l)}(${name().text})ᵀ`,
          latex: `\\frac{\\partial L}{\\partial W^{${l}}} = \\delta^{${l}} (${name().latex})^{\\top}`,
          terms: [
            pick(step.delta, d),
            input,
            EQUALS,
            matrix(partial(symbol('W', l)), step.gradWeights),
          ],
        }
      : {
          text: `${partial(weight).text} = ${d.text} ${name(['k']).text}`,
          latex: `${partial(weight).latex} = ${d.latex} ${name(['k']).latex}`,
          terms: [
            pick(step.delta, d),
            input,
            EQUALS,
            matrix(partial(weight), rowOf(step.gradWeights, unit)),
          ],
        },
    {
      text: `${partial(symbol('b', l, idx)).text} = ${d.text}`,
      latex: `${partial(symbol('b', l, idx)).latex} = ${d.latex}`,
      terms: [pick(step.gradBias, partial(symbol('b', l, idx)))],
    },
  );
  return out;
}

function deltaEquations(
  explanation: Explanation,
  step: LayerExplanation,
  unit: number | undefined,
  pick: (m: Matrix, s: Symbol) => Term,
  d: Symbol,
  z: Symbol,
): Equation[] {
  const l = step.layer;
  const above = nextStep(explanation, step);
  const idx = unit === undefined ? [] : [unit + 1];
  const a = symbol('a', l, idx);
  const gradA = partial(a);
  const result = pick(step.delta, d);
  if (above === undefined && explanation.fused) {
    return [
      {
        text: `${d.text} = ${a.text} − ${symbol('y', undefined, idx).text}`,
        latex: `${d.latex} = ${a.latex} - ${symbol('y', undefined, idx).latex}`,
        terms: [
          pick(step.a, a),
          op('−', '-'),
          pick(explanation.y, symbol('y', undefined, idx)),
          EQUALS,
          result,
        ],
        note: `${step.activation} with ${explanation.loss.name}: δᴸ = ∂L/∂zᴸ = aᴸ − y exactly`,
      },
    ];
  }
  const equations: Equation[] = [];
  if (above === undefined) {
    equations.push(lossGradientEquation(explanation, a, step.a, step.gradA, pick, idx));
  } else if (above.kind !== 'Dense') {
    // The layer above wrote ∂L/∂aˡ as its last backward equation, just before this one.
    if (unit !== undefined) {
      equations.push({
        text: gradA.text,
        latex: gradA.latex,
        terms: [pick(step.gradA, gradA)],
        note: `passed down by ${layerHeading(above)}`,
      });
    }
  } else {
    equations.push(passedByDense(above, gradA, step.gradA, pick, unit));
  }
  if (step.derivative === null) {
    equations.push({
      text: `${d.text} = J(z${sup(l)})ᵀ ${partial(symbol('a', l)).text}`,
      latex: `${d.latex} = J(z^{${l}})^{\\top} ${partial(symbol('a', l)).latex}`,
      terms: [pick(step.gradA, gradA), op('↦', '\\mapsto'), result],
      note: 'softmax: J = ∂a/∂z = diag(a) − aaᵀ, so δⱼ = aⱼ(∂L/∂aⱼ − Σᵢ aᵢ ∂L/∂aᵢ)',
    });
  } else {
    const gPrime = derivativeOf(step.activation, z);
    equations.push({
      text: `${d.text} = ${gradA.text} ${unit === undefined ? '⊙' : '·'} ${gPrime.text}`,
      latex: `${d.latex} = ${gradA.latex} ${unit === undefined ? '\\odot' : '\\cdot'} ${gPrime.latex}`,
      terms: [
        pick(step.gradA, gradA),
        op(unit === undefined ? '⊙' : '·', unit === undefined ? '\\odot' : '\\cdot'),
        pick(step.derivative, gPrime),
        EQUALS,
        result,
      ],
    });
  }
  return equations;
}

/**
 * ∂L/∂a of the model's output a (aᴸ, or h⁽ᵏ⁾ when the last layer is not Dense) by the loss's
 * formula, with the library's numbers.
 * @param pick - the term of a vector (or of its unit j)
 * @param idx - the unit index of a unit focus, else empty
 */
export function lossGradientEquation(
  explanation: Explanation,
  a: Symbol,
  output: Matrix,
  gradient: Matrix,
  pick: (m: Matrix, s: Symbol) => Term,
  idx: number[],
): Equation {
  const gradA = partial(a);
  const mse = explanation.loss.name === 'mse';
  const formula = mse
    ? `${a.text} − y`
    : explanation.loss.name === 'crossEntropy'
      ? `−y ⊘ ${a.text}`
      : `(${a.text} − y) ⊘ (${a.text} ⊙ (1 − ${a.text}))`;
  return {
    text: `${gradA.text} = ${formula}`,
    latex: `${gradA.latex} = ${mse ? `${a.latex} - y` : formula}`,
    terms: mse
      ? [
          pick(output, a),
          op('−', '-'),
          pick(explanation.y, symbol('y', undefined, idx)),
          EQUALS,
          pick(gradient, gradA),
        ]
      : [pick(gradient, gradA)],
  };
}

/**
 * The gradient a Dense layer l + 1 passes down to its input: ∂L/∂(input) = (Wˡ⁺¹)ᵀδˡ⁺¹, or
 * Σᵢ wᵢⱼ δᵢ for unit j (0-based `unit`), with the library's numbers.
 * @param gradient - ∂L/∂(input) as the backward pass wrote it
 */
export function passedByDense(
  above: LayerExplanation,
  name: Symbol,
  gradient: Matrix,
  pick: (m: Matrix, s: Symbol) => Term,
  unit: number | undefined,
): Equation {
  const l = above.layer;
  const weights = symbol('W', l);
  return {
    text:
      unit === undefined
        ? `${name.text} = (W${sup(l)})ᵀδ${sup(l)}`
        : `${name.text} = Σᵢ ${symbol('w', l, ['i', unit + 1]).text} ${delta(l, ['i']).text}`,
    latex:
      unit === undefined
        ? `${name.latex} = (W^{${l}})^{\\top} \\delta^{${l}}`
        : `${name.latex} = \\sum_i ${symbol('w', l, ['i', unit + 1]).latex} ${delta(l, ['i']).latex}`,
    terms: [
      unit === undefined
        ? matrix(transposed(weights), transpose(above.weights))
        : matrix(symbol('w', l, ['i', unit + 1]), columnOf(above.weights, unit)),
      matrix(delta(l), column(above.delta)),
      EQUALS,
      pick(gradient, name),
    ],
  };
}
