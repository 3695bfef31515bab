import { describe, expect, it } from 'vitest';
import { explain, type Matrix } from '../../packages/core/src/index.js';
import { checkConfig } from '../../web/playground/config.js';
import { LESSONS, lectureSubject, type Lesson } from '../../web/playground/presets.js';
import { Session } from '../../web/playground/session.js';

// The lessons (web/playground/presets.ts) show what their two sentences say, on the runs they
// load: checked here in Node, on the same Session the page trains.

function lesson(id: Lesson['id']): Lesson {
  return LESSONS.find((candidate) => candidate.id === id)!;
}

const norm = (m: Matrix) => Math.hypot(...m.data);

/** Per hidden layer, the fraction of units whose output is 0 on every training example. */
function deadFractions(session: Session): number[] {
  const { a } = session.model.forward(session.train.x);
  return a.slice(1, -1).map((layer) => {
    let dead = 0;
    for (let j = 0; j < layer.cols; j++) {
      let alive = false;
      for (let i = 0; i < layer.rows && !alive; i++) alive = layer.get(i, j) > 0;
      if (!alive) dead++;
    }
    return dead / layer.cols;
  });
}

describe('the playground lessons (web/playground/presets.ts)', () => {
  it('each has two sentences, and valid settings (the lecture none: it is not in the plane)', () => {
    expect(LESSONS.map((l) => l.id)).toEqual([
      'lecture',
      'xor-too-small',
      'vanishing-gradients',
      'dead-relus',
    ]);
    for (const { text, config, id } of LESSONS) {
      expect(text.split(/(?<=[.!?])\s+(?=[A-Z])/), id).toHaveLength(2);
      if (config !== undefined) expect(checkConfig(config)).toBe(config);
    }
    expect(lesson('lecture').config).toBeUndefined();
    const { source } = lectureSubject();
    expect([source.model.inputs, source.model.outputs]).toEqual([3, 2]);
    expect(source.x).toEqual([0.5, -1, 2]);
  });

  it('XOR with one hidden unit stays below 80% where four units pass 95%', async () => {
    const config = lesson('xor-too-small').config!;
    const small = new Session(config);
    const enough = new Session({ ...config, hidden: [4] });
    await small.trainEpochs(150);
    await enough.trainEpochs(150);
    expect(small.scores().accuracy).toBeLessThan(0.8);
    expect(enough.scores().accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("a deep sigmoid net's first-layer gradient is below 1e-3 of its last's, and it stays at 50%", async () => {
    const session = new Session(lesson('vanishing-gradients').config!);
    const { layers } = explain(session.model, Array.from(session.train.x.row(0)), [
      session.train.y.get(0, 0),
    ]);
    const first = norm(layers[0]!.gradWeights);
    const last = norm(layers[layers.length - 1]!.gradWeights);
    expect(first / last).toBeLessThan(1e-3);
    expect(first).toBeGreaterThan(0);
    await session.trainEpochs(100);
    expect(session.scores().accuracy).toBe(0.5);
  });

  it('with η = 3 most ReLUs die; with η = 0.03 none do', async () => {
    const config = lesson('dead-relus').config!;
    const high = new Session(config);
    const low = new Session({ ...config, learningRate: 0.03 });
    await high.trainEpochs(100);
    await low.trainEpochs(100);
    const dead = deadFractions(high);
    expect(dead.reduce((a, b) => a + b) / dead.length).toBeGreaterThan(0.5);
    expect(deadFractions(low)).toEqual([0, 0]);
    expect(low.scores().accuracy).toBeGreaterThan(0.95);
  });
});
