import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, Matrix, Sequential, trainInWorker } from '../../src/index.js';
import { splitFitOptions } from '../../src/training/worker/crossing.js';

// trainInWorker given what a careless caller gives: functions where data must be, a job whose
// history alone is awaited, a worker path Node cannot start. Each fails with a clear
// BackpropError, never a DOMException, a TypeError or an unhandled rejection.

const x = Matrix.from(
  [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  'float64',
);
const y = Matrix.from([[0], [1], [1], [0]], 'float64');
const model = () =>
  new Sequential([new Dense(2, 2, { activation: 'tanh' }), new Dense(2, 1)], {
    seed: 1,
    dtype: 'float64',
  });

describe('trainInWorker refuses hostile options up front', () => {
  it('names an option holding a function (structured clone would throw a DOMException)', () => {
    const refused = (options: object) => {
      try {
        splitFitOptions(model(), options);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused({ metrics: ['mse', () => 1] })).toBe(
      'trainInWorker cannot send functions to a worker: option metrics[1] is a JavaScript ' +
        'function; expected plain data (numbers, strings, arrays, objects); help: train on the ' +
        'page with model.fit',
    );
    expect(refused({ learningRate: () => 0.1 })).toMatch(/option learningRate is a JavaScript/);
    expect(refused({ schedule: { name: 'step', every: () => 2 } })).toMatch(
      /option schedule\.every is a JavaScript function/,
    );
    // A typo'd hook is a function too (trainInWorker refuses its key first, as fit would).
    expect(refused({ onBatchBegin: () => undefined })).toMatch(/option onBatchBegin is/);
    expect(() => trainInWorker(model(), x, y, { metrics: [(() => 1) as never] })).toThrow(
      ConfigError,
    );
  });
});

describe('trainInWorker checks its options as fit does, before a worker starts', () => {
  it('refuses options not an object, an unknown key, validationData not a pair, bad callbacks', () => {
    expect(() => trainInWorker(model(), x, y, null as never)).toThrow(
      new ConfigError('trainInWorker options must be an object; received null'),
    );
    expect(() => trainInWorker(model(), x, y, { onBatchBegin: () => 1 } as never)).toThrow(
      /^trainInWorker has no option "onBatchBegin"; valid options are loss, .*, worker, threads, onSnapshot$/,
    );
    expect(() => trainInWorker(model(), x, y, { callbacks: {} as never })).toThrow(
      new ConfigError('callbacks must be an array; received [object Object]'),
    );
    expect(() => trainInWorker(model(), x, y, { onSnapshot: 5 as never })).toThrow(
      new ConfigError('onSnapshot must be a function; received 5'),
    );
    expect(() => trainInWorker(model(), x, y, { onBatchEnd: 'log' as never })).toThrow(
      new ConfigError('onBatchEnd must be a function; received "log"'),
    );
    expect(() => trainInWorker(model(), x, y, { validationData: 5 as never })).toThrow(
      new ConfigError('validationData must be a pair [x, y]; received 5'),
    );
    expect(() => trainInWorker(model(), x, y, { callbacks: [null] as never })).toThrow(
      new ConfigError(
        'callbacks[0] must be an object with hooks such as onEpochEnd; received null',
      ),
    );
  });
});

describe('trainInWorker settles cleanly', () => {
  it('rejects job.history alone without an unhandled rejection of job.result', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const job = trainInWorker(model(), x, y, { learningRate: -1 });
      await expect(job.history).rejects.toThrow(
        new ConfigError('learningRate must be a finite number > 0; received -1'),
      );
      // Unhandled rejections are reported after a macrotask.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      // Awaiting the result still rejects with the error.
      await expect(job.result).rejects.toThrow(/learningRate must be a finite number/);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});

describe("trainInWorker's worker option in Node", () => {
  it('refuses a path or value Node cannot start, naming it, as a ConfigError', () => {
    expect(() => trainInWorker(model(), x, y, { worker: 'w.js' })).toThrow(
      /^worker "w\.js": expected an absolute path, one starting with \.\/ or \.\.\/, or a file URL; Node says: /,
    );
    expect(() => trainInWorker(model(), x, y, { worker: 'w.js' })).toThrow(ConfigError);
    expect(() => trainInWorker(model(), x, y, { worker: null as never })).toThrow(
      new ConfigError(
        'worker must be the path or file URL of a module script in Node.js; received null',
      ),
    );
  });

  it('rejects with a BackpropError naming a module that does not exist', async () => {
    await expect(trainInWorker(model(), x, y, { worker: '/nonexistent/w.js' })).rejects.toThrow(
      /^the training worker failed: Cannot find module '\/nonexistent\/w\.js'/,
    );
  });
});
