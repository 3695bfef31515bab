import type { Explanation, StepExplanation } from './explanation.js';
import { inFocus } from './focus.js';
import { NAMES, partial, positioned, symbol, type Symbol } from './symbols.js';

/** A quantity's symbol with unit indices, e.g. (['k']) → a¹ₖ. */
export type Namer = (indices?: readonly (number | string)[]) => Symbol;

/**
 * What a layer's output is called: aˡ for Dense layer l (the lecture's), h⁽ᵏ⁾ for the layer
 * at position k that is not Dense.
 * @throws never
 */
export function outputName(step: StepExplanation): Namer {
  return step.kind === 'Dense'
    ? (indices = []) => symbol('a', step.layer, indices)
    : (indices = []) => positioned(NAMES.h, step.position, indices);
}

/**
 * What a layer's input is called: the output of the layer before it, or a⁰ (= x) for the
 * first layer. In a plain stack of Dense layers, Dense layer l's input is aˡ⁻¹.
 * @throws never
 */
export function inputName(explanation: Explanation, step: StepExplanation): Namer {
  const before = explanation.steps[step.position - 2];
  return before === undefined ? (indices = []) => symbol('a', 0, indices) : outputName(before);
}

/** The layer after a step, or undefined for the model's last layer. */
export function nextStep(
  explanation: Explanation,
  step: StepExplanation,
): StepExplanation | undefined {
  return explanation.steps[step.position];
}

/** The layers the explanation's focus shows, in model order (see focus.ts). */
export function shownSteps(explanation: Explanation): StepExplanation[] {
  const lecture = explanation.steps.map((step) => (step.kind === 'Dense' ? step.layer : 0));
  const shown = inFocus(lecture, explanation.focus);
  return explanation.steps.filter((_, k) => shown[k]);
}

/** 'layer 3, BatchNormalization(momentum=0.99, epsilon=0.001)': a step that is not Dense. */
export function layerHeading(step: StepExplanation): string {
  return `layer ${step.position}, ${step.kind === 'Dense' ? 'Dense' : step.description}`;
}

/** The symbols of a step: its input, its output, and the gradients of both. */
export interface StepNames {
  input: Symbol;
  output: Symbol;
  gradInput: Symbol;
  gradOutput: Symbol;
}

/** The symbols of a step's input and output (e.g. a¹ and h⁽²⁾) and of their gradients. */
export function namesOf(explanation: Explanation, step: StepExplanation): StepNames {
  const input = inputName(explanation, step)();
  const output = outputName(step)();
  return { input, output, gradInput: partial(input), gradOutput: partial(output) };
}
