import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sequential } from '../../packages/core/src/index.js';
import { artifacts } from '../browser/chromium.js';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../web/playground/config.js';
import { exportPlaygroundCode } from '../../web/playground/export-playground.js';
import { Session } from '../../web/playground/session.js';
import { typeErrors } from '../type-check.js';

// "Export as code" for the playground's run: the code type-checks and, run in Node, trains the
// same model as the page's session, bit for bit (the same code in the same V8).

const config: PlaygroundConfig = { ...DEFAULT_CONFIG, hidden: [3, 2], points: 40, batchSize: 7 };

describe('exportPlaygroundCode', () => {
  it('type-checks, and run gives the session’s losses and weights exactly', async () => {
    const session = new Session(config);
    await session.trainEpochs(6);
    const code = exportPlaygroundCode({
      config,
      epochs: session.epoch,
      learningRate: session.learningRate,
      batchSize: session.batchSize,
      train: session.train,
    });
    expect(code).not.toContain('changed during');
    const folder = join(artifacts, 'export');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'playground-run.ts');
    writeFileSync(file, code);
    expect(typeErrors(file)).toEqual([]);
    const run = (await import(/* @vite-ignore */ file)) as {
      x: number[][];
      history: { history: Record<string, number[]> };
      model: Sequential;
    };
    expect(run.x).toEqual(session.train.x.toArray());
    expect(run.history.history['loss']).toEqual(session.losses);
    expect(run.model.parameters().map((p) => Array.from(p.data))).toEqual(
      session.model.parameters().map((p) => Array.from(p.data)),
    );
  }, 60_000);

  it('says when η or the batch size changed during the run, and refuses a run of 0 epochs', () => {
    const session = new Session(config);
    const run = {
      config,
      epochs: 3,
      learningRate: 0.5,
      batchSize: 7,
      train: session.train,
    };
    expect(exportPlaygroundCode(run)).toContain(
      '// η or the batch size changed during the page’s run (it started with η = 0.1,',
    );
    expect(exportPlaygroundCode(run)).toContain(
      '  learningRate: 0.5,\n  batchSize: 7,\n  epochs: 3,',
    );
    expect(() => exportPlaygroundCode({ ...run, epochs: 0 })).toThrow(RangeError);
  });
});
