import { basename, join } from 'node:path';
import {
  ConfusionMatrix,
  DataError,
  type Dataset,
  type InputMatrix,
  type Sequential,
} from './api.js';
import type { ReportConfusion, ReportDiagnosticsEpoch, ReportEpoch } from '@backpropjs/report';
import { writeDirectorySet } from './staged-directory.js';

/** What `backprop train` knows at the end of a run, for its report. */
export interface RunSummary {
  model: Sequential;
  /** Per epoch: train.ts's EpochRecord (and any fields a run adds, e.g. valLoss, learningRate). */
  history: readonly object[];
  /** The data the confusion matrix is computed on (none without labels: regression), and its name. */
  test: Dataset<InputMatrix>;
  testName: string;
  /** What the model was trained on, e.g. 'MNIST, 60,000 training images'. */
  data: string;
  /** The backend that ran, e.g. 'wasm×8'. */
  backend: string;
  /** The command's parsed options, shown as the run's settings (`report` itself left out). */
  options: Record<string, unknown>;
}

/**
 * Writes the training report of a finished run into `directory` (see writeTrainingReport):
 * loss and accuracy per epoch for training and test (and validation when the run has it), the
 * learning rate, the confusion matrix on the test data, the settings, and with `--diagnose`
 * the diagnostics of each epoch (gradient norms, update ratios, dead or saturated units, warnings).
 * The files are written as a set (see writeDirectorySet): a failure leaves no half report.
 * @returns the path of report.html
 * @throws {DataError} naming `--report`, the directory and the cause when the report cannot be
 *   written
 */
export async function writeRunReport(directory: string, run: RunSummary): Promise<string> {
  const records = run.history as readonly Record<string, unknown>[];
  const epochs = records.map((record) => reportEpoch(record, run.options));
  const seconds = records.reduce((sum, r) => sum + (number(r['seconds']) ?? 0), 0);
  const settings: Record<string, string | number | boolean> = {
    model: String(run.model),
    data: run.data,
  };
  for (const [name, value] of Object.entries(run.options)) {
    // Left out: the report itself, options not given, and flags not set (false).
    if (name === 'report' || value === undefined || value === false) continue;
    if (typeof value === 'function') continue;
    settings[`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] =
      typeof value === 'object'
        ? Array.isArray(value)
          ? value.join(',')
          : JSON.stringify(value)
        : (value as string | number | boolean);
  }
  settings['backend used'] = run.backend;
  settings['training time'] = `${seconds.toFixed(1)} s`;
  // Loaded here, not at start-up: Vega and resvg take a while to load, and most runs need neither.
  const { writeTrainingReport } = await import('@backpropjs/report');
  const report = {
    title: `backprop train: ${run.model}`,
    createdAt: new Date().toISOString(),
    settings,
    epochs,
    confusion:
      run.test.labels === undefined || run.test.x.rows === 0
        ? undefined
        : confusion(run.model, run.test, run.testName),
    // --diagnose: each epoch's record holds its diagnostics.
    diagnostics: records.flatMap((r) =>
      r['diagnostics'] ? [r['diagnostics'] as ReportDiagnosticsEpoch] : [],
    ),
  };
  try {
    const files = await writeDirectorySet(directory, (staging) =>
      writeTrainingReport(staging, report),
    );
    return join(directory, basename(files.html));
  } catch (error) {
    throw new DataError(
      `--report ${directory}: cannot write the report (nothing was written): ` +
        (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
  }
}

/** One epoch's record as the report plots it; a schedule's learning rate wins over the flag. */
function reportEpoch(
  record: Record<string, unknown>,
  options: Record<string, unknown>,
): ReportEpoch {
  return {
    epoch: number(record['epoch']) ?? 0,
    learningRate: number(record['learningRate']) ?? number(options['learningRate']),
    loss: number(record['loss']) ?? NaN,
    accuracy: number(record['trainAccuracy']) ?? number(record['accuracy']),
    validationLoss: number(record['valLoss']) ?? number(record['validationLoss']),
    validationAccuracy: number(record['valAccuracy']) ?? number(record['validationAccuracy']),
    testLoss: number(record['testLoss']),
    testAccuracy: number(record['testAccuracy']),
  };
}

/**
 * The confusion matrix of the model's predictions on a classification data set (argmax, or for
 * one sigmoid output the side of 0.5), counted by the library's {@link ConfusionMatrix}, with
 * the model's class names ('0', '1', … when it has none).
 */
function confusion(model: Sequential, test: Dataset<InputMatrix>, data: string): ReportConfusion {
  const matrix = new ConfusionMatrix(model.outputs);
  matrix.update(model.predict(test.x), test.y);
  return {
    data,
    classNames: Array.from(
      { length: matrix.classes },
      (_, c) => model.classNames?.[c] ?? String(c),
    ),
    counts: matrix.toArray(),
  };
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
