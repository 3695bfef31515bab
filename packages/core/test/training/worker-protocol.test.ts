import { describe, expect, it } from 'vitest';
import {
  Adam,
  ByteMatrix,
  ConfigError,
  DataError,
  Dense,
  EarlyStopping,
  Matrix,
  NumericalError,
  Sequential,
  getLoss,
  jsBackend,
  modelToJSON,
  serveTraining,
  type TrainingPort,
} from '../../src/index.js';
import { trainInWorker as browserTrainInWorker } from '../../src/browser.js';
import { decodeData, encodeData, splitFitOptions } from '../../src/training/worker/crossing.js';
import {
  errorData,
  reviveError,
  type FromWorker,
  type StartMessage,
  type ToWorker,
} from '../../src/training/worker/protocol.js';

// The parts of trainInWorker that are plain logic, in Node: errors and data as they cross, the
// split of fit options, and the worker's side (serveTraining) driven through a fake port.

const xor = {
  x: [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  y: [[0], [1], [1], [0]],
};

function xorModel(
  activation: 'tanh' | { name: string; g: () => number; derivative: () => number } = 'tanh',
) {
  return new Sequential(
    [new Dense(2, 3, { activation }), new Dense(3, 1, { activation: 'sigmoid' })],
    { seed: 2, dtype: 'float64', backend: jsBackend },
  );
}

/** A port that records what the worker posts, and delivers what the test sends. */
function fakePort() {
  const posted: FromWorker[] = [];
  let listener: ((event: { data: ToWorker }) => void) | undefined;
  let arrived: () => void = () => undefined;
  const port: TrainingPort = {
    postMessage: (message) => {
      posted.push(message);
      arrived();
    },
    addEventListener: (_, l) => (listener = l),
  };
  serveTraining(port);
  return {
    posted,
    send: (data: ToWorker) => listener!({ data }),
    /** Resolves when the worker has posted a message of this type. */
    until: (type: FromWorker['type']) =>
      new Promise<FromWorker>((resolve) => {
        const check = () => {
          const found = posted.find((message) => message.type === type);
          if (found) resolve(found);
        };
        arrived = check;
        check();
      }),
  };
}

function start(
  model: Sequential,
  options: StartMessage['options'],
  extra: Partial<StartMessage> = {},
): StartMessage {
  return {
    type: 'start',
    job: 7,
    model: modelToJSON(model),
    random: model.random.getState(),
    backend: 'js',
    threads: undefined,
    x: encodeData(xor.x),
    y: encodeData(xor.y),
    options,
    optimizer: undefined,
    batchLogs: false,
    epochAck: false,
    stopFlag: undefined,
    ...extra,
  };
}

describe('errors cross by class name with their message', () => {
  it('revives backprop errors as their own class, NumericalError with its epoch and batch', () => {
    const numerical = reviveError(errorData(new NumericalError('the loss became NaN', 3, 7)));
    expect(numerical).toBeInstanceOf(NumericalError);
    expect([
      numerical.message,
      (numerical as NumericalError).epoch,
      (numerical as NumericalError).batch,
    ]).toEqual(['the loss became NaN', 3, 7]);
    const data = reviveError(errorData(new DataError('x row 2 has NaN')));
    expect(data).toBeInstanceOf(DataError);
    expect(data.message).toBe('x row 2 has NaN');
    const other = reviveError(errorData(new RangeError('too deep')));
    expect([other.constructor, other.name, other.message]).toEqual([
      Error,
      'RangeError',
      'too deep',
    ]);
    expect(reviveError(errorData('a string')).message).toBe('a string');
  });
});

describe('data crosses as typed arrays', () => {
  it('round-trips a Matrix, a ByteMatrix and plain rows', () => {
    const matrix = Matrix.from(
      [
        [1.5, -2],
        [3, 4],
      ],
      'float64',
    );
    const back = decodeData(encodeData(matrix)) as Matrix;
    expect([back.shape, Array.from(back.data), back.dtype]).toEqual([
      [2, 2],
      [1.5, -2, 3, 4],
      'float64',
    ]);
    const bytes = new ByteMatrix(
      1,
      3,
      Uint8Array.from([0, 1, 2]),
      Array.from({ length: 256 }, (_, i) => i / 255),
    );
    const decoded = decodeData(structuredClone(encodeData(bytes))) as ByteMatrix;
    expect(decoded).toBeInstanceOf(ByteMatrix);
    expect(Array.from(decoded.bytes)).toEqual([0, 1, 2]);
    expect(decodeData(encodeData([1, 0, 2]))).toEqual([1, 0, 2]);
  });
});

describe('splitFitOptions keeps hooks in the page and refuses functions', () => {
  it('names every activation and loss given as functions', () => {
    const model = xorModel({ name: 'cube', g: () => 0, derivative: () => 0 });
    const loss = { ...getLoss('mse'), name: 'mine', config: undefined } as never;
    expect(() => splitFitOptions(model, { loss })).toThrow(
      new ConfigError(
        'trainInWorker cannot send functions to a worker: the activation "cube" of layer 1 ' +
          `${model.layers[0]}, the loss "mine" are given as JavaScript functions; help: use ` +
          'built-in activations and losses, or train on the page with model.fit',
      ),
    );
  });

  it('refuses a callback that reads batch buffers, and sends losses and optimizers as data', () => {
    const model = xorModel();
    expect(() => splitFitOptions(model, { callbacks: [{ onBatchEnd: () => undefined }] })).toThrow(
      /callbacks\[0\] \(Object\) inspects each batch's buffers/,
    );
    const stopper = new EarlyStopping({ patience: 2 });
    const onEpochEnd = () => undefined;
    const adam = new Adam({ learningRate: 0.1 });
    const split = splitFitOptions(model, {
      loss: getLoss({ name: 'huber', delta: 2 }),
      optimizer: adam,
      epochs: 3,
      callbacks: [stopper],
      onEpochEnd,
      validationData: [xor.x, xor.y],
    });
    expect(split.options.loss).toEqual({ name: 'huber', delta: 2 });
    expect(split.options.optimizer).toBeUndefined();
    expect(split.optimizer).toBe(adam);
    expect(split.options.epochs).toBe(3);
    expect(split.options.validationData).toEqual([encodeData(xor.x), encodeData(xor.y)]);
    expect(split.hooks).toEqual({ callbacks: [stopper], onBatchEnd: undefined, onEpochEnd });
    // What crosses is structured-cloneable: no function left in it.
    expect(() => structuredClone(split.options)).not.toThrow();
    expect(splitFitOptions(model, { optimizer: 'momentum' }).options.optimizer).toBe('momentum');
  });

  it("has no Web Workers in Node: the browser entry's trainInWorker says where to look", () => {
    expect(() => browserTrainInWorker(xorModel(), xor.x, xor.y)).toThrow(
      /^trainInWorker needs Web Workers .*; help: in Node\.js import the package's Node entry/,
    );
  });
});

describe('serveTraining, the worker side, through a fake port', () => {
  const options = {
    loss: 'binaryCrossEntropy',
    learningRate: 0.5,
    batchSize: 2,
    epochs: 5,
  } as const;

  it('posts epoch logs with snapshots and ends with the weights of fit, bit for bit', async () => {
    const reference = xorModel();
    const history = await reference.fit(xor.x, xor.y, options);
    const worker = fakePort();
    worker.send(start(xorModel(), options, { batchLogs: true }));
    worker.send({ type: 'stop', job: 6 }); // a late stop of an earlier job: ignored
    const done = await worker.until('done');
    const epochs = worker.posted.filter((m) => m.type === 'epoch');
    expect(epochs.map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(epochs.map((m) => m.logs['loss'])).toEqual(history.history['loss']);
    const batches = worker.posted.filter((m) => m.type === 'batch');
    expect(batches.map((m) => `${m.epoch}.${m.batch}`)).toEqual([
      '1.1',
      '1.2',
      '2.1',
      '2.2',
      '3.1',
      '3.2',
      '4.1',
      '4.2',
      '5.1',
      '5.2',
    ]);
    if (done.type !== 'done') throw new Error('unreachable');
    expect(done.snapshot.weights.map((w) => Array.from(w.data))).toEqual(
      reference.getWeights().map((w) => Array.from(w.data)),
    );
    expect(done.snapshot.random).toEqual(reference.random.getState());
    expect(done.history.history['loss']).toEqual(history.history['loss']);
    expect(done.trainingConfig?.loss).toBe('binaryCrossEntropy');
  });

  it('waits for the page after each epoch when asked, and stops there when told', async () => {
    const worker = fakePort();
    worker.send(start(xorModel(), options, { epochAck: true }));
    await worker.until('epoch');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Still waiting: one epoch posted, nothing more.
    expect(worker.posted.map((m) => m.type)).toEqual(['epoch']);
    worker.send({ type: 'continue', job: 7, stop: false });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(worker.posted.map((m) => m.type)).toEqual(['epoch', 'epoch']);
    worker.send({ type: 'continue', job: 7, stop: true });
    const done = await worker.until('done');
    if (done.type !== 'done') throw new Error('unreachable');
    expect(done.history.epoch).toEqual([1, 2]);
  });

  it('trains nothing when the stop came before training began, as fit stopped in onTrainBegin', async () => {
    const worker = fakePort();
    worker.send(start(xorModel(), { ...options, batchSize: 1 }, { batchLogs: true }));
    worker.send({ type: 'stop', job: 7 });
    const done = await worker.until('done');
    expect(worker.posted.filter((m) => m.type === 'batch')).toHaveLength(0);
    if (done.type !== 'done') throw new Error('unreachable');
    expect(done.history.epoch).toEqual([]);
  });

  it("posts fit's error with its class name and message", async () => {
    const worker = fakePort();
    worker.send(start(xorModel(), { ...options, batchSize: 0 }));
    const error = await worker.until('error');
    const onPage = await xorModel()
      .fit(xor.x, xor.y, { ...options, batchSize: 0 })
      .catch((e: Error) => e);
    expect(error).toEqual({
      type: 'error',
      job: 7,
      error: { name: 'ConfigError', message: (onPage as Error).message },
    });
  });
});
