import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  EarlyStopping,
  Random,
  Sequential,
  type Callback,
} from '../../src/index.js';

/** Feeds a sequence of monitored values to a callback; returns the epoch it stopped at, or 0. */
function run(callback: EarlyStopping, values: number[], monitor = 'valLoss'): number {
  for (let i = 0; i < values.length; i++) {
    if (callback.onEpochEnd(i + 1, { [monitor]: values[i]! }).stop) return i + 1;
  }
  return 0;
}

describe('EarlyStopping, as Keras', () => {
  it('stops after `patience` epochs without improvement', () => {
    expect(run(new EarlyStopping({ patience: 2 }), [1, 0.9, 0.95, 0.92, 0.8])).toBe(4);
    expect(run(new EarlyStopping({ patience: 0 }), [1, 0.9, 0.95, 0.8])).toBe(3);
    expect(run(new EarlyStopping({ patience: 3 }), [1, 0.9, 0.95, 0.92, 0.8, 0.7])).toBe(0);
  });

  it('counts an improvement only when larger than minDelta', () => {
    const callback = new EarlyStopping({ patience: 2, minDelta: 0.1 });
    expect(run(callback, [1, 0.95, 0.92, 0.5])).toBe(3);
    expect(callback.best).toBe(1);
    expect(callback.bestEpoch).toBe(1);
    expect(callback.stoppedEpoch).toBe(3);
    expect(run(new EarlyStopping({ patience: 2 }), [1, 0.95, 0.92, 0.5])).toBe(0);
  });

  it('maximises accuracies in auto mode, and follows an explicit mode', () => {
    expect(
      run(
        new EarlyStopping({ monitor: 'valAccuracy', patience: 1 }),
        [0.5, 0.6, 0.55, 0.58],
        'valAccuracy',
      ),
    ).toBe(3);
    expect(
      run(new EarlyStopping({ monitor: 'score', mode: 'max', patience: 0 }), [1, 2, 1.5], 'score'),
    ).toBe(3);
  });

  it('does not reset the count while the baseline is not beaten', () => {
    expect(run(new EarlyStopping({ patience: 2, baseline: 0.5 }), [1, 0.9, 0.95, 0.92])).toBe(3);
    expect(run(new EarlyStopping({ patience: 2 }), [1, 0.9, 0.95, 0.92])).toBe(4);
  });

  it('in fit: stops training and restores the best epoch’s weights', async () => {
    const model = new Sequential([new Dense(1, 1)], { dtype: 'float64', seed: 2 });
    const random = new Random(1);
    const x = Array.from({ length: 20 }, () => [random.uniform()]);
    const y = x.map(([v]) => [3 * v! + 1]);
    const snapshots: Float64Array[][] = [];
    const snapshot: Callback = {
      onEpochEnd: () => {
        snapshots.push(model.parameters().map((p) => Float64Array.from(p.data)));
      },
    };
    // The learning rate is far too large: valLoss grows from the first epoch on.
    const early = new EarlyStopping({ monitor: 'valLoss', patience: 2, restoreBestWeights: true });
    const history = await model.fit(x, y, {
      learningRate: 2.5,
      batchSize: 20,
      epochs: 50,
      validationData: [x, y],
      callbacks: [early, snapshot],
    });
    expect(history.epoch.length).toBeLessThan(50);
    expect(early.stoppedEpoch).toBe(history.epoch.length);
    const valLoss = history.history['valLoss']!;
    const best = valLoss.indexOf(Math.min(...valLoss));
    expect(early.bestEpoch).toBe(best + 1);
    model
      .parameters()
      .forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(snapshots[best]![i]!)));
  });

  it('stops fit when a callback returns { stop: true } or sets model.stopTraining', async () => {
    const model = new Sequential([new Dense(1, 1)], { dtype: 'float64' });
    const x = [[1], [2], [3], [4]];
    const y = [[1], [2], [3], [4]];
    const byResult = await model.fit(x, y, {
      batchSize: 1,
      epochs: 10,
      callbacks: [{ onEpochEnd: (epoch) => ({ stop: epoch === 3 }) }],
    });
    expect(byResult.epoch).toEqual([1, 2, 3]);
    let batches = 0;
    const byFlag = await model.fit(x, y, {
      batchSize: 1,
      epochs: 10,
      callbacks: [
        {
          onBatchEnd: () => {
            if (++batches === 6) model.stopTraining = true;
          },
        },
      ],
    });
    expect(byFlag.epoch).toEqual([1, 2]); // stopped after batch 2 of epoch 2, which is logged
    expect(batches).toBe(6);
    expect(model.stopTraining).toBe(true);
  });

  it('rejects patience < 0 and other bad options', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ConfigError);
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(
      /^EarlyStopping patience must be an integer >= 0; received -1$/,
    );
    expect(() => new EarlyStopping({ minDelta: -0.1 })).toThrow(
      /minDelta must be a finite number >= 0/,
    );
    expect(() => new EarlyStopping({ mode: 'best' as 'min' })).toThrow(
      /mode must be one of auto, min, max/,
    );
    expect(() => new EarlyStopping({ patients: 3 } as never)).toThrow(
      /EarlyStopping has no option "patients"/,
    );
  });

  it('says which logs exist when the monitored one is missing', async () => {
    const model = new Sequential([new Dense(1, 1)]);
    await expect(model.fit([[1]], [[1]], { callbacks: [new EarlyStopping()] })).rejects.toThrow(
      /EarlyStopping monitors valLoss, which the logs do not have \(they have loss, learningRate, seconds, examplesPerSecond\); help: give validationSplit/,
    );
  });
});
