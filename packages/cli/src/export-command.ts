import { Option, type Command } from 'commander';
import { DTYPES } from './api.js';
import { exportCommand, type ExportOptions } from './export.js';
import { oneOf, pointToHelp } from './options.js';
import { namingModelFile } from './model-file-errors.js';

/** Shown after `backprop export --help`. */
const EXAMPLES = `
The ONNX graph: input "input" [N, n0] -> (Sub, Div: the feature scaling, when the model has
preprocessing) -> Gemm (transB = 1) and Relu | Sigmoid | Tanh | LeakyRelu | Softmax per layer ->
output "output" [N, nL]. It runs in onnxruntime (Python, C++, JavaScript) and opens in Netron.

Examples:
  backprop export --model model.json                         writes model.onnx
  backprop export --model model.json --output web/mnist.onnx
  backprop export --model model.json --format js             writes model.mjs and model.d.mts
  backprop export --model model64.json --dtype float32       FLOAT tensors from a float64 model`;

/**
 * Adds the `export` command to the program. Commander's own errors end with
 * `; see backprop export --help`.
 * @returns the new subcommand
 * @throws never
 */
export function defineExportCommand(program: Command): Command {
  const command = program
    .command('export')
    .description('write a model file in another format: ONNX (opset 13) or a standalone JS module')
    .configureOutput({ outputError: pointToHelp('backprop export --help') });
  const options = [
    new Option('--model <path>', 'the model file (from backprop train)').makeOptionMandatory(),
    new Option('--format <format>', 'the format to write: onnx, js (see backprop convert)')
      .argParser(oneOf('--format', ['onnx', 'js'] as const))
      .default('onnx'),
    new Option(
      '--output <path>',
      'the file to write, atomically (default: the model path with .onnx or .mjs for .json)',
    ),
    new Option(
      '--dtype <dtype>',
      `tensor element type: ${DTYPES.join(', ')} (default: the model's)`,
    ).argParser(oneOf('--dtype', DTYPES)),
    new Option('--json', 'print what was written as one JSON object').default(false),
  ];
  for (const each of options) command.addOption(each);
  return command
    .addHelpText('after', EXAMPLES)
    .action((parsed: ExportOptions) => namingModelFile(parsed.model, () => exportCommand(parsed)));
}
