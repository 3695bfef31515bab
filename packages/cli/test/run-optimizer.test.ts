import { describe, expect, it } from 'vitest';
import { buildOptimizer } from '../src/run-optimizer.js';
import type { TrainOptions } from '../src/train-command.js';
import { trainingFitOptions, trainingMetadata } from '../src/training-flags.js';

// The learning rate is decided in one place and the optimizer built once per run (issue 15,
// item 12): buildOptimizer, whose optimizer fit steps and the model file describes.

/** The options of a run, with `typed` the options typed on the command line. */
function options(set: Partial<TrainOptions>, typed: string[]): TrainOptions {
  return {
    optimizer: 'sgd',
    learningRate: 0.1, // the command line's default
    l1: 0,
    l2: 0,
    ...set,
    given: new Set(typed),
  } as TrainOptions;
}

describe('buildOptimizer', () => {
  it.each([
    ['MNIST, nothing typed: the lecture’s SGD, η = 0.1', options({}, []), false, 'SGD', 0.1],
    [
      'MNIST, --optimizer adam: Adam’s own η = 10⁻³',
      options({ optimizer: 'adam' }, ['optimizer']),
      false,
      'Adam',
      1e-3,
    ],
    [
      'a table, nothing typed: Adam (the table default), η = 10⁻²',
      options({ optimizer: 'adam' }, []),
      true,
      'Adam',
      0.01,
    ],
    [
      'a table, --optimizer adam typed: Adam’s own η',
      options({ optimizer: 'adam' }, ['optimizer']),
      true,
      'Adam',
      1e-3,
    ],
    [
      'a table, --optimizer sgd: the command line’s η',
      options({ optimizer: 'sgd' }, ['optimizer']),
      true,
      'SGD',
      0.1,
    ],
    [
      'a typed --learning-rate wins',
      options({ optimizer: 'adam', learningRate: 0.2 }, ['learningRate']),
      true,
      'Adam',
      0.2,
    ],
  ])('%s', (_, run, table, className, learningRate) => {
    const built = buildOptimizer(run, table);
    expect(built.optimizer.constructor.name).toBe(className);
    expect(built.optimizer.learningRate).toBe(learningRate);
    expect(built.options.learningRate).toBe(learningRate);
  });

  it('gives fit and the model file the one optimizer it built', () => {
    const { options: resolved, optimizer } = buildOptimizer(
      options({ optimizer: 'momentum', momentum: 0.5 }, ['optimizer', 'momentum']),
      false,
    );
    expect(trainingFitOptions(resolved, optimizer).optimizer).toBe(optimizer);
    expect(trainingMetadata(resolved, optimizer)['optimizer']).toBe(String(optimizer));
  });
});
