import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  checkpointPath,
  ConfigError,
  Dense,
  Dropout,
  EarlyStopping,
  jsBackend,
  loadCheckpoint,
  Momentum,
  ModelFileError,
  modelFromJSON,
  Random,
  Sequential,
  type Backend,
  type DType,
  type FitOptions,
  type History,
} from '../../src/index.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-checkpoint-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const random = new Random(21);
const X = Array.from({ length: 60 }, () => [0, 0, 0, 0].map(() => 2 * random.uniform() - 1));
const Y = X.map((row) => {
  const c = row[0]! + row[1]! > 0.3 ? 0 : row[2]! * row[3]! > 0 ? 1 : 2;
  return [0, 1, 2].map((k) => (k === c ? 1 : 0));
});

/** 4-8-(Dropout)-3 with Adam: everything that has state takes part in the run. */
function network(dtype: DType, backend?: Backend): Sequential {
  return new Sequential(
    [
      new Dense(4, 8, { activation: 'tanh' }),
      new Dropout(0.3),
      new Dense(8, 3, { activation: 'softmax' }),
    ],
    { dtype, seed: 5, backend },
  );
}

/**
 * 48 training rows in batches of 8 (6 per epoch) for 5 epochs, with a validation split,
 * dropout, Adam, L2, clipping, a cosine schedule with warm-up and an early-stopping callback
 * that keeps the best weights (but never stops).
 */
function options(dir: string, every: 'epoch' | number): { early: EarlyStopping; fit: FitOptions } {
  const early = new EarlyStopping({ monitor: 'valLoss', patience: 100, restoreBestWeights: true });
  return {
    early,
    fit: {
      loss: 'crossEntropy',
      optimizer: new Adam({ learningRate: 0.05 }),
      batchSize: 8,
      epochs: 5,
      metrics: ['mae'],
      l2: 1e-3,
      clipNorm: 1,
      validationSplit: 0.2,
      schedule: { type: 'cosine', warmupEpochs: 1 },
      callbacks: [early],
      checkpoint: { dir, every },
    },
  };
}

/** A run's result without the timings: parameters' bytes and the history's values. */
function outcome(model: Sequential, history: History, early: EarlyStopping) {
  const logs = { ...history.history };
  delete logs['seconds'];
  delete logs['examplesPerSecond'];
  return {
    parameters: model
      .parameters()
      .map((p) => Array.from(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength))),
    epoch: history.epoch,
    logs,
    early: [early.best, early.bestEpoch],
  };
}

/** Runs to the end, or throws (a crash) after global batch `crashAt`; then resumes. */
async function interruptedRun(
  dtype: DType,
  backend: Backend | undefined,
  dir: string,
  every: 'epoch' | number,
  crashAt: number,
) {
  let batches = 0;
  const crash = {
    onBatchEnd: () => {
      if (++batches === crashAt) throw new Error('simulated crash');
    },
  };
  const first = options(dir, every);
  await expect(
    network(dtype, backend).fit(X, Y, { ...first.fit, callbacks: [first.early, crash] }),
  ).rejects.toThrow('simulated crash');
  const again = options(dir, every);
  const model = network(dtype, backend);
  const history = await model.fit(X, Y, { ...again.fit, resume: true });
  return outcome(model, history, again.early);
}

async function uninterruptedRun(dtype: DType, backend: Backend | undefined, dir: string) {
  const run = options(dir, 'epoch');
  const model = network(dtype, backend);
  const history = await model.fit(X, Y, run.fit);
  return outcome(model, history, run.early);
}

