import { describe, expect, it } from 'vitest';
import type { Sequential } from '../../packages/core/src/index.js';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../web/playground/config.js';
import { describeChange, replaySegments, type RunRecord } from '../../web/playground/replay.js';
import { Session } from '../../web/playground/session.js';

// Rewind and replay (web/playground/replay.ts, Session.record): a run's record, replayed
// stretch by stretch, gives the same losses and weights bit for bit; the comparison's label
// names what changed. (In Node the session trains with fit; in Chromium, in a Web Worker:
// test/browser/replay-page.ts.)

const config: PlaygroundConfig = { ...DEFAULT_CONFIG, hidden: [3], points: 40, batchSize: 7 };

function bytes(model: Sequential): number[][] {
  return model.parameters().map((p) => Array.from(p.data));
}

describe('rewind and replay', () => {
  it('splits a run into stretches of its settings, cut at the epochs asked for', () => {
    const record: RunRecord = {
      config,
      changes: [
        { epoch: 3, learningRate: 0.5, batchSize: 4 },
        { epoch: 5, learningRate: 0.2, batchSize: 4 },
      ],
    };
    expect(replaySegments(record, 9)).toEqual([
      { epochs: 3, learningRate: 0.1, batchSize: 7 },
      { epochs: 2, learningRate: 0.5, batchSize: 4 },
      { epochs: 4, learningRate: 0.2, batchSize: 4 },
    ]);
    expect(replaySegments(record, 4)).toEqual([
      { epochs: 3, learningRate: 0.1, batchSize: 7 },
      { epochs: 1, learningRate: 0.5, batchSize: 4 },
    ]);
    expect(replaySegments(record, 0)).toEqual([]);
  });

  it('records η and batch-size changes at the epoch the new settings start, and replays them exactly', async () => {
    const first = new Session(config);
    first.setOptimization(0.2, 7); // before any epoch: the run's starting settings
    await first.trainEpochs(3);
    first.setOptimization(0.5, 4);
    await first.trainEpochs(2);
    first.setOptimization(0.5, 5);
    first.setOptimization(0.3, 5); // two changes at one epoch: the last counts
    await first.trainEpochs(4);
    expect(first.record).toEqual({
      config: { ...config, learningRate: 0.2 },
      changes: [
        { epoch: 3, learningRate: 0.5, batchSize: 4 },
        { epoch: 5, learningRate: 0.3, batchSize: 5 },
      ],
    });

    // Rewind: the same initial weights; replay stretch by stretch, in other chunk sizes.
    const replay = new Session(first.record.config);
    expect(bytes(replay.model)).toEqual(bytes(new Session(config).model));
    for (const segment of replaySegments(first.record, first.epoch)) {
      replay.setOptimization(segment.learningRate, segment.batchSize);
      for (let left = segment.epochs; left > 0; left -= 2) {
        await replay.trainEpochs(Math.min(2, left));
      }
    }
    expect(replay.losses).toEqual(first.losses);
    expect(bytes(replay.model)).toEqual(bytes(first.model));
    expect(replay.record).toEqual(first.record);
  });

  it('labels the comparison with the settings that differ', () => {
    const record: RunRecord = { config, changes: [] };
    expect(describeChange(record, config)).toBe('same settings');
    expect(describeChange(record, { ...config, learningRate: 0.3 })).toBe('η 0.1 → 0.3');
    expect(describeChange(record, { ...config, hidden: [8, 8], activation: 'relu' })).toBe(
      'hidden layers 3 → 8, 8, activation tanh → relu',
    );
    const changed = { config, changes: [{ epoch: 2, learningRate: 1, batchSize: 7 }] };
    expect(describeChange(changed, config)).toBe(
      'same settings (its η or batch size changed during training)',
    );
  });
});
