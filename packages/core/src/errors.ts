/**
 * The error vocabulary of backprop: one base class and one subclass per kind of failure.
 * Every message states what was expected and what was found.
 */

/** Base class of every error backprop throws on purpose; catch it to tell ours from bugs. */
export class BackpropError extends Error {
  override name = 'BackpropError';
}

/** A matrix or data set has the wrong shape, e.g. an input row of the wrong width. */
export class ShapeError extends BackpropError {
  override name = 'ShapeError';
}

/** Bad data: non-finite values, empty data, or a malformed file. Names the file, row, column. */
export class DataError extends BackpropError {
  override name = 'DataError';
}

/** A bad option or constructor argument: echoes the option's name and the value received. */
export class ConfigError extends BackpropError {
  override name = 'ConfigError';
}

/** A model file that cannot be read: names the field that is wrong. */
export class ModelFileError extends BackpropError {
  override name = 'ModelFileError';
}

/** Training went numerically wrong (a non-finite loss): names the epoch and batch, with a hint. */
export class NumericalError extends BackpropError {
  override name = 'NumericalError';
  /** 1-based epoch in which the loss became non-finite. */
  readonly epoch: number;
  /** 1-based batch within that epoch. */
  readonly batch: number;

  constructor(message: string, epoch: number, batch: number) {
    super(message);
    this.epoch = epoch;
    this.batch = batch;
  }
}
