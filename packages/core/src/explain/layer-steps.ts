import type { Matrix } from '../tensor/matrix.js';
import { lossGradientEquation, passedByDense } from './backward-steps.js';
import type { Explanation, OtherLayerExplanation } from './explanation.js';
import { normalizationBackward, normalizationForward } from './normalization-steps.js';
import { layerHeading, namesOf, nextStep, type StepNames } from './sequence.js';
import {
  activationSymbol,
  derivativeOf,
  NAMES,
  positioned,
  symbol,
  type Symbol,
} from './symbols.js';
import { EQUALS, op, vector, type Equation, type Term } from './terms.js';

/**
 * Forward propagation through a layer that is not Dense, at position k, in symbols and numbers:
 * Dropout h = x ⊙ m (training) or h = x; GaussianNoise h = x + ε or h = x; Activation h = g(x);
 * BatchNormalization and LayerNormalization x̂ = (x − μ) ⊘ √(σ² + ε), h = γ ⊙ x̂ + β; the first
 * equation headed with the layer's position and class.
 * @throws never
 */
export function otherForward(explanation: Explanation, step: OtherLayerExplanation): Equation[] {
  const n = namesOf(explanation, step);
  const identity = (note: string): Equation => ({
    text: `${n.output.text} = ${n.input.text}`,
    latex: `${n.output.latex} = ${n.input.latex}`,
    terms: [vector(n.input, step.input), EQUALS, vector(n.output, step.output)],
    note,
  });
  const equations = ((): Equation[] => {
    switch (step.kind) {
      case 'Dropout': {
        if (step.mask === null) {
          return [
            identity(
              explanation.training
                ? 'p = 0: Dropout passes its input through'
                : 'Dropout is the identity in inference',
            ),
          ];
        }
        const m = positioned(NAMES.mask, step.position);
        return [
          {
            text: `${n.output.text} = ${n.input.text} ⊙ ${m.text}`,
            latex: `${n.output.latex} = ${n.input.latex} \\odot ${m.latex}`,
            terms: [
              vector(n.input, step.input),
              op('⊙', '\\odot'),
              vector(m, step.mask),
              EQUALS,
              vector(n.output, step.output),
            ],
            note: `training: the mask m ∈ {0, 1/(1 − p)}, p = ${step.rate}, drawn from the model's generator`,
          },
        ];
      }
      case 'GaussianNoise': {
        if (step.noise === null) return [identity('GaussianNoise is the identity in inference')];
        const e = positioned(NAMES.noise, step.position);
        return [
          {
            text: `${n.output.text} = ${n.input.text} + ${e.text}`,
            latex: `${n.output.latex} = ${n.input.latex} + ${e.latex}`,
            terms: [
              vector(n.input, step.input),
              op('+'),
              vector(e, step.noise),
              EQUALS,
              vector(n.output, step.output),
            ],
            note: `training: ε ~ N(0, σ²), σ = ${step.stddev}, drawn from the model's generator`,
          },
        ];
      }
      case 'Activation': {
        const g = activationSymbol(step.activation);
        return [
          {
            text: `${n.output.text} = ${g.text}(${n.input.text})`,
            latex: `${n.output.latex} = ${g.latex}(${n.input.latex})`,
            terms: [
              op(`${g.text}(`, `${g.latex}\\left(`),
              vector(n.input, step.input),
              op(')', '\\right)'),
              EQUALS,
              vector(n.output, step.output),
            ],
          },
        ];
      }
      case 'BatchNormalization':
      case 'LayerNormalization':
        return normalizationForward(step, n);
      case 'Layer':
        return [
          {
            text: `${n.output.text} = f(${n.input.text})`,
            latex: `${n.output.latex} = f(${n.input.latex})`,
            terms: [
              vector(n.input, step.input),
              op('↦', '\\mapsto'),
              vector(n.output, step.output),
            ],
            note: `${step.className}: its numbers, from the library; explain has no equations for it`,
          },
        ];
    }
  })();
  return headed(step, equations);
}

/**
 * Backpropagation through a layer that is not Dense: ∂L/∂h⁽ᵏ⁾ from the loss when it is the
 * model's last layer, its parameters' gradients, and then the gradient it passes down,
 * ∂L/∂(its input), as the library's backward pass wrote it (none for the first layer).
 * @throws never
 */
