import { jsBackend } from '../backend/js.js';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../model/sequential.js';
import { Matrix } from '../tensor/matrix.js';

/**
 * The lecture's worked example, one example of the 3-3-2 network: x = a⁰ and the target y.
 * The same numbers as the hand-computed references in test/model/lecture-reference.ts.
 */
export const LECTURE_EXAMPLE: { readonly x: readonly number[]; readonly y: readonly number[] } = {
  x: [0.5, -1, 2],
  y: [1, 0],
};

/** η of the lecture's worked SGD step. */
export const LECTURE_LEARNING_RATE = 0.5;

/** W¹ [3, 3], b¹ [3], W² [2, 3], b² [2] of the lecture's network (row j = inputs of unit j). */
const PARAMETERS = [
  {
    weights: [
      [0.1, -0.2, 0.3],
      [0.4, 0.5, -0.6],
      [-0.7, 0.8, 0.9],
    ],
    bias: [0.1, -0.1, 0.2],
  },
  {
    weights: [
      [0.2, -0.3, 0.4],
      [-0.5, 0.6, 0.1],
    ],
    bias: [0.05, -0.05],
  },
];

/**
 * The lecture's small network: 3 inputs, 3 sigmoid hidden units, 2 sigmoid outputs, float64,
 * seed 1, on the TypeScript backend, with the lecture's fixed weights and biases (not random),
 * so that students can check every number by hand. Train it with the loss 'mse' (½Σ(y − a)²)
 * on {@link LECTURE_EXAMPLE}.
 * @returns a new model each call
 * @example
 * lectureNetwork().predict([LECTURE_EXAMPLE.x]).toArray(); //=> [[0.60445…, 0.44035…]]
 */
export function lectureNetwork(): Sequential {
  const model = new Sequential(
    [new Dense(3, 3, { activation: 'sigmoid' }), new Dense(3, 2, { activation: 'sigmoid' })],
    { dtype: 'float64', seed: 1, backend: jsBackend },
  );
  model.denseLayers.forEach((layer, i) => {
    const { weights, bias } = PARAMETERS[i]!;
    layer.weights = Matrix.from(weights, 'float64');
    layer.bias = Matrix.from([bias], 'float64');
  });
  return model;
}
