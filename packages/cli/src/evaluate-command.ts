import { Option, type Command } from 'commander';
import { byPositionOption } from './by-position-option.js';
import { DATASET_NAMES } from './api.js';
import { evaluateCommand, type EvaluateCommandOptions } from './evaluate.js';
import { integer, oneOf, pointToHelp } from './options.js';
import { namingModelFile } from './model-file-errors.js';

/** Shown after `backprop evaluate --help`. */
const EXAMPLES = `
A data set is split as the model file records its training split (else 80/20, stratified,
seed 1; --seed overrides the seed), so that its test rows are rows the model never trained on;
they are evaluated with the model's own preprocessing. A CSV file is streamed; its inputs are read as
by "backprop predict", and its target column is the one the model was trained on (or --target).

Examples:
  backprop evaluate --model model.json --dataset mnist
  backprop evaluate --model iris.json --dataset iris --json
  backprop evaluate --model weather.json --input weather-2016.csv --target weather`;

/**
 * Adds the `evaluate` command to the program. Commander's own errors end with
 * `; see backprop evaluate --help`.
 * @returns the new subcommand
 * @throws never
 */
export function defineEvaluateCommand(program: Command): Command {
  const command = program
    .command('evaluate')
    .description(
      "print a model's loss and accuracy with the confusion matrix (or its errors, for " +
        "regression) on a data set's test split or a CSV file",
    )
    .configureOutput({ outputError: pointToHelp('backprop evaluate --help') });
  const options = [
    new Option('--model <path>', 'the model file (from backprop train)').makeOptionMandatory(),
    new Option('--dataset <name>', `a data set: ${DATASET_NAMES.join(', ')}`).argParser(
      oneOf('--dataset', DATASET_NAMES),
    ),
    new Option('--input <path>', 'or a CSV file with a header row'),
    new Option(
      '--target <columns>',
      "with --input: the target column(s), comma-separated (default: the model's)",
    ),
    new Option(
      '--seed <int>',
      "seed of the data set's train/test split (default: the one the model file records, else 1)",
    ).argParser(integer('--seed', 0, 2 ** 32 - 1)),
    new Option('--json', 'print one JSON object instead of the report').default(false),
    new Option(
      '--drop-missing',
      'with --input: leave out rows with a missing value instead of stopping with an error',
    ).default(false),
    byPositionOption(),
  ];
  for (const each of options) command.addOption(each);
  return command
    .addHelpText('after', EXAMPLES)
    .action((parsed: EvaluateCommandOptions) =>
      namingModelFile(parsed.model, () => evaluateCommand(parsed)),
    );
}