export function otherBackward(explanation: Explanation, step: OtherLayerExplanation): Equation[] {
  const n = namesOf(explanation, step);
  const above = nextStep(explanation, step);
  const last = above === undefined;
  const equations: Equation[] = [];
  if (above?.kind === 'Dense') {
    equations.push(passedByDense(above, n.gradOutput, step.gradOutput, flipped, undefined));
  }
  const gradIn = step.gradInput;
  if (last && explanation.fused) {
    if (gradIn !== null) {
      equations.push({
        text: `${n.gradInput.text} = ${n.output.text} − y`,
        latex: `${n.gradInput.latex} = ${n.output.latex} - y`,
        terms: [
          vector(n.output, step.output),
          op('−', '-'),
          vector(symbol('y'), explanation.y),
          EQUALS,
          vector(n.gradInput, gradIn),
        ],
        note: `${step.kind === 'Activation' ? step.activation : step.className} with ${explanation.loss.name}: ∂L/∂(its input) = h − y exactly`,
      });
    }
    return headed(step, equations);
  }
  if (last) {
    equations.push(
      lossGradientEquation(explanation, n.output, step.output, step.gradOutput, flipped, []),
    );
  }
  if (step.kind === 'BatchNormalization' || step.kind === 'LayerNormalization') {
    equations.push(...normalizationBackward(step, n));
  } else if (gradIn !== null) {
    equations.push(passDown(step, n, gradIn));
  }
  return headed(step, equations);
}

const flipped = (m: Matrix, s: Symbol): Term => vector(s, m);

/** ∂L/∂(input) of a layer without parameters, from ∂L/∂h⁽ᵏ⁾. */
function passDown(step: OtherLayerExplanation, n: StepNames, gradIn: Matrix): Equation {
  const from = vector(n.gradOutput, step.gradOutput);
  const to = vector(n.gradInput, gradIn);
  const plain = (note: string): Equation => ({
    text: `${n.gradInput.text} = ${n.gradOutput.text}`,
    latex: `${n.gradInput.latex} = ${n.gradOutput.latex}`,
    terms: [from, EQUALS, to],
    note,
  });
  switch (step.kind) {
    case 'Dropout': {
      if (step.mask === null) return plain('the identity passes the gradient through');
      const m = positioned(NAMES.mask, step.position);
      return {
        text: `${n.gradInput.text} = ${n.gradOutput.text} ⊙ ${m.text}`,
        latex: `${n.gradInput.latex} = ${n.gradOutput.latex} \\odot ${m.latex}`,
        terms: [from, op('⊙', '\\odot'), vector(m, step.mask), EQUALS, to],
      };
    }
    case 'Activation': {
      if (step.derivative === null) {
        return {
          text: `${n.gradInput.text} = J(${n.input.text})ᵀ ${n.gradOutput.text}`,
          latex: `${n.gradInput.latex} = J(${n.input.latex})^{\\top} ${n.gradOutput.latex}`,
          terms: [from, op('↦', '\\mapsto'), to],
          note: 'softmax: J = diag(h) − hhᵀ, so ∂L/∂xⱼ = hⱼ(∂L/∂hⱼ − Σᵢ hᵢ ∂L/∂hᵢ)',
        };
      }
      const gPrime = derivativeOf(step.activation, n.input);
      return {
        text: `${n.gradInput.text} = ${n.gradOutput.text} ⊙ ${gPrime.text}`,
        latex: `${n.gradInput.latex} = ${n.gradOutput.latex} \\odot ${gPrime.latex}`,
        terms: [from, op('⊙', '\\odot'), vector(gPrime, step.derivative), EQUALS, to],
      };
    }
    case 'GaussianNoise':
      return plain('the noise does not depend on the input');
    default:
      return {
        text: `${n.gradInput.text} = backward(${n.gradOutput.text})`,
        latex: `${n.gradInput.latex} = \\operatorname{backward}(${n.gradOutput.latex})`,
        terms: [from, op('↦', '\\mapsto'), to],
      };
  }
}

/** The equations with the layer's heading on the first. */
export function headed(step: OtherLayerExplanation, equations: Equation[]): Equation[] {
  return equations.map((equation, i) =>
    i === 0 ? { ...equation, heading: layerHeading(step) } : equation,
  );
}
