import type { Sequential } from '../../packages/core/src/browser.js';

/**
 * A model and one of its examples to step through (the "Step through" view's input): set by
 * the playground when the user loads a model file, read by the step-through view.
 */
export interface StepThroughSource {
  model: Sequential;
  /** The example's input x = a⁰, n⁰ numbers (already preprocessed). */
  x: number[];
  /** Its target y, nᴸ numbers (one-hot for a classifier). */
  y: number[];
  /** Where the example came from, e.g. 'iris.csv, row 5' or 'a blank input (zeros)'. */
  label: string;
}

let current: StepThroughSource | undefined;
const listeners = new Set<(source: StepThroughSource) => void>();

/** Makes `source` the model and example to step through, and tells the listeners. */
export function setStepThroughSource(source: StepThroughSource): void {
  current = source;
  for (const listener of listeners) listener(source);
}

/** The loaded model and example to step through, if the user has loaded one. */
export function stepThroughSource(): StepThroughSource | undefined {
  return current;
}

/**
 * Calls `listener` whenever a model and example are loaded (and now, if one is).
 * @returns a function that removes the listener
 */
export function onStepThroughSource(listener: (source: StepThroughSource) => void): () => void {
  listeners.add(listener);
  if (current !== undefined) listener(current);
  return () => void listeners.delete(listener);
}
