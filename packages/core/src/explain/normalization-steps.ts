import type { Matrix } from '../tensor/matrix.js';
import type { OtherLayerExplanation } from './explanation.js';
import type { StepNames } from './sequence.js';
import { NAMES, partial, positioned, type Symbol } from './symbols.js';
import { EQUALS, op, scalar, vector, type Equation, type Term } from './terms.js';

type Normalization = Extract<
  OtherLayerExplanation,
  { kind: 'BatchNormalization' | 'LayerNormalization' }
>;

/** The symbols and numbers a normalisation's equations share. */
function parts(step: Normalization) {
  const k = step.position;
  const named = (name: keyof typeof NAMES) => positioned(NAMES[name], k);
  const parameter = (name: string) => step.parameters.find((p) => p.name === name)!;
  const perExample = step.kind === 'LayerNormalization';
  // LayerNormalization's μ and σ² are numbers (one example); BatchNormalization's, per unit.
  const term = (s: Symbol, m: Matrix): Term => (perExample ? scalar(s, m.data[0]!) : vector(s, m));
  const mu = named('mean');
  const variance = named('variance');
  return {
    mu,
    variance,
    xhat: named('xhat'),
    gamma: named('gamma'),
    beta: named('beta'),
    muTerm: term(mu, step.mean),
    varianceTerm: term(variance, step.variance),
    epsilon: scalar(NAMES.epsilon, step.epsilon),
    gammaValues: parameter('gamma'),
    betaValues: parameter('beta'),
  };
}

const STATISTICS = {
  moving: 'the moving mean and variance, as in predict and evaluate',
  batch: "training: the batch's statistics, here one example's (μ = x, σ² = 0, so x̂ = 0)",
  example: "over the example's units, the same in training and inference",
} as const;

/**
 * x̂ = (x − μ) ⊘ √(σ² + ε) and h = γ ⊙ x̂ + β, preceded for LayerNormalization by the
 * example's μ = (1/n)Σⱼxⱼ and σ² = (1/n)Σⱼ(xⱼ − μ)².
 * @throws never
 */
export function normalizationForward(step: Normalization, n: StepNames): Equation[] {
  const p = parts(step);
  const input = vector(n.input, step.input);
  const statistics: Equation[] =
    step.kind === 'LayerNormalization'
      ? [
          {
            text: `${p.mu.text} = (1/n) Σⱼ ${n.input.text}ⱼ`,
            latex: `${p.mu.latex} = \\frac{1}{n} \\sum_j ${n.input.latex}_j`,
            terms: [
              op('mean(', '\\operatorname{mean}\\left('),
              input,
              op(')', '\\right)'),
              EQUALS,
              p.muTerm,
            ],
          },
          {
            text: `${p.variance.text} = (1/n) Σⱼ (${n.input.text}ⱼ − ${p.mu.text})²`,
            latex: `${p.variance.latex} = \\frac{1}{n} \\sum_j (${n.input.latex}_j - ${p.mu.latex})^{2}`,
            terms: [input, op(','), p.muTerm, EQUALS, p.varianceTerm],
          },
        ]
      : [];
  return [
    ...statistics,
    {
      text: `${p.xhat.text} = (${n.input.text} − ${p.mu.text}) ⊘ √(${p.variance.text} + ε)`,
      latex: `${p.xhat.latex} = \\frac{${n.input.latex} - ${p.mu.latex}}{\\sqrt{${p.variance.latex} + \\epsilon}}`,
      terms: [
        op('(', '\\left('),
        input,
        op('−', '-'),
        p.muTerm,
        op(') ⊘ √(', '\\right) \\oslash \\sqrt{'),
        p.varianceTerm,
        op('+'),
        p.epsilon,
        op(')', '}'),
        EQUALS,
        vector(p.xhat, step.xhat),
      ],
      note: STATISTICS[step.statistics],
    },
    {
      text: `${n.output.text} = ${p.gamma.text} ⊙ ${p.xhat.text} + ${p.beta.text}`,
      latex: `${n.output.latex} = ${p.gamma.latex} \\odot ${p.xhat.latex} + ${p.beta.latex}`,
      terms: [
        vector(p.gamma, p.gammaValues.value),
        op('⊙', '\\odot'),
        vector(p.xhat, step.xhat),
        op('+'),
        vector(p.beta, p.betaValues.value),
        EQUALS,
        vector(n.output, step.output),
      ],
    },
  ];
}

