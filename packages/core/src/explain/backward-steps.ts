import type { Matrix } from '../tensor/matrix.js';
import type { Explanation, LayerExplanation } from './explanation.js';
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
 * Backpropagation through one layer (or unit j of it, 0-based `unit`): δˡ (from the loss for
 * l = L, else δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ ⊙ g′(zˡ)), then ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ and ∂L/∂bˡ = δˡ.
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
  const input = matrix(transposed(symbol('a', l - 1)), step.input);
  const weight = symbol('w', l, [(unit ?? 0) + 1, 'k']); // w_jk of the focused unit j
  out.push(
    unit === undefined
      ? {
          text: `∂L/∂W${sup(l)} = δ${sup(l)}(a${sup(l - 1)})ᵀ`,
          latex: `\\frac{\\partial L}{\\partial W^{${l}}} = \\delta^{${l}} (a^{${l - 1}})^{\\top}`,
          terms: [
            pick(step.delta, d),
            input,
            EQUALS,
            matrix(partial(symbol('W', l)), step.gradWeights),
          ],
        }
      : {
          text: `${partial(weight).text} = ${d.text} ${symbol('a', l - 1, ['k']).text}`,
          latex: `${partial(weight).latex} = ${d.latex} ${symbol('a', l - 1, ['k']).latex}`,
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
  const L = explanation.layers.length;
  const idx = unit === undefined ? [] : [unit + 1];
  const a = symbol('a', l, idx);
  const gradA = partial(a);
  const result = pick(step.delta, d);
  if (l === L && explanation.fused) {
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
  if (l === L) {
    const mse = explanation.loss.name === 'mse';
    const formula = mse
      ? `${a.text} − y`
      : explanation.loss.name === 'crossEntropy'
        ? `−y ⊘ ${a.text}`
        : `(${a.text} − y) ⊘ (${a.text} ⊙ (1 − ${a.text}))`;
    equations.push({
      text: `${gradA.text} = ${formula}`,
      latex: `${gradA.latex} = ${mse ? `${a.latex} - y` : formula}`,
      terms: mse
        ? [
            pick(step.a, a),
            op('−', '-'),
            pick(explanation.y, symbol('y', undefined, idx)),
            EQUALS,
            pick(step.gradA, gradA),
          ]
        : [pick(step.gradA, gradA)],
    });
  } else {
    const above = explanation.layers[l]!;
    const weights = symbol('W', l + 1);
    equations.push({
      text:
        unit === undefined
          ? `${gradA.text} = (W${sup(l + 1)})ᵀδ${sup(l + 1)}`
          : `${gradA.text} = Σᵢ ${symbol('w', l + 1, ['i', unit + 1]).text} ${delta(l + 1, ['i']).text}`,
      latex:
        unit === undefined
          ? `${gradA.latex} = (W^{${l + 1}})^{\\top} \\delta^{${l + 1}}`
          : `${gradA.latex} = \\sum_i ${symbol('w', l + 1, ['i', unit + 1]).latex} ${delta(l + 1, ['i']).latex}`,
      terms: [
        unit === undefined
          ? matrix(transposed(weights), transpose(above.weights))
          : matrix(symbol('w', l + 1, ['i', unit + 1]), columnOf(above.weights, unit)),
        matrix(delta(l + 1), column(above.delta)),
        EQUALS,
        pick(step.gradA, gradA),
      ],
    });
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