describe('checkpoints: an interrupted-then-resumed run ends bit-identical', () => {
  const backends: [string, DType, Backend | undefined][] = [
    ['float64 (js)', 'float64', jsBackend],
    ['float32 (default backend)', 'float32', undefined],
    ['float32 (js)', 'float32', jsBackend],
  ];
  for (const [name, dtype, backend] of backends) {
    it(`${name}: checkpoints every 4 batches, crash after batch 15 (epoch 3, batch 3)`, async () => {
      const reference = await uninterruptedRun(dtype, backend, join(directory, `u-${name}`));
      const resumed = await interruptedRun(dtype, backend, join(directory, `b-${name}`), 4, 15);
      expect(resumed).toEqual(reference);
      expect(reference.epoch).toEqual([1, 2, 3, 4, 5]);
    });
  }

  it('float64: checkpoints every 4 batches, crash after batch 19: resumes at epoch 3, batch 5', async () => {
    const reference = await uninterruptedRun('float64', jsBackend, join(directory, 'u-mid'));
    const resumed = await interruptedRun('float64', jsBackend, join(directory, 'b-mid'), 4, 19);
    expect(resumed).toEqual(reference);
  });

  it('float64: checkpoints every epoch, crash mid-epoch 4: resumes from the end of epoch 3', async () => {
    const reference = await uninterruptedRun('float64', jsBackend, join(directory, 'u-epoch'));
    const resumed = await interruptedRun(
      'float64',
      jsBackend,
      join(directory, 'e-epoch'),
      'epoch',
      21,
    );
    expect(resumed).toEqual(reference);
  });

  it('a crash before the first checkpoint starts afresh with resume: true', async () => {
    const reference = await uninterruptedRun('float64', jsBackend, join(directory, 'u-fresh'));
    const resumed = await interruptedRun('float64', jsBackend, join(directory, 'f-fresh'), 10, 2);
    expect(resumed).toEqual(reference);
  });

  it('resuming a finished run trains no more and returns its history', async () => {
    const dir = join(directory, 'finished');
    const reference = await uninterruptedRun('float64', jsBackend, dir);
    const again = options(dir, 'epoch');
    const model = network('float64', jsBackend);
    const history = await model.fit(X, Y, { ...again.fit, resume: true });
    expect(outcome(model, history, again.early)).toEqual(reference);
  });

  it('a checkpoint holds the model, optimizer, generator and position', async () => {
    const dir = join(directory, 'contents');
    const run = options(dir, 'epoch');
    await network('float64', jsBackend).fit(X, Y, { ...run.fit, epochs: 2 });
    const checkpoint = (await loadCheckpoint(checkpointPath(dir)))!;
    expect(checkpoint.format).toBe('backprop-checkpoint');
    expect(checkpoint.position).toEqual({ epoch: 2, batch: 6, epochDone: true });
    expect(checkpoint.optimizer.className).toBe('Adam');
    expect(checkpoint.optimizer.state.step).toBe(12);
    expect(checkpoint.rows).toBe(48);
    expect(String(modelFromJSON(checkpoint.model))).toBe(String(network('float64')));
    expect(checkpoint.history.epoch).toEqual([1, 2]);
  });
});

