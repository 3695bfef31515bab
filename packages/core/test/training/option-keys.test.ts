import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  Sequential,
  type EvaluateOptions,
  type FitOptions,
} from '../../src/index.js';

/** A 2-1 float64 network whose parameters must not move when fit rejects its options. */
function model(): Sequential {
  return new Sequential([new Dense(2, 1, { activation: 'sigmoid' })], { dtype: 'float64' });
}
const x = [
  [0, 1],
  [1, 0],
];
const y = [[1], [0]];

const FIT_KEYS =
  'loss, optimizer, learningRate, batchSize, epochs, shuffle, accuracy, metrics, l1, l2, ' +
  'clipNorm, clipValue, schedule, validationSplit, validationData, classWeight, sampleWeight, ' +
  'callbacks, checkpoint, ' +
  'resume, onBatchEnd, onEpochEnd, yieldEvery';

describe('fit rejects unknown option keys, as Keras and PyTorch reject unknown kwargs', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'a key in the wrong case',
      { learningrate: 0.5 },
      `fit has no option "learningrate" (did you mean learningRate?); valid options are ${FIT_KEYS}`,
    ],
    [
      "another library's name",
      { lr: 0.5, epochs: 2 },
      `fit has no option "lr"; valid options are ${FIT_KEYS}`,
    ],
    [
      'a key whose value is undefined',
      { verbose: undefined },
      `fit has no option "verbose"; valid options are ${FIT_KEYS}`,
    ],
  ];
  for (const [name, options, message] of cases) {
    it(`throws ConfigError for ${name}, before training`, async () => {
      const m = model();
      const before = m.parameters().map((p) => Array.from(p.data));
      const error: unknown = await m.fit(x, y, options as FitOptions).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(message);
      expect(m.parameters().map((p) => Array.from(p.data))).toEqual(before);
    });
  }

  it('rejects options that are not an object', async () => {
    await expect(model().fit(x, y, 5 as FitOptions)).rejects.toThrow(
      /^fit options must be an object; received 5$/,
    );
    await expect(model().fit(x, y, null as unknown as FitOptions)).rejects.toThrow(ConfigError);
  });

  it('rejects a hook that is not a function before training (was a TypeError at batch 1)', async () => {
    const m = model();
    const before = m.parameters().map((p) => Array.from(p.data));
    await expect(m.fit(x, y, { onBatchEnd: 5 as never })).rejects.toThrow(
      new ConfigError('onBatchEnd must be a function; received 5'),
    );
    await expect(m.fit(x, y, { onEpochEnd: 'log' as never })).rejects.toThrow(
      new ConfigError('onEpochEnd must be a function; received "log"'),
    );
    expect(m.parameters().map((p) => Array.from(p.data))).toEqual(before);
  });

  it('accepts every documented key', async () => {
    const history = await model().fit(x, y, {
      loss: 'mse',
      learningRate: 0.5,
      batchSize: 1,
      epochs: 2,
      shuffle: false,
      accuracy: true,
      metrics: ['mae'],
      l1: 0,
      l2: 0,
      clipNorm: 10,
      clipValue: 10,
      schedule: { type: 'step' },
      validationData: [x, y],
      callbacks: [],
      onBatchEnd: () => {},
      onEpochEnd: () => {},
    });
    expect(history.epoch).toEqual([1, 2]);
    expect(Object.keys(history.history).sort()).toEqual(
      [
        'accuracy',
        'examplesPerSecond',
        'learningRate',
        'loss',
        'mae',
        'seconds',
        'valAccuracy',
        'valLoss',
        'valMae',
      ].sort(),
    );
  });
});

describe('evaluate rejects unknown option keys', () => {
  it('names the key and lists loss, accuracy, batchSize, metrics, classWeight, sampleWeight, onBatch', () => {
    const evaluate = () => model().evaluate(x, y, { loss: 'mse', verbose: 1 } as EvaluateOptions);
    expect(evaluate).toThrow(ConfigError);
    expect(evaluate).toThrow(
      /^evaluate has no option "verbose"; valid options are loss, accuracy, batchSize, metrics, classWeight, sampleWeight, onBatch$/,
    );
    expect(() => model().evaluate(x, y, { batchsize: 1 } as EvaluateOptions)).toThrow(
      /"batchsize" \(did you mean batchSize\?\)/,
    );
  });

  it('checks the options before the data', () => {
    expect(() => model().evaluate([], [], { epochs: 1 } as EvaluateOptions)).toThrow(
      /^evaluate has no option "epochs"/,
    );
  });

  it('accepts every documented key', () => {
    const logs = model().evaluate(x, y, {
      loss: 'mse',
      accuracy: true,
      batchSize: 1,
      metrics: ['mse'],
    });
    expect(Object.keys(logs).sort()).toEqual(['accuracy', 'loss', 'mse']);
    expect(logs['accuracy']).toBeGreaterThanOrEqual(0);
  });
});
