import {
  ConfigError,
  encodeModelAs,
  fromOnnx,
  LOAD_FORMATS,
  loadModel,
  ModelFileError,
  toOnnx,
  toStandaloneModule,
  writeEncoded,
  type Sequential,
} from './api.js';
import { checkNotAnInput, checkOutput } from './output.js';
import { writeOutputFile } from './output-file.js';

/** The formats `backprop convert --to` writes. */
export const CONVERT_TARGETS = ['json', 'tfjs', 'safetensors', 'onnx', 'js'] as const;
/** A format `backprop convert --to` writes. */
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];

/** The parsed options of `backprop convert`. */
export interface ConvertOptions {
  model: string;
  to: ConvertTarget;
  output: string;
  from?: ConvertSource;
}

/**
 * Writes a model in a format: 'json' (our model file), 'tfjs' (a directory), 'safetensors',
 * 'onnx', or 'js' (the standalone module, with its .d.ts or .d.mts beside it).
 * @returns the paths written
 * @throws {ConfigError} for a layer or activation the format cannot hold; the file system's
 *   error as a BackpropError naming the path
 */
export async function writeModelTo(
  model: Sequential,
  to: ConvertTarget,
  output: string,
): Promise<string[]> {
  switch (to) {
    case 'onnx':
      await writeOutputFile(output, toOnnx(model));
      return [output];
    case 'js': {
      const { js, dts } = toStandaloneModule(model);
      const declarations = output.replace(/\.(m?)js$/i, '.d.$1ts');
      const typesPath = declarations === output ? `${output}.d.ts` : declarations;
      await writeOutputFile(output, new TextEncoder().encode(js));
      await writeOutputFile(typesPath, new TextEncoder().encode(dts));
      return [output, typesPath];
    }
    case 'json':
      await writeOutputFile(
        output,
        new TextEncoder().encode(`${JSON.stringify(model, null, 2)}\n`),
      );
      return [output];
    default:
      await writeEncoded(output, encodeModelAs(model, to));
      return [output];
  }
}

/**
 * The whole `backprop convert` command: reads the model (its format detected, or `--from`),
 * writes it as `--to` at `--output`, and prints what it wrote.
 * @throws {ConfigError} for an output that is the model itself, cannot be written, or whose
 *   extension names another format; {ModelFileError} for a bad model file
 */
export async function convertCommand(options: ConvertOptions): Promise<void> {
  checkNotAnInput(options.output, [['--model', options.model]]);
  checkExtension(options.output, options.to);
  checkOutput(options.output);
  const model = await readAnyModel(options.model, options.from);
  const written = await writeModelTo(model, options.to, options.output);
  process.stdout.write(`wrote ${written.join(' and ')}: ${model} as ${options.to}\n`);
}

/** The formats `backprop convert` reads: the library's, and ONNX through @backpropjs/onnx. */
export const CONVERT_SOURCES = [...LOAD_FORMATS, 'onnx'] as const;

/** A format `backprop convert` reads. */
export type ConvertSource = (typeof CONVERT_SOURCES)[number];

/**
 * Reads a model in any format: ONNX (forced, or by its .onnx name) with fromOnnx, the others
 * with loadModel (detected from the content unless forced).
 * @throws {ModelFileError} naming the file and what is wrong
 */
async function readAnyModel(path: string, from: ConvertSource | undefined): Promise<Sequential> {
  if (from === 'onnx' || (from === undefined && /\.onnx$/i.test(path))) {
    const { readFile } = await import('node:fs/promises');
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (error) {
      throw new ModelFileError(`cannot read the model file ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      return fromOnnx(bytes);
    } catch (error) {
      if (!(error instanceof ModelFileError)) throw error;
      throw new ModelFileError(`${path}: ${error.message}`, { cause: error });
    }
  }
  return loadModel(path, { format: from });
}

/** The file extensions that name a format, as `loadModel` and readers detect them. */
const EXTENSIONS: Readonly<Record<string, ConvertTarget>> = {
  '.json': 'json',
  '.onnx': 'onnx',
  '.safetensors': 'safetensors',
  '.mjs': 'js',
  '.js': 'js',
};

/**
 * Refuses an output whose extension names another format than `--to` (an ONNX file named
 * .json would later be read as the wrong format); other names (a tfjs directory) are free.
 * @throws {ConfigError} naming the output, its extension and both formats
 */
function checkExtension(output: string, to: ConvertTarget): void {
  const match = /\.[a-z]+$/i.exec(output);
  const named = match === null ? undefined : EXTENSIONS[match[0].toLowerCase()];
  if (named === undefined || named === to) return;
  if (to === 'tfjs' && named === 'json') return; // a tfjs model may be written as its model.json
  throw new ConfigError(
    `--output ${output} has the extension of a ${named} file, but --to is ${to}; ` +
      'help: name the output for its format, or choose --to ' +
      named,
  );
}
