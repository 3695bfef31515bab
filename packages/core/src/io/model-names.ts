import type { Preprocessing } from '../data/preprocess.js';

// The checks that tie class names and a preprocessing to a model's widths, used when a model
// file is read (model-schema.ts) and when they are set on a model (Sequential): apart from the
// file's parser, so that a page that only trains does not bundle the parser.

/**
 * Checks class names against the output width: one name per output, or two names for a single
 * sigmoid output (negative class first); names must be distinct.
 * @returns what is wrong, as `expected …, found …`, or undefined
 * @throws never
 */
export function classNamesProblem(
  classNames: readonly string[] | undefined,
  outputs: number,
): string | undefined {
  if (classNames === undefined) return undefined;
  const count = classNames.length;
  if (count !== outputs && !(outputs === 1 && count === 2)) {
    const expected = outputs === 1 ? '1 or 2 names' : `${outputs} names`;
    return `expected ${expected} (the model's outputs), found ${count}`;
  }
  const duplicate = classNames.find((name, i) => classNames.indexOf(name) !== i);
  if (duplicate !== undefined) {
    return `expected distinct names, found ${JSON.stringify(duplicate)} twice`;
  }
  return undefined;
}

/**
 * Checks a preprocessing against a model's widths: n⁰ feature names; nᴸ classes (or two for one
 * output) for classification, nᴸ targets for regression.
 * @returns what is wrong, as `<field>: expected …, found …`, or undefined
 * @throws never
 */
export function preprocessingProblem(
  preprocessing: Preprocessing,
  inputs: number,
  outputs: number,
): string | undefined {
  const features = preprocessing.featureNames.length;
  if (features !== inputs) {
    return `featureNames: expected ${inputs} names (the model's inputs), found ${features}`;
  }
  if (preprocessing.classNames !== undefined) {
    const problem = classNamesProblem(preprocessing.classNames, outputs);
    return problem === undefined ? undefined : `classNames: ${problem}`;
  }
  const targets = preprocessing.targetNames.length;
  if (targets !== outputs) {
    return `targetNames: expected ${outputs} names (the model's outputs), found ${targets}`;
  }
  return undefined;
}
