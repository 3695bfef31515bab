import {
  Matrix,
  getLoss,
  type Diagnostics,
  trainInWorker,
  type Gradients,
  type WorkerFitOptions,
  type Logs,
  type Sequential,
  type Trace,
} from '../../packages/core/src/browser.js';
import {
  buildData,
  buildModel,
  checkConfig,
  type Labelled,
  type PlaygroundConfig,
} from './config.js';
import type { RunRecord } from './replay.js';

/** One example run forward and backward alone (batch of 1: the lecture's equations exactly). */
export interface Inspection {
  /** The row of the training set. */
  example: number;
  /** x = a⁰, two numbers. */
  x: number[];
  /** The target, 0 or 1. */
  y: number;
  /** Loss of this example alone. */
  loss: number;
  /** zˡ, aˡ as [1, nˡ] matrices. */
  trace: Trace;
  /** δˡ [1, nˡ], ∂L/∂Wˡ [nˡ, nˡ⁻¹] and ∂L/∂bˡ [1, nˡ] of this example. */
  gradients: Gradients;
}

/** The current scores of the model: train loss and accuracy, and test loss and accuracy. */
export interface Scores {
  loss: number;
  accuracy: number;
  testLoss: number;
  testAccuracy: number;
}

/** The epochs of the one `fit` call a run makes: more than anyone will watch. */
const FIT_EPOCHS = 1_000_000_000;

/** Ends a suspended `fit` call (rejects its pending onEpochEnd); caught, never shown. */
class FitEnded extends Error {}

/**
 * A playground run: the data, the model and its training so far.
 *
 * Training is one `trainInWorker` call (the library's `fit` in a Web Worker, so the page keeps
 * drawing) for as many epochs as the run lasts, handed out in chunks: `trainEpochs(n)` lets it
 * run n more epochs, and its `onEpochEnd` callback, which runs in the page after the page's
 * model has received the epoch's weights, then suspends it (returns a Promise, which holds the
 * worker) until the next chunk. So a run of E epochs in chunks of any sizes, paused as often
 * as you like, is exactly `fit(x, y, { …, epochs: E })` from the same seed. Changing the
 * learning rate or the batch size ends that call; the next chunk starts a new one with the new
 * settings from the current weights. The run's {@link RunRecord} (its config and those
 * changes) replays it exactly.
 */
export class Session {
  readonly config: PlaygroundConfig;
  readonly model: Sequential;
  readonly train: Labelled;
  readonly test: Labelled;
  /** Epochs trained so far. */
  epoch = 0;
  /** The training loss of each epoch (the mean over its batches, as `fit` reports it). */
  readonly losses: number[] = [];
  /** The run so far: its config at epoch 0 and each change of η or the batch size. */
  readonly record: RunRecord;
  #learningRate: number;
  #batchSize: number;
  /** Epochs left in the current chunk. */
  #budget = 0;
  /** Settles the current chunk's promise. */
  #chunk: { done: () => void; failed: (error: unknown) => void } | undefined;
  /** Resumes (or ends) the suspended fit call; undefined when no fit call is in progress. */
  #suspended: { resume: () => void; end: (error: FitEnded) => void } | undefined;
  /** A Diagnostics callback for the fit calls (it runs in the worker); none by default. */
  #diagnostics: Diagnostics | undefined;
  /** Set by end() while a job is mid-chunk: it ends after its current epoch. */
  #ending = false;
  /** Chunks run one after another, whoever asks. */
  #queue: Promise<void> = Promise.resolve();
  /** Settles when the latest fit call has ended (resolved or rejected). */
  #fitDone: Promise<void> = Promise.resolve();

  constructor(config: PlaygroundConfig) {
    this.config = checkConfig(config);
    this.model = buildModel(config);
    ({ train: this.train, test: this.test } = buildData(config));
    this.#learningRate = config.learningRate;
    this.#batchSize = config.batchSize;
    this.record = { config, changes: [] };
  }

  /** The SGD step size η of the next chunk. */
  get learningRate(): number {
    return this.#learningRate;
  }

  /** Examples per update in the next chunk. */
  get batchSize(): number {
    return this.#batchSize;
  }

