import type { Explanation, LayerExplanation } from './explanation.js';
import { inputName, outputName } from './sequence.js';
import { activationSymbol, symbol } from './symbols.js';
import { column, EQUALS, matrix, op, rowOf, scalar, sub, sup, type Equation } from './terms.js';

/**
 * zˡ = Wˡaˡ⁻¹ + bˡ and aˡ = g(zˡ) for Dense layer l, or for unit j (0-based `unit`) of it; its
 * input is named after the layer before it (aˡ⁻¹ in a plain stack, h⁽ᵏ⁾ after another layer).
 */
export function forward(
  explanation: Explanation,
  step: LayerExplanation,
  unit: number | undefined,
): Equation[] {
  const l = step.layer;
  const g = activationSymbol(step.activation);
  const input = inputName(explanation, step);
  if (unit === undefined) {
    return [
      {
        text: `z${sup(l)} = W${sup(l)}${input().text} + b${sup(l)}`,
        latex: `z^{${l}} = W^{${l}} ${input().latex} + b^{${l}}`,
        terms: [
          matrix(symbol('W', l), step.weights),
          matrix(input(), column(step.input)),
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
      text: `${z.text} = Σₖ ${symbol('w', l, [j, 'k']).text} ${input(['k']).text} + ${symbol('b', l, [j]).text}`,
      latex: `${z.latex} = \\sum_k ${symbol('w', l, [j, 'k']).latex} ${input(['k']).latex} + ${symbol('b', l, [j]).latex}`,
      terms: [
        matrix(symbol('w', l, [j, 'k']), rowOf(step.weights, unit)),
        matrix(input(['k']), column(step.input)),
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

/** The loss L(aᴸ, y) for the example, by the loss's formula; aᴸ is the last layer's output. */
export function lossEquations(explanation: Explanation): Equation[] {
  const output = explanation.steps[explanation.steps.length - 1]!;
  const name = outputName(output)();
  const a = matrix(name, column(output.kind === 'Dense' ? output.a : output.output));
  const y = matrix(symbol('y'), column(explanation.y));
  const value = scalar(symbol('L'), explanation.loss.value);
  switch (explanation.loss.name) {
    case 'mse':
      return [
        {
          text: `L = ½‖${name.text} − y‖² = ½ Σⱼ (${name.text}ⱼ − yⱼ)²`,
          latex: `L = \\tfrac{1}{2} \\lVert ${name.latex} - y \\rVert^{2}`,
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
          text: `L = −Σⱼ yⱼ log ${name.text}ⱼ`,
          latex: `L = -\\sum_j y_j \\log ${name.latex}_j`,
          terms: [y, op('·log', '\\cdot\\log'), a, EQUALS, value],
          ...(explanation.fused
            ? { note: 'with a softmax output, L is computed from the logits zᴸ (log-sum-exp)' }
            : {}),
        },
      ];
    case 'binaryCrossEntropy':
      return [
        {
          text: `L = −Σⱼ [yⱼ log ${name.text}ⱼ + (1 − yⱼ) log(1 − ${name.text}ⱼ)]`,
          latex: `L = -\\sum_j \\left[ y_j \\log ${name.latex}_j + (1 - y_j) \\log(1 - ${name.latex}_j) \\right]`,
          terms: [y, op(','), a, EQUALS, value],
          ...(explanation.fused
            ? { note: 'with a sigmoid output, L is computed from the logits zᴸ' }
            : {}),
        },
      ];
    case 'mae':
      return [
        {
          text: `L = Σⱼ |${name.text}ⱼ − yⱼ|`,
          latex: `L = \\sum_j \\left| ${name.latex}_j - y_j \\right|`,
          terms: [op('Σ|', '\\sum\\left|'), a, op('−', '-'), y, op('|', '\\right|'), EQUALS, value],
        },
      ];
    case 'huber':
      return [
        {
          text: `L = Σⱼ huber_δ(${name.text}ⱼ − yⱼ), ½r² for |r| ≤ δ, δ(|r| − ½δ) otherwise`,
          latex: `L = \\sum_j \\operatorname{huber}_\\delta(${name.latex}_j - y_j)`,
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
          text: `L = Σⱼ max(0, 1 − yⱼ ${name.text}ⱼ)`,
          latex: `L = \\sum_j \\max(0, 1 - y_j ${name.latex}_j)`,
          terms: [y, op(','), a, EQUALS, value],
          note: 'labels 0 count as −1',
        },
      ];
    case 'klDivergence':
      return [
        {
          text: `L = Σⱼ yⱼ log(yⱼ / ${name.text}ⱼ)`,
          latex: `L = \\sum_j y_j \\log \\frac{y_j}{${name.latex}_j}`,
          terms: [y, op(','), a, EQUALS, value],
        },
      ];
  }
}
