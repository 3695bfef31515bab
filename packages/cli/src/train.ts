import {
  ConfigError,
  createBackend,
  Dense,
  Diagnostics,
  NumericalError,
  saveModel,
  Sequential,
  type Backend,
  type EpochDiagnostics,
  type Logs,
} from './api.js';
import { say } from './closed-pipe.js';
import { diagnosticsLines } from './diagnostics-text.js';
import { checkTrainingMemory, OPTIMIZER_SLOTS } from './memory-estimate.js';
import { checkDirectory, checkOutput } from './output.js';
import { createProgress } from './progress.js';
import { writeRunReport } from './report.js';
import { checkResume, runSettings, runStateCallback } from './resume.js';
import { enableRelaxedSimd } from './relaxed-simd-flag.js';
import { buildOptimizer } from './run-optimizer.js';
import type { TrainOptions } from './train-command.js';
import { trainingFitOptions, trainingMetadata, withDropout } from './training-flags.js';
import { loadTrainingData, rmseInTargetUnits } from './train-data.js';

/** One epoch's results, as printed (`--json`) and stored in the model file's metadata. */
export interface EpochRecord {
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch (nats for the cross-entropies). */
  loss: number;
  /** Classification: fraction of training examples classified correctly during the epoch, in [0, 1]. */
  trainAccuracy?: number;
  /** Loss on the test set (MNIST's 10000 images, a table's test split) after the epoch. */
  testLoss?: number;
  /** Classification: fraction of the test set classified correctly after the epoch, in [0, 1]. */
  testAccuracy?: number;
  /** Regression: root-mean-square error on the test set, in the target's units. */
  testRmse?: number;
  /** Training time of the epoch in seconds (without the test evaluation). */
  seconds: number;
  /** With --validation-split: loss and accuracy on the held-out training rows. */
  valLoss?: number;
  valAccuracy?: number;
  /** The learning rate of the epoch's last batch. */
  learningRate?: number;
  /** Training examples per second. */
  examplesPerSecond: number;
  /** With --diagnose: per-layer diagnostics and warnings of the epoch. */
  diagnostics?: EpochDiagnostics;
}

/**
 * Trains on MNIST (or a data set, or a CSV file; see loadTrainingData) and saves the model:
 * the whole `backprop train` command. Checks `--output` and the layers first, so that nothing
 * is trained for a model that could not be saved. Prints one line (or, with `--json`, one JSON
 * object) per epoch on stdout, then the saved path. A table's preprocessing (columns, scaling,
 * class names) is saved with the model.
 * @throws {ConfigError} when the layers do not start with the data's inputs (784 for MNIST) and
 *   end with its outputs (10), `--output` cannot be written (see checkOutput), an option does
 *   not fit the data, or the wasm backend is unavailable.
 * @throws {NumericalError} when the loss becomes non-finite (names epoch and batch, suggests a
 *   smaller --learning-rate). Also DataError (data files) and ModelFileError (writing).
 */
