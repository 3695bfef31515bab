import { Option } from 'commander';

/**
 * `--by-position` of `backprop predict` and `evaluate`: read a CSV's input columns in order
 * when its header names none of the model's columns (csv-batches.ts checks the count).
 * @returns a new commander option, false by default
 */
export function byPositionOption(): Option {
  return new Option(
    '--by-position',
    "read the input columns in order, when the header names none of the model's columns " +
      '(there must be as many)',
  ).default(false);
}
