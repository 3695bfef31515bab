import {
  ConfusionMatrix,
  Diagnostics,
  type Sequential,
  type TabularData,
} from '../../../packages/core/src/browser.js';
import type { CsvText } from './csv-text.js';
import { buildOwnData, buildOwnModel, outputOf, type OwnRunConfig } from './run-config.js';

/** Scores of the current weights. */
export interface OwnScores {
  loss: number;
  testLoss: number;
  /** Classification only. */
  accuracy?: number;
  testAccuracy?: number;
  /** Classification: [true class][predicted class] counts on the test rows. */
  confusion?: number[][];
}

/**
 * A run on the user's CSV: its data set, network and training. `train` is one `fit` call of
 * `config.epochs` epochs, so the losses equal those of the exported code in Node.
 */
export class OwnRun {
  readonly config: OwnRunConfig;
  readonly data: TabularData;
  readonly model: Sequential;
  /** The training loss of each epoch, as `fit` logs it. */
  readonly losses: number[] = [];
  /** The diagnostics callback, when `config.diagnose`. */
  readonly diagnostics: Diagnostics | undefined;

  /** @throws {ConfigError} or {DataError} for settings or data the library refuses */
  constructor(csv: CsvText, config: OwnRunConfig) {
    this.config = config;
    this.data = buildOwnData(csv, config);
    this.model = buildOwnModel(this.data, config);
    this.diagnostics = config.diagnose ? new Diagnostics() : undefined;
  }

  /**
   * Trains `config.epochs` epochs; after each, `onEpoch` is awaited (the page redraws there).
   * @throws {NumericalError} (rejects) when training diverges
   */
  async train(onEpoch: () => Promise<void> | void): Promise<void> {
    const { loss } = outputOf(this.data);
    await this.model.fit(this.data.train.x, this.data.train.y, {
      loss,
      learningRate: this.config.learningRate,
      batchSize: this.config.batchSize,
      epochs: this.config.epochs,
      callbacks: this.diagnostics ? [this.diagnostics] : [],
      onEpochEnd: (_, logs) => {
        this.losses.push(logs['loss']!);
        return onEpoch();
      },
    });
  }

  /** Loss (and accuracy and the test confusion matrix for a classifier) of the current weights. */
  scores(): OwnScores {
    const { loss } = outputOf(this.data);
    const classification = this.data.task === 'classification';
    const options = { loss, accuracy: classification };
    const { train, test } = this.data;
    const trained = this.model.evaluate(train.x, train.y, options);
    const tested = test.x.rows > 0 ? this.model.evaluate(test.x, test.y, options) : {};
    const scores: OwnScores = { loss: trained['loss']!, testLoss: tested['loss'] ?? NaN };
    if (!classification) return scores;
    scores.accuracy = trained['accuracy'];
    scores.testAccuracy = tested['accuracy'];
    const matrix = new ConfusionMatrix(this.model.outputs);
    if (test.x.rows > 0) matrix.update(this.model.predict(test.x), test.y);
    scores.confusion = matrix.toArray();
    return scores;
  }
}