export async function train(requested: TrainOptions): Promise<void> {
  checkOutput(requested.output);
  if (requested.report !== undefined) checkDirectory(requested.report, '--report');
  if (requested.checkpointDir !== undefined) {
    checkDirectory(requested.checkpointDir, '--checkpoint-dir');
  }
  const data = await loadTrainingData(requested);
  const { options, optimizer } = buildOptimizer(data.options, data.preprocessing !== undefined);
  const metadata = trainingMetadata(options, optimizer);
  checkTrainingMemory({
    layers: options.layers,
    dtype: options.dtype,
    batchSize: options.batchSize,
    optimizerSlots: OPTIMIZER_SLOTS[options.optimizer],
    dropout: options.dropout > 0,
  });
  await checkResume(options);
  const classification = data.task === 'classification';
  const backend = buildBackend(options);
  const model = buildModel(options, backend);
  if (data.preprocessing !== undefined) model.preprocessing = data.preprocessing;
  const { x, y } = data;
  const examples = x.rows;
  const batches = Math.ceil(examples / options.batchSize);
  const out = (line: string) => say(process.stdout, `${line}\n`);
  const note = (line: string) => say(options.json ? process.stderr : process.stdout, `${line}\n`);
  if (!options.json) {
    out(
      `training ${model} on ${data.description} (${options.dtype}, ` +
        `seed ${options.seed}, backend ${backend.name})`,
    );
  }
  say(process.stderr, `${model.summary()}\n`);
  for (const line of data.lines) note(line);
  const progress = createProgress({
    epochs: options.epochs,
    batches,
    batchSize: options.batchSize,
    examples,
    enabled: !options.json && process.stderr.isTTY === true,
  });
  // One record per epoch: kept in every checkpoint and restored from it by --resume.
  const history: EpochRecord[] = [];
  const diagnostics = options.diagnose ? new Diagnostics() : undefined;
  const onEpochEnd = (epoch: number, logs: Logs): void => {
    progress.stop();
    const tested = data.test.x.rows > 0;
    // One pass over the test rows: the loss and accuracy, and the regression's RMSE in the
    // targets' units from the same outputs.
    const errors =
      tested && !classification && data.preprocessing
        ? rmseInTargetUnits(data.preprocessing)
        : undefined;
    const test = tested
      ? model.evaluate(data.test.x, data.test.y, {
          loss: options.loss,
          accuracy: classification,
          ...(errors && { onBatch: errors.onBatch }),
        })
      : {};
    const record: EpochRecord = {
      epoch,
      epochs: options.epochs,
      loss: logs['loss']!,
      trainAccuracy: logs['accuracy'],
      testLoss: test['loss'],
      testAccuracy: test['accuracy'],
      testRmse: errors?.rmse(),
      valLoss: logs['valLoss'],
      valAccuracy: logs['valAccuracy'],
      learningRate: logs['learningRate'],
      seconds: logs['seconds']!,
      examplesPerSecond: logs['examplesPerSecond']!,
      diagnostics: diagnostics?.epochs.at(-1),
    };
    history.push(record);
    if (options.json) out(JSON.stringify(record));
    else if (epoch % data.printEvery === 0 || epoch === options.epochs) out(formatEpoch(record));
    if (record.diagnostics && !options.json) diagnosticsLines(record.diagnostics).forEach(out);
    if (epoch < options.epochs) progress.start(epoch + 1);
  };
  const training = trainingFitOptions(options, optimizer);
  training.callbacks = [
    ...(training.callbacks ?? []),
    runStateCallback(runSettings(options), history),
    ...(diagnostics ? [diagnostics] : []),
  ];
  progress.start(1);
  try {
    await model.fit(x, y, {
      ...training,
      loss: options.loss,
      batchSize: options.batchSize,
      epochs: options.epochs,
      accuracy: classification,
      onBatchEnd: (batch, logs) => progress.update(batch, logs),
      onEpochEnd,
    });
  } catch (error) {
    if (!(error instanceof NumericalError)) throw error;
    throw new NumericalError(
      `${error.message.replace(/; help:.*$/, '')}; help: training diverged, ` +
        `try a smaller --learning-rate than ${options.learningRate}`,
      error.epoch,
      error.batch,
    );
  } finally {
    progress.stop();
  }
  // Early stopping can end before an epoch that is printed: show the last one.
  const last = history.at(-1);
  if (!options.json && last !== undefined && last.epoch % data.printEvery !== 0) {
    if (last.epoch !== options.epochs) out(formatEpoch(last));
  }
  await saveModel(model, options.output, {
    metadata: {
      createdBy: 'backprop train',
      data: data.metadata,
      training: {
        ...metadata,
        loss: options.loss,
        learningRate: options.learningRate,
        batchSize: options.batchSize,
        epochs: options.epochs,
        backend: backend.name,
      },
      history,
    },
  });
  note(`saved the model to ${options.output}`);
  if (options.report !== undefined) {
    // A regression run's report has no confusion matrix (its test data has no labels).
    const page = await writeRunReport(options.report, {
      model,
      history,
      test: data.test,
      testName: data.testName,
      data: data.description,
      backend: backend.name,
      // MNIST (no preprocessing) has its own test set and scaling: leave out the table options.
      options: {
        ...options,
        given: undefined,
        ...(data.preprocessing ? {} : { scale: undefined, testSplit: undefined }),
      },
    });
    note(`wrote the training report to ${page}`);
  }
}

/**
 * The backend of `--backend`, `--threads` and `--relaxed-simd`.
 * @throws {ConfigError} `--backend wasm: …` where WebAssembly SIMD or shared memory is missing;
 *   for `--relaxed-simd` with `--backend js`, or where the engine lacks relaxed SIMD.
 */
function buildBackend(options: TrainOptions): Backend {
  const { backend, threads, relaxedSimd } = options;
  if (relaxedSimd) {
    if (backend !== 'wasm') {
      throw new ConfigError(`--relaxed-simd needs --backend wasm; received --backend ${backend}`);
    }
    enableRelaxedSimd();
  }
  try {
    return createBackend(backend, { threads, ...(relaxedSimd ? { relaxedSimd } : {}) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const message = error.message.startsWith('relaxedSimd:')
      ? `--relaxed-simd${error.message.slice('relaxedSimd'.length)}`
      : `--backend ${backend}: ${error.message}`;
    throw new ConfigError(message, { cause: error });
  }
}

/** n⁰-…-nᴸ Dense layers: `activation` on the hidden ones, `outputActivation` on the last. */
function buildModel(options: TrainOptions, backend: Backend): Sequential {
  const { layers } = options;
  const dense = layers.slice(1).map((outputs, i) => {
    const activation = i === layers.length - 2 ? options.outputActivation : options.activation;
    return new Dense(layers[i]!, outputs, { activation });
  });
  return new Sequential(withDropout(dense, options.dropout), {
    dtype: options.dtype,
    seed: options.seed,
    backend,
  });
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 'epoch 1/5  loss 0.2968  train acc 91.28%  test acc 95.10%  13.9 s  4,302 ex/s' */
function formatEpoch(record: EpochRecord): string {
  const width = String(record.epochs).length;
  return [
    `epoch ${String(record.epoch).padStart(width)}/${record.epochs}`,
    `loss ${record.loss.toFixed(4)}`,
    record.trainAccuracy !== undefined && `train acc ${(100 * record.trainAccuracy).toFixed(2)}%`,
    record.testAccuracy !== undefined && `test acc ${(100 * record.testAccuracy).toFixed(2)}%`,
    record.testAccuracy === undefined &&
      record.testLoss !== undefined &&
      `test loss ${record.testLoss.toFixed(4)}`,
    record.testRmse !== undefined && `test rmse ${record.testRmse.toPrecision(4)}`,
    `${record.seconds.toFixed(1)} s`,
    `${count.format(record.examplesPerSecond)} ex/s`,
  ]
    .filter((part) => part !== false)
    .join('  ');
}
