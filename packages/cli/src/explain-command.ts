import { Option, type Command } from 'commander';
import { ConfigError, DATASET_NAMES, LOSS_NAMES } from './api.js';
import { chainRuleCommand, variableOption, type ChainRuleOptions } from './chain-rule-command.js';
import { explainCommand, type ExplainCommandOptions } from './explain.js';
import { integer, oneOf, pointToHelp, positiveNumber } from './options.js';
import { namingModelFile } from './model-file-errors.js';

/** Shown after `backprop explain --help`. */
const EXAMPLES = `
Examples:
  backprop explain                                the lecture's 3-3-2 network, step by step
  backprop explain --gradcheck                    with central-difference estimates beside
  backprop explain --format markdown > steps.md   Markdown with LaTeX equations
  backprop explain --layer 1 --unit 2             one hidden unit: its sums, δ and weights
  backprop explain --input 1,0,-1 --target 0,1    another example for the lecture network
  backprop explain --model model.json --dataset mnist --index 0
                                                  a trained MNIST model on test image 0
  backprop explain --model iris.json --dataset iris --index 3
                                                  an iris model on test row 3, scaled as the
                                                  model file says
  backprop explain --chain-rule                   the chain rule on f = xyz, x = r, y = rs, z = s
  backprop explain --chain-rule "tanh(w*x+b)" --var w=0.5 --var x=2 --var b=-1`;

/**
 * Adds the `explain` command, with its options, to the program. Commander's own errors end
 * with `; see backprop explain --help`.
 * @returns the new subcommand
 * @throws never; bad option values throw ConfigError when commander parses them.
 */
export function defineExplainCommand(program: Command): Command {
  const command = program
    .command('explain')
    .description(
      'show forward propagation, backpropagation and one SGD step with the numbers, in the ' +
        "lecture's notation",
    )
    .configureOutput({ outputError: pointToHelp('backprop explain --help') });
  const options = [
    new Option(
      '--model <path>',
      "a model file from backprop train (default: the lecture's network: 3 inputs, 3 sigmoid " +
        'hidden units, 2 sigmoid outputs, MSE, with fixed weights)',
    ),
    new Option('--input <values>', "the example's x: a CSV row (0.5,-1,2) or a JSON array"),
    new Option(
      '--target <values>',
      "the example's y: a CSV row or a JSON array, or a class index for several outputs",
    ),
    new Option(
      '--dataset <name>',
      `take the example from a data set's test split (split and preprocessed as the model ` +
        `file says): ${DATASET_NAMES.join(', ')}`,
    ).argParser(oneOf('--dataset', DATASET_NAMES)),
    new Option(
      '--index <i>',
      'which example of --dataset, from 0 (default: 0); without --dataset, of the data set the ' +
        'model was trained on (else mnist)',
    ).argParser(integer('--index', 0)),
    new Option(
      '--loss <name>',
      `loss: ${LOSS_NAMES.join(', ')} (default: the model's training loss if its file says, ` +
        'else crossEntropy for a softmax output, binaryCrossEntropy for one sigmoid class ' +
        'output, else mse)',
    ).argParser(oneOf('--loss', LOSS_NAMES)),
    new Option(
      '--learning-rate <number>',
      "η of the SGD step (default: 0.5 for the lecture's network, 0.1 with --model)",
    ).argParser(positiveNumber('--learning-rate')),
    new Option(
      '--layer <l>',
      'show Dense layer l only (1 to L, counting Dense layers), with the other layers after it ' +
        'up to the next Dense layer',
    ).argParser(integer('--layer', 1)),
    new Option(
      '--unit <j>',
      'with --layer: show unit j of that Dense layer only, 1 to nˡ (the other layers are hidden)',
    ).argParser(integer('--unit', 1)),
    new Option(
      '--training',
      "explain a training step: Dropout's mask and GaussianNoise drawn, BatchNormalization on " +
        "the example's own statistics (default: inference, as predict)",
    ).default(false),
    new Option(
      '--gradcheck',
      "print each parameter's backprop gradient beside its central-difference estimate",
    ).default(false),
    new Option(
      '--full',
      'print large matrices whole (default: more than 10 rows or columns are summarised)',
    ).default(false),
    new Option('--digits <n>', 'significant digits of the numbers, 1 to 17')
      .argParser(integer('--digits', 1, 17))
      .default(4),
    new Option(
      '--format <format>',
      'text (aligned matrices) or markdown (LaTeX equations) (default: text)',
    ).argParser(oneOf('--format', ['text', 'markdown'] as const)),
    new Option('--json', 'print the explanation as JSON (exact values)').default(false),
    new Option(
      '--chain-rule [expression]',
      "the chain rule step by step on an expression (default: the lecture's f = xyz with " +
        'x = r, y = rs, z = s at r = 3, s = -2): statements "name = expr" separated by ";", ' +
        'the last is the output; + - * / ^ (constant exponent), parentheses, tanh exp log ' +
        'relu sigmoid',
    ),
    new Option('--var <name=value>', 'with --chain-rule: an input variable, repeatable').argParser(
      variableOption,
    ),
  ];
  for (const each of options) command.addOption(each);
  return command
    .addHelpText('after', EXAMPLES)
    .action((parsed: ExplainCommandOptions & Partial<ChainRuleOptions>, self: Command) => {
      if (parsed.chainRule !== undefined) {
        const ignored = ['model', 'input', 'target', 'dataset', 'index', 'layer', 'unit']
          .filter((key) => self.getOptionValueSource(key) === 'cli')
          .map((key) => `--${key}`);
        return chainRuleCommand({ ...parsed, chainRule: parsed.chainRule }, ignored);
      }
      if (parsed.var !== undefined) {
        throw new ConfigError('--var gives a variable of --chain-rule; received --var without it');
      }
      return namingModelFile(parsed.model, () => explainCommand(parsed));
    });
}
