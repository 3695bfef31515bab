import { loadModel, ONNX_INPUT, ONNX_OPSET, ONNX_OUTPUT, toOnnx, type DType } from './api.js';
import { checkNotAnInput, checkOutput } from './output.js';
import { writeOutputFile } from './output-file.js';
import { writeModelTo } from './convert.js';

/** The parsed options of `backprop export`. */
export interface ExportOptions {
  model: string;
  /** The format to write: 'onnx', or 'js' (a standalone module, as `backprop convert --to js`). */
  format: 'onnx' | 'js';
  /** The file to write; default the model's path with the extension .onnx. */
  output?: string;
  /** Element type of the ONNX tensors; default the model's. */
  dtype?: DType;
  json: boolean;
}

/**
 * The whole `backprop export` command: writes the model as ONNX (see toOnnx), atomically, and
 * prints what it wrote: the path, opset, input and output.
 * @throws {ConfigError} for an output path that cannot be written or equals the model's.
 * @throws {ModelFileError} for a bad model file.
 */
export async function exportCommand(options: ExportOptions): Promise<void> {
  const extension = options.format === 'js' ? 'mjs' : 'onnx';
  const output = options.output ?? `${options.model.replace(/\.json$/i, '')}.${extension}`;
  checkNotAnInput(output, [['--model', options.model]]);
  checkOutput(output);
  const model = await loadModel(options.model);
  if (options.format === 'js') {
    const written = await writeModelTo(model, 'js', output);
    const record = { paths: written, format: 'js', inputs: model.inputs, outputs: model.outputs };
    const text = options.json ? JSON.stringify(record) : `wrote ${written.join(' and ')}: ${model}`;
    process.stdout.write(`${text}\n`);
    return;
  }
  const bytes = toOnnx(model, { dtype: options.dtype });
  await writeOutputFile(output, bytes);
  const dtype = options.dtype ?? model.dtype;
  const preprocessing = model.preprocessing !== undefined;
  if (options.json) {
    const record = {
      path: output,
      format: options.format,
      opset: ONNX_OPSET,
      dtype,
      bytes: bytes.length,
      input: { name: ONNX_INPUT, shape: ['N', model.inputs] },
      output: { name: ONNX_OUTPUT, shape: ['N', model.outputs] },
      preprocessing,
    };
    process.stdout.write(`${JSON.stringify(record)}\n`);
    return;
  }
  const scaled = preprocessing ? '; the feature scaling is in the graph' : '';
  process.stdout.write(
    `wrote ${output}: ONNX opset ${ONNX_OPSET}, ${dtype}, input "${ONNX_INPUT}" ` +
      `[N, ${model.inputs}], output "${ONNX_OUTPUT}" [N, ${model.outputs}]${scaled}\n`,
  );
}