/**
 * ∂L/∂γ = ∂L/∂h ⊙ x̂ and ∂L/∂β = ∂L/∂h (batch means over one example), then the gradient
 * passed down: BatchNormalization in inference ∂L/∂x = γ ⊘ √(σ² + ε) ⊙ ∂L/∂h, in training
 * γ ⊘ √(σ² + ε) ⊙ (∂L/∂h − mean(∂L/∂h) − x̂ ⊙ mean(∂L/∂h ⊙ x̂)); LayerNormalization
 * ∂L/∂x̂ = ∂L/∂h ⊙ γ, ∂L/∂x = (∂L/∂x̂ − mean(∂L/∂x̂) − x̂ ⊙ mean(∂L/∂x̂ ⊙ x̂)) ⊘ √(σ² + ε).
 * @throws never
 */
export function normalizationBackward(step: Normalization, n: StepNames): Equation[] {
  const p = parts(step);
  const gradOutput = vector(n.gradOutput, step.gradOutput);
  const xhat = vector(p.xhat, step.xhat);
  const gamma = vector(p.gamma, p.gammaValues.value);
  const equations: Equation[] = [
    {
      text: `${partial(p.gamma).text} = ${n.gradOutput.text} ⊙ ${p.xhat.text}`,
      latex: `${partial(p.gamma).latex} = ${n.gradOutput.latex} \\odot ${p.xhat.latex}`,
      terms: [
        gradOutput,
        op('⊙', '\\odot'),
        xhat,
        EQUALS,
        vector(partial(p.gamma), p.gammaValues.gradient),
      ],
    },
    {
      text: `${partial(p.beta).text} = ${n.gradOutput.text}`,
      latex: `${partial(p.beta).latex} = ${n.gradOutput.latex}`,
      terms: [vector(partial(p.beta), p.betaValues.gradient)],
    },
  ];
  if (step.gradInput === null) return equations;
  const result = [EQUALS, vector(n.gradInput, step.gradInput)];
  const root = [op('⊘ √(', '\\oslash \\sqrt{'), p.varianceTerm, op('+'), p.epsilon, op(')', '}')];
  const sqrt = {
    text: `√(${p.variance.text} + ε)`,
    latex: `\\sqrt{${p.variance.latex} + \\epsilon}`,
  };
  if (step.kind === 'LayerNormalization') {
    const gradXhat = partial(p.xhat);
    const centred = `${gradXhat.text} − mean(${gradXhat.text}) − ${p.xhat.text} ⊙ mean(${gradXhat.text} ⊙ ${p.xhat.text})`;
    const centredLatex = `${gradXhat.latex} - \\operatorname{mean}(${gradXhat.latex}) - ${p.xhat.latex} \\odot \\operatorname{mean}(${gradXhat.latex} \\odot ${p.xhat.latex})`;
    equations.push(
      {
        text: `${gradXhat.text} = ${n.gradOutput.text} ⊙ ${p.gamma.text}`,
        latex: `${gradXhat.latex} = ${n.gradOutput.latex} \\odot ${p.gamma.latex}`,
        terms: [gradOutput, op('⊙', '\\odot'), gamma, EQUALS, vector(gradXhat, step.gradXhat)],
      },
      {
        text: `${n.gradInput.text} = (${centred}) ⊘ ${sqrt.text}`,
        latex: `${n.gradInput.latex} = \\left(${centredLatex}\\right) \\oslash ${sqrt.latex}`,
        terms: [
          op('(', '\\left('),
          vector(gradXhat, step.gradXhat),
          op(', ', ',\\,'),
          xhat,
          op(')', '\\right)'),
          ...root,
          ...result,
        ],
      },
    );
    return equations;
  }
  const moving = step.statistics === 'moving';
  const through = moving
    ? { text: n.gradOutput.text, latex: n.gradOutput.latex }
    : {
        text: `(${n.gradOutput.text} − mean(${n.gradOutput.text}) − ${p.xhat.text} ⊙ mean(${n.gradOutput.text} ⊙ ${p.xhat.text}))`,
        latex: `\\left(${n.gradOutput.latex} - \\operatorname{mean}(${n.gradOutput.latex}) - ${p.xhat.latex} \\odot \\operatorname{mean}(${n.gradOutput.latex} \\odot ${p.xhat.latex})\\right)`,
      };
  equations.push({
    text: `${n.gradInput.text} = ${p.gamma.text} ⊘ ${sqrt.text} ⊙ ${through.text}`,
    latex: `${n.gradInput.latex} = ${p.gamma.latex} \\oslash ${sqrt.latex} \\odot ${through.latex}`,
    terms: [
      gamma,
      ...root,
      op('⊙', '\\odot'),
      gradOutput,
      ...(moving ? [] : [op(', ', ',\\,'), xhat]),
      ...result,
    ],
    ...(moving
      ? { note: 'the moving statistics are constants: only the scale γ/√(σ² + ε) acts' }
      : { note: 'over a batch of one example the bracket is 0: nothing passes down' }),
  });
  return equations;
}
