import type { Labelled, PlaygroundConfig } from './config.js';

/** What decides a playground run so far: its config, the epochs trained and the current SGD settings. */
export interface PlaygroundRun {
  config: PlaygroundConfig;
  /** Epochs trained, ≥ 1. */
  epochs: number;
  /** η and the batch size now (they may have been changed during the run). */
  learningRate: number;
  batchSize: number;
  /** The training points, x [n, 2] and y [n, 1]. */
  train: Labelled;
}

/**
 * "Export as code" for the playground's run: the TypeScript that reproduces it with the library
 * in Node: the training points inlined (the page draws them with its own seeded generator, which
 * is not part of the library; `String` of a double reads back to the same double), the same
 * network, seed, backend and dtype, and one `fit` call of the epochs trained, whose losses are
 * the page's. When η or the batch size changed during the run, the page ran several `fit`
 * calls; the code then trains with the current values from the start, and says so.
 * @returns the module's text; it exports `x`, `y`, `model` and `history`
 * @throws RangeError when no epoch has been trained
 */
export function exportPlaygroundCode(run: PlaygroundRun): string {
  const { config, train } = run;
  if (!(run.epochs >= 1)) throw new RangeError('train at least one epoch, then export the run');
  const sizes = [2, ...config.hidden, 1];
  const layers = sizes.slice(1).map((units, i) => {
    const activation = i === sizes.length - 2 ? 'sigmoid' : config.activation;
    return `    new Dense(${sizes[i]}, ${units}, { activation: '${activation}' }),`;
  });
  const rows = (matrix: Labelled['x']) =>
    matrix.toArray().map((row) => `  [${row.map(String).join(', ')}],`);
  const changed = run.learningRate !== config.learningRate || run.batchSize !== config.batchSize;
  return `// A backprop playground run reproduced with the library in Node: ${config.dataset}, ${config.points} points,
// noise ${config.noise}, seed ${config.seed}; ${sizes.join('-')} (${config.activation}, sigmoid output); ${config.loss};
// SGD, η = ${run.learningRate}, batch size ${run.batchSize}; ${run.epochs} epochs. The same losses as the page.${
    changed
      ? `
// η or the batch size changed during the page’s run (it started with η = ${config.learningRate},
// batch size ${config.batchSize}): this code trains with the current values from the start.`
      : ''
  }
import { Dense, Sequential, jsBackend } from '@backpropjs/core';

// The training points, as the playground drew them.
const x = [
${rows(train.x).join('\n')}
];
const y = [
${rows(train.y).join('\n')}
];
const model = new Sequential(
  [
${layers.join('\n')}
  ],
  { dtype: 'float64', seed: ${config.seed}, backend: jsBackend },
);
const history = await model.fit(x, y, {
  loss: '${config.loss}',
  learningRate: ${run.learningRate},
  batchSize: ${run.batchSize},
  epochs: ${run.epochs},
});
console.log('training loss per epoch:', history.history['loss']);
console.log('training:', model.evaluate(x, y, { loss: '${config.loss}', accuracy: true }));
export { x, y, model, history };
`;
}
