import type { Explanation, LayerExplanation } from './explanation.js';
import { activationSymbol, symbol } from './symbols.js';
import { column, EQUALS, matrix, op, rowOf, scalar, sub, sup, type Equation } from './terms.js';

/** zˡ = Wˡaˡ⁻¹ + bˡ and aˡ = g(zˡ) for one layer, or for unit j (0-based `unit`) of it. */
export function forward(step: LayerExplanation, unit: number | undefined): Equation[] {
  const l = step.layer;
  const g = activationSymbol(step.activation);
  if (unit === undefined) {
    return [
      {
        text: `z${sup(l)} = W${sup(l)}a${sup(l - 1)} + b${sup(l)}`,
        latex: `z^{${l}} = W^{${l}} a^{${l - 1}} + b^{${l}}`,
        terms: [
          matrix(symbol('W', l), step.weights),
          matrix(symbol('a', l - 1), column(step.input)),
          op('+'),
          matrix(symbol('b', l), column(step.bias)),
          EQUALS,
          matrix(symbol('z', l), column(step.z)),
        ],
      },
      {
        text: `a${sup(l)} = ${g.text}(z${sup(l)})`,
        latex: `a^{${l}} = ${g.latex}(z^{${l}})`,
        terms: [
          op(`${g.text}(`, `${g.latex}\\left(`),
          matrix(symbol('z', l), column(step.z)),
          op(')', '\\right)'),
          EQUALS,
          matrix(symbol('a', l), column(step.a)),
        ],
      },
    ];
  }
  const j = unit + 1;
  const [z, a] = [symbol('z', l, [j]), symbol('a', l, [j])];
  const softmax = step.activation === 'softmax';
  return [
    {
      text: `${z.text} = Σₖ ${symbol('w', l, [j, 'k']).text} ${symbol('a', l - 1, ['k']).text} + ${symbol('b', l, [j]).text}`,
      latex: `${z.latex} = \\sum_k ${symbol('w', l, [j, 'k']).latex} ${symbol('a', l - 1, ['k']).latex} + ${symbol('b', l, [j]).latex}`,
      terms: [
        matrix(symbol('w', l, [j, 'k']), rowOf(step.weights, unit)),
        matrix(symbol('a', l - 1, ['k']), column(step.input)),
        op('+'),
        scalar(symbol('b', l, [j]), step.bias.data[unit]!),
        EQUALS,
        scalar(z, step.z.data[unit]!),
      ],
    },
    {
      text: softmax
        ? `${a.text} = softmax(z${sup(l)})${sub(j)}`
        : `${a.text} = ${g.text}(${z.text})`,
      latex: softmax
        ? `${a.latex} = ${g.latex}(z^{${l}})_{${j}}`
        : `${a.latex} = ${g.latex}(${z.latex})`,
      terms: [
        op(`${g.text}(`, `${g.latex}\\left(`),
        softmax ? matrix(symbol('z', l), column(step.z)) : scalar(z, step.z.data[unit]!),
        op(softmax ? `)${sub(j)}` : ')', softmax ? `\\right)_{${j}}` : '\\right)'),
        EQUALS,
        scalar(a, step.a.data[unit]!),
      ],
    },
  ];
}

/** The loss L(aᴸ, y) for the example, by the loss's formula. */
export function lossEquations(explanation: Explanation): Equation[] {
  const output = explanation.layers[explanation.layers.length - 1]!;
  const L = output.layer;
  const a = matrix(symbol('a', L), column(output.a));
  const y = matrix(symbol('y'), column(explanation.y));
  const value = scalar(symbol('L'), explanation.loss.value);
  switch (explanation.loss.name) {
    case 'mse':
      return [
        {
          text: `L = ½‖a${sup(L)} − y‖² = ½ Σⱼ (a${sup(L)}ⱼ − yⱼ)²`,
          latex: `L = \\tfrac{1}{2} \\lVert a^{${L}} - y \\rVert^{2}`,
          terms: [
            op('½‖', '\\tfrac{1}{2}\\left\\lVert'),
            a,
            op('−', '-'),
            y,
            op('‖²', '\\right\\rVert^{2}'),
            EQUALS,
            value,
          ],
        },
      ];
    case 'crossEntropy':
    case 'sparseCrossEntropy':
      return [
        {
          text: `L = −Σⱼ yⱼ log a${sup(L)}ⱼ`,
          latex: `L = -\\sum_j y_j \\log a^{${L}}_j`,
          terms: [y, op('·log', '\\cdot\\log'), a, EQUALS, value],
          ...(explanation.fused
            ? { note: 'with a softmax output, L is computed from the logits zᴸ (log-sum-exp)' }
            : {}),
        },
      ];
    case 'binaryCrossEntropy':
      return [
        {
          text: `L = −Σⱼ [yⱼ log a${sup(L)}ⱼ + (1 − yⱼ) log(1 − a${sup(L)}ⱼ)]`,
          latex: `L = -\\sum_j \\left[ y_j \\log a^{${L}}_j + (1 - y_j) \\log(1 - a^{${L}}_j) \\right]`,
          terms: [y, op(','), a, EQUALS, value],
          ...(explanation.fused
            ? { note: 'with a sigmoid output, L is computed from the logits zᴸ' }
            : {}),
        },
      ];
    case 'mae':
      return [
        {
          text: `L = Σⱼ |a${sup(L)}ⱼ − yⱼ|`,
          latex: `L = \\sum_j \\left| a^{${L}}_j - y_j \\right|`,
          terms: [op('Σ|', '\\sum\\left|'), a, op('−', '-'), y, op('|', '\\right|'), EQUALS, value],
        },
      ];
    case 'huber':
      return [
        {
          text: `L = Σⱼ huber_δ(a${sup(L)}ⱼ − yⱼ), ½r² for |r| ≤ δ, δ(|r| − ½δ) otherwise`,
          latex: `L = \\sum_j \\operatorname{huber}_\\delta(a^{${L}}_j - y_j)`,
          terms: [
            op('Σ huber_δ(', '\\sum\\operatorname{huber}_\\delta\\left('),
            a,
            op('−', '-'),
            y,
            op(')', '\\right)'),
            EQUALS,
            value,
          ],
        },
      ];
    case 'hinge':
      return [
        {
          text: `L = Σⱼ max(0, 1 − yⱼ a${sup(L)}ⱼ)`,
          latex: `L = \\sum_j \\max(0, 1 - y_j a^{${L}}_j)`,
          terms: [y, op(','), a, EQUALS, value],
          note: 'labels 0 count as −1',
        },
      ];
    case 'klDivergence':
      return [
        {
          text: `L = Σⱼ yⱼ log(yⱼ / a${sup(L)}ⱼ)`,
          latex: `L = \\sum_j y_j \\log \\frac{y_j}{a^{${L}}_j}`,
          terms: [y, op(','), a, EQUALS, value],
        },
      ];
  }
}
