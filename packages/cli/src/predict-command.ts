import { Option, type Command } from 'commander';
import { byPositionOption } from './by-position-option.js';
import { pointToHelp } from './options.js';
import { predictCommand, type PredictOptions } from './predict.js';
import { namingModelFile } from './model-file-errors.js';

/** Shown after `backprop predict --help`. */
const EXAMPLES = `
Input: a CSV file with a header row. A model with preprocessing (trained on a CSV or a named
data set) picks its columns by name and encodes and scales them as in training; other columns
are ignored. A header that names none of them is an error unless --by-position reads the
columns in order (there must be exactly as many). A model without preprocessing takes every column, in order, as its inputs; an
MNIST model from "backprop train" (pixels / 255) then takes 784 values in [0, 1], while one
that stores the MNIST preprocessing takes the raw pixels 0-255. Files of any size are streamed.

Output: one line per row: "row,class,p(<class>)..." for a classifier (row is the input's line
number, the header being row 1), "row,<target>..." for regression, in the targets' units.

Examples:
  backprop predict --model iris.json --input flowers.csv
  backprop predict --model iris.json --input flowers.csv --output predictions.csv
  backprop predict --model cars.json --input cars.csv --json --drop-missing`;

/**
 * Adds the `predict` command to the program. Commander's own errors end with
 * `; see backprop predict --help`.
 * @returns the new subcommand
 * @throws never
 */
export function definePredictCommand(program: Command): Command {
  const command = program
    .command('predict')
    .description('predict classes and probabilities (or values) for the rows of a CSV file')
    .configureOutput({ outputError: pointToHelp('backprop predict --help') });
  const options = [
    new Option('--model <path>', 'the model file (from backprop train)').makeOptionMandatory(),
    new Option(
      '--input <path>',
      'the CSV file of rows to predict, with a header row',
    ).makeOptionMandatory(),
    new Option(
      '--output <path>',
      'write the predictions to this file, atomically (default: stdout)',
    ),
    new Option('--json', 'write JSON Lines (one object per row) instead of CSV').default(false),
    new Option(
      '--drop-missing',
      'leave out rows with a missing value instead of stopping with an error',
    ).default(false),
    byPositionOption(),
  ];
  for (const each of options) command.addOption(each);
  return command
    .addHelpText('after', EXAMPLES)
    .action((parsed: PredictOptions) =>
      namingModelFile(parsed.model, () => predictCommand(parsed)),
    );
}