  /**
   * Changes η and the batch size; when either differs, the current `fit` call ends and the
   * next chunk starts a new one.
   * @throws {ConfigError} for a learning rate that is not > 0 or a batch size that is not an
   *   integer >= 1.
   */
  setOptimization(learningRate: number, batchSize: number): void {
    checkConfig({ ...this.config, learningRate, batchSize });
    if (learningRate === this.#learningRate && batchSize === this.#batchSize) return;
    this.#learningRate = learningRate;
    this.#batchSize = batchSize;
    this.end();
  }

  /**
   * Ends the `fit` call in progress, if any (call it when the session is dropped): at once when
   * it is suspended between chunks, else after its current epoch, which ends the chunk early.
   * Its worker stops.
   */
  end(): void {
    const suspended = this.#suspended;
    this.#suspended = undefined;
    if (suspended !== undefined) suspended.end(new FitEnded());
    else if (this.#chunk !== undefined) this.#ending = true;
  }

  /**
   * Trains `epochs` more epochs (an integer >= 1), continuing the run's `fit` call.
   * @throws {NumericalError} (rejects) when training diverges.
   */
  trainEpochs(epochs: number): Promise<void> {
    const chunk = this.#queue.then(() => this.#run(epochs));
    this.#queue = chunk.catch(() => undefined);
    return chunk;
  }

  #run(epochs: number): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.#budget = epochs;
      this.#chunk = { done, failed };
      const suspended = this.#suspended;
      this.#suspended = undefined;
      // A new job starts once the ended one has settled (its worker has stopped).
      if (suspended !== undefined) suspended.resume();
      else void this.#fitDone.then(() => this.#startFit());
    });
  }

  /**
   * Runs `diagnostics` (undefined: none) in the fit calls that start from now on: the run's
   * first chunk, and the call after a change of η or the batch size. A call in progress keeps
   * going without it, since ending it would change the run (a new call starts its shuffling
   * afresh); diagnostics only read, so the weights are the same with them or without.
   */
  setDiagnostics(diagnostics: Diagnostics | undefined): void {
    this.#diagnostics = diagnostics;
  }

  /** True while a fit call is in progress (diagnostics set now wait for the next one). */
  get fitting(): boolean {
    return this.#suspended !== undefined || this.#chunk !== undefined;
  }

  #startFit(): void {
    this.#ending = false;
    this.#recordSettings();
    const settle = (error?: unknown) => {
      const chunk = this.#chunk;
      this.#chunk = undefined;
      if (error === undefined) chunk?.done();
      else chunk?.failed(error);
    };
    this.#fitDone = train(this.model, this.train, {
      loss: this.config.loss,
      learningRate: this.#learningRate,
      batchSize: this.#batchSize,
      epochs: FIT_EPOCHS,
      callbacks: this.#diagnostics === undefined ? [] : [this.#diagnostics],
      onEpochEnd: (_, logs) => {
        this.epoch++;
        this.losses.push(logs['loss']!);
        if (this.#ending) {
          settle();
          throw new FitEnded();
        }
        if (--this.#budget > 0) return;
        // The chunk is done: suspend this fit call until the next chunk (or its end).
        return new Promise<void>((resume, end) => {
          this.#suspended = { resume, end };
          settle();
        });
      },
    }).then(
      () => settle(),
      (error: unknown) => {
        if (!(error instanceof FitEnded)) settle(error);
      },
    );
  }

  /** Records the settings a new fit call starts with, when they differ from the last ones. */
  #recordSettings(): void {
    const { record, epoch } = this;
    const learningRate = this.#learningRate;
    const batchSize = this.#batchSize;
    const last = record.changes.at(-1) ?? record.config;
    if (last.learningRate === learningRate && last.batchSize === batchSize) return;
    if (epoch === 0) record.config = { ...record.config, learningRate, batchSize };
    else {
      if (record.changes.at(-1)?.epoch === epoch) record.changes.pop();
      record.changes.push({ epoch, learningRate, batchSize });
    }
  }

  /** Loss and accuracy of the current weights on the training and the test points. */
  scores(): Scores {
    const options = { loss: this.config.loss, accuracy: true };
    const train: Logs = this.model.evaluate(this.train.x, this.train.y, options);
    const test: Logs = this.model.evaluate(this.test.x, this.test.y, options);
    return {
      loss: train['loss']!,
      accuracy: train['accuracy']!,
      testLoss: test['loss']!,
      testAccuracy: test['accuracy']!,
    };
  }

  /** Forward and backward for training example `example` alone. */
  inspect(example: number): Inspection {
    const x = Array.from(this.train.x.row(example));
    const y = this.train.y.get(example, 0);
    const trace = this.model.forward([x]);
    const gradients = this.model.backward(trace, [[y]], this.config.loss);
    const target = Matrix.from([[y]], 'float64');
    const loss = this.model.lossOf(trace, target, getLoss(this.config.loss));
    return { example, x, y, loss, trace, gradients };
  }
}

/**
 * Trains in a Web Worker where the runtime has them (a page), else with `fit` on this thread
 * (Node, where test/web/session.test.ts runs the session): the same epochs and weights.
 */
function train(model: Sequential, data: Labelled, options: WorkerFitOptions): Promise<unknown> {
  return typeof Worker === 'function'
    ? trainInWorker(model, data.x, data.y, options).result
    : model.fit(data.x, data.y, options);
}
