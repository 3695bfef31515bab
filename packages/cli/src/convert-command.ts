import { Option, type Command } from 'commander';
import { CONVERT_SOURCES as LOAD_FORMATS } from './convert.js';
import { CONVERT_TARGETS, convertCommand, type ConvertOptions } from './convert.js';
import { namingModelFile } from './model-file-errors.js';
import { oneOf, pointToHelp } from './options.js';

/** Shown after `backprop convert --help`. */
const EXAMPLES = `
Formats:
  json         backprop's model file (what backprop train writes)
  tfjs         a TensorFlow.js layers model: a directory with model.json and weights.bin
               (tf.loadLayersModel reads it); read from the directory or its model.json
  safetensors  tensors named as PyTorch's nn.Sequential (load_state_dict takes them), our
               architecture in the header's __metadata__
  brainjs      the JSON of a brain.js NeuralNetwork (net.toJSON()); read only
  onnx         ONNX opset 13 (read from a .onnx name)
  js           one dependency-free ES module with predict, classify, predictRecords and a .d.ts
               beside it; write only

Examples:
  backprop convert --model model.json --to tfjs --output web/model
  backprop convert --model web/model --to safetensors --output model.safetensors
  backprop convert --model brain.json --to json --output model.json
  backprop convert --model model.json --to js --output predict.mjs`;

/**
 * Adds the `convert` command to the program: any readable format to any writable one.
 * @returns the new subcommand
 * @throws never
 */
export function defineConvertCommand(program: Command): Command {
  const command = program
    .command('convert')
    .description(
      'convert a model between json, tfjs, safetensors, brainjs (read), onnx and js (write)',
    )
    .configureOutput({ outputError: pointToHelp('backprop convert --help') });
  const options = [
    new Option(
      '--model <path>',
      'the model to read (a file, or a tfjs directory)',
    ).makeOptionMandatory(),
    new Option('--to <format>', `the format to write: ${CONVERT_TARGETS.join(', ')}`)
      .argParser(oneOf('--to', CONVERT_TARGETS))
      .makeOptionMandatory(),
    new Option(
      '--output <path>',
      'the file (or tfjs directory) to write, atomically',
    ).makeOptionMandatory(),
    new Option(
      '--from <format>',
      `the format to read, instead of detecting it: ${LOAD_FORMATS.join(', ')}`,
    ).argParser(oneOf('--from', LOAD_FORMATS)),
  ];
  for (const each of options) command.addOption(each);
  return command
    .addHelpText('after', EXAMPLES)
    .action((parsed: ConvertOptions) =>
      namingModelFile(parsed.model, () => convertCommand(parsed)),
    );
}
