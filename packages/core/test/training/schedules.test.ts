import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createSchedule,
  Dense,
  Sequential,
  type ScheduleConfig,
} from '../../src/index.js';

const context = { initialLearningRate: 0.1, epochs: 4, batches: 2, validation: false };

/** η for every (epoch, batch) of the run, epoch-major. */
function rates(config: ScheduleConfig, ctx = context): number[] {
  const schedule = createSchedule(config, ctx);
  const out: number[] = [];
  for (let e = 1; e <= ctx.epochs; e++) {
    for (let b = 1; b <= ctx.batches; b++) out.push(schedule.learningRate(e, b));
  }
  return out;
}

describe('learning-rate schedules, by hand', () => {
  it('step: η₀·γ^⌊(e − 1)/stepSize⌋, constant within an epoch', () => {
    expect(rates({ type: 'step', stepSize: 2, gamma: 0.5 })).toEqual([
      0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05,
    ]);
  });

  it('exponential: η₀·γ^(e − 1)', () => {
    const r = rates({ type: 'exponential', gamma: 0.5 });
    expect(r).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125]);
  });

  it('cosine with one warm-up epoch: linear over 2 batches, then a half cosine over 6', () => {
    // K = 8 batches, W = 2: η₀·1/2, η₀·2/2, then ½η₀(1 + cos(π·j/6)) for j = 0..5
    const expected = [
      0.05,
      0.1,
      ...[0, 1, 2, 3, 4, 5].map((j) => 0.05 * (1 + Math.cos((Math.PI * j) / 6))),
    ];
    rates({ type: 'cosine', warmupEpochs: 1 }).forEach((rate, i) =>
      expect(rate).toBeCloseTo(expected[i]!, 15),
    );
    expect(expected[5]).toBeCloseTo(0.05, 15); // halfway through the cosine: η₀/2
  });

  it('cosine without warm-up starts at η₀ and ends above ηmin', () => {
    const r = rates({ type: 'cosine', minLearningRate: 0.01 });
    expect(r[0]).toBe(0.1);
    expect(r[7]).toBeCloseTo(0.01 + 0.045 * (1 + Math.cos((Math.PI * 7) / 8)), 15);
    expect(r[7]).toBeGreaterThan(0.01);
  });

  it('reduceOnPlateau: ×factor after `patience` epochs without improvement, then cooldown', () => {
    const schedule = createSchedule(
      { type: 'reduceOnPlateau', patience: 2, factor: 0.5, minDelta: 0.01, cooldown: 1 },
      context,
    );
    const seen: number[] = [];
    // loss: improves, then flat twice (reduce), cooldown epoch, flat twice (reduce), …
    [1, 0.5, 0.5, 0.495, 0.5, 0.5, 0.5, 0.2].forEach((loss, i) => {
      schedule.onEpochEnd(i + 1, { loss });
      seen.push(schedule.learningRate(i + 2, 1));
    });
    expect(seen).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]);
  });

  it('reduceOnPlateau watches valLoss when there is validation data, and says when a log is missing', () => {
    const schedule = createSchedule({ type: 'reduceOnPlateau' }, { ...context, validation: true });
    expect(() => schedule.onEpochEnd(1, { loss: 1 })).toThrow(
      /monitors valLoss, which the logs do not have \(they have loss\)/,
    );
  });

  it('fit applies the schedule per batch and logs each epoch’s learning rate', async () => {
    const model = new Sequential([new Dense(1, 1)], { dtype: 'float64' });
    const x = [[1], [2], [3], [4]];
    const y = [[2], [4], [6], [8]];
    const history = await model.fit(x, y, {
      learningRate: 0.01,
      batchSize: 2,
      epochs: 4,
      schedule: { type: 'step', stepSize: 1, gamma: 0.5 },
    });
    expect(history.history['learningRate']).toEqual([0.01, 0.005, 0.0025, 0.00125]);
  });

  it('rejects bad configurations with a ConfigError naming the option', () => {
    const cases: [unknown, RegExp][] = [
      [
        { type: 'linear' },
        /^schedule.type must be one of step, exponential, cosine, reduceOnPlateau; received "linear"$/,
      ],
      [{ type: 'step', stepSize: 0 }, /^schedule.stepSize must be an integer >= 1; received 0$/],
      [{ type: 'step', gamma: 1.5 }, /^schedule.gamma must be a number in \(0, 1\]; received 1.5$/],
      [
        { type: 'cosine', warmup: 1 },
        /a cosine schedule has no option "warmup"; valid options are type, warmupEpochs, minLearningRate/,
      ],
      [
        { type: 'reduceOnPlateau', patience: -1 },
        /schedule.patience must be an integer >= 0; received -1/,
      ],
      [
        { type: 'reduceOnPlateau', factor: 1 },
        /schedule.factor must be a number in \(0, 1\); received 1/,
      ],
      [
        { type: 'reduceOnPlateau', mode: 'up' },
        /schedule.mode must be one of auto, min, max; received up/,
      ],
    ];
    for (const [config, message] of cases) {
      expect(() => createSchedule(config as ScheduleConfig, context)).toThrow(ConfigError);
      expect(() => createSchedule(config as ScheduleConfig, context)).toThrow(message);
    }
    expect(() => createSchedule({ type: 'cosine', warmupEpochs: 4 }, context)).toThrow(
      /^schedule.warmupEpochs must be less than the epochs \(4\); received 4$/,
    );
  });
});
