import type { ReportDiagnosticsEpoch } from './report-diagnostics.js';

/**
 * One epoch of a training run as a report plots it. Losses in nats for the cross-entropies
 * (the mean over the examples), accuracies as fractions in [0, 1].
 */
export interface ReportEpoch {
  /** 1-based. */
  epoch: number;
  /** η used in this epoch (constant for plain SGD; it varies under a schedule). */
  learningRate?: number;
  /** Mean training loss over the epoch. */
  loss: number;
  /** Fraction of training examples classified correctly during the epoch. */
  accuracy?: number;
  /** Loss and accuracy on held-out validation data after the epoch. */
  validationLoss?: number;
  validationAccuracy?: number;
  /** Loss and accuracy on the test set after the epoch. */
  testLoss?: number;
  testAccuracy?: number;
}

/** A confusion matrix: `counts[t][p]` examples of true class t were predicted as class p. */
export interface ReportConfusion {
  /** What the examples are, e.g. 'MNIST test set (10,000 images)'. */
  data: string;
  /** One name per class, in output order, e.g. '0'…'9'. */
  classNames: string[];
  /** [true class][predicted class] counts. */
  counts: number[][];
}

/** Everything a training report shows; the input of `writeTrainingReport`. */
export interface TrainingReport {
  /** The page's title, e.g. 'backprop train: Sequential(Dense(784 => 128, relu), …)'. */
  title: string;
  /** The run's settings, shown as a two-column table in this order. */
  settings: Record<string, string | number | boolean>;
  /** The epochs in order; at least one. */
  epochs: ReportEpoch[];
  /** The confusion matrix after training, for classifiers. */
  confusion?: ReportConfusion;
  /** When the run ended, ISO 8601; shown under the title. */
  createdAt?: string;
  /**
   * Per-epoch training diagnostics (`backprop train --diagnose`): a gradient-norm chart per
   * layer, a table per epoch and layer, and the warnings with their hints.
   */
  diagnostics?: readonly ReportDiagnosticsEpoch[];
}