describe('checkpoints: resuming with other settings is an error', () => {
  it('rejects a checkpoint from another architecture, naming both', async () => {
    const dir = join(directory, 'architecture');
    await network('float64', jsBackend).fit(X, Y, { ...options(dir, 'epoch').fit, epochs: 2 });
    const other = new Sequential(
      [new Dense(4, 5, { activation: 'tanh' }), new Dense(5, 3, { activation: 'softmax' })],
      { dtype: 'float64', seed: 5 },
    );
    const error: unknown = await other
      .fit(X, Y, { ...options(dir, 'epoch').fit, resume: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `the checkpoint ${checkpointPath(dir)} was saved with the model Sequential(Dense(4 => 8, ` +
        'tanh), Dropout(0.3), Dense(8 => 3, softmax)); this run has Sequential(Dense(4 => 5, ' +
        'tanh), Dense(5 => 3, softmax)); help: resume with the same settings, or start afresh ' +
        'without resume',
    );
  });

  it('rejects another optimizer, dtype, batch size or number of rows', async () => {
    const dir = join(directory, 'settings');
    await network('float64', jsBackend).fit(X, Y, { ...options(dir, 'epoch').fit, epochs: 2 });
    const resume = (changes: Partial<FitOptions>, model = network('float64', jsBackend)) =>
      model.fit(X, Y, {
        ...options(dir, 'epoch').fit,
        ...changes,
        resume: true,
      });
    await expect(resume({ optimizer: new Momentum() })).rejects.toThrow(
      /was saved with the optimizer Adam; this run has Momentum/,
    );
    await expect(resume({}, network('float32', jsBackend))).rejects.toThrow(ConfigError);
    await expect(resume({ batchSize: 16 })).rejects.toThrow(
      /was saved with batchSize 8; this run has 16/,
    );
    await expect(resume({ validationSplit: 0.5 })).rejects.toThrow(
      /was saved with training rows: 48; this run has 30/,
    );
  });

  it('rejects resume: true without a checkpoint directory, and an unreadable checkpoint', async () => {
    await expect(network('float64').fit(X, Y, { resume: true })).rejects.toThrow(
      /^resume: true reads checkpoint.dir, but no checkpoint option was given/,
    );
    await expect(
      network('float64').fit(X, Y, { resume: join(directory, 'missing.json') }),
    ).rejects.toThrow(ModelFileError);
    const broken = join(directory, 'broken.json');
    writeFileSync(broken, '{"format": "backprop-checkpoint", "version": 9}');
    await expect(network('float64').fit(X, Y, { resume: broken })).rejects.toThrow(
      /broken.json: version: expected 1, found 9/,
    );
    await expect(
      network('float64').fit(X, Y, { checkpoint: { dir: directory, every: 0 } }),
    ).rejects.toThrow(/^checkpoint.every must be 'epoch' or a number of batches >= 1; received 0$/);
  });
});

describe('checkpoints survive a crash while saving', () => {
  // Fault injection instead of a lucky timer: the child process trains with a checkpoint after
  // every batch (mode "train"), or (mode "crash") saves the next checkpoint through the same
  // saveCheckpoint with a write hook that kills the process with SIGKILL once the first 64 KiB
  // chunk of the ~0.3 MB file is on disk, i.e. always in the middle of a save.
  const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  const child = `
    import { Adam, Dense, Sequential, Matrix, jsBackend, checkpointPath, loadCheckpoint,
      saveCheckpoint } from ${JSON.stringify(dist)};
    const [dir, mode, epochs] = process.argv.slice(2);
    if (mode === 'crash') {
      const path = checkpointPath(dir);
      const checkpoint = await loadCheckpoint(path);
      const next = { ...checkpoint, position: { ...checkpoint.position, batch: 1 } };
      await saveCheckpoint(path, next, {
        beforeWrite(written) {
          if (written > 0) process.kill(process.pid, 'SIGKILL');
        },
      });
      throw new Error('the save ended without the crash');
    }
    const model = new Sequential([
      new Dense(64, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' }),
    ], { dtype: 'float64', seed: 3, backend: jsBackend });
    const x = new Matrix(16, 64, 'float64');
    x.data.forEach((_, i) => (x.data[i] = Math.sin(i)));
    const y = new Matrix(16, 10, 'float64');
    for (let i = 0; i < 16; i++) y.set(i, i % 10, 1);
    await model.fit(x, y, {
      loss: 'crossEntropy', optimizer: new Adam(), batchSize: 8, epochs: Number(epochs),
      checkpoint: { dir, every: 1 }, resume: true,
    });
  `;

  /** Runs the child; resolves with its exit code and signal. */
  function run(script: string, ...args: string[]): Promise<[number | null, string | null]> {
    const proc = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
    return new Promise((resolve) => proc.on('exit', (code, signal) => resolve([code, signal])));
  }

  it('leaves the previous checkpoint readable, and resuming continues from it', async () => {
    const script = join(directory, 'child.mjs');
    writeFileSync(script, child);
    const dir = join(directory, 'kill');
    const path = checkpointPath(dir);
    expect(await run(script, dir, 'train', '2')).toEqual([0, null]);
    const before = readFileSync(path, 'utf8');
    expect(await run(script, dir, 'crash')).toEqual([null, 'SIGKILL']);
    // The killed save left its temporary file, cut after the first chunk; the checkpoint is the
    // previous one, byte for byte, and loads.
    const leftover = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    expect(leftover).toHaveLength(1);
    expect(statSync(join(dir, leftover[0]!)).size).toBe(1 << 16);
    expect(statSync(path).size).toBeGreaterThan(2 << 16);
    expect(readFileSync(path, 'utf8')).toBe(before);
    const checkpoint = (await loadCheckpoint(path))!;
    expect(checkpoint.position).toEqual({ epoch: 2, batch: 2, epochDone: true });
    expect(String(modelFromJSON(checkpoint.model))).toMatch(/^Sequential\(Dense\(64 => 128/);
    // Resume from it for one more epoch: it continues, and removes the leftover file.
    expect(await run(script, dir, 'train', '3')).toEqual([0, null]);
    const after = (await loadCheckpoint(path))!;
    expect(after.position).toEqual({ epoch: 3, batch: 2, epochDone: true });
    expect(after.optimizer.state.step).toBe(2 * 3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
