import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, ModelFileError } from '../errors.js';
import type { Sequential, SequentialOptions } from '../model/sequential.js';
import { writeDirectoryAtomic, writeFileAtomic } from './atomic-write.js';
import { fromBrainJs } from './brainjs.js';
import { fromSafetensors, toSafetensors } from './safetensors-model.js';
import { TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE } from './tfjs/format.js';
import { toTfjs } from './tfjs/export.js';
import { fromTfjs, tfjsShardPaths } from './tfjs/import.js';

/** The formats {@link saveModel} writes: our JSON model file, a tfjs layers model, safetensors. */
export const SAVE_FORMATS = ['json', 'tfjs', 'safetensors'] as const;
/** A format {@link saveModel} writes. */
export type SaveFormat = (typeof SAVE_FORMATS)[number];
/**
 * The formats {@link loadModel} reads (detected from the content). ONNX is read by `fromOnnx`
 * of @backpropjs/onnx (and by `backprop convert`), which keeps protobufjs out of this package.
 */
export const LOAD_FORMATS = ['json', 'tfjs', 'safetensors', 'brainjs'] as const;
/** A format {@link loadModel} reads. */
export type LoadFormat = (typeof LOAD_FORMATS)[number];

/** What {@link encodeModelAs} gives: one file's bytes, or a directory's files by name. */
export type EncodedModel =
  | { readonly file: Uint8Array }
  | { readonly directory: Readonly<Record<string, string | Uint8Array>> };

/**
 * A model in another format than our JSON: 'tfjs' as a directory's files (model.json and
 * weights.bin), 'safetensors' as one file's bytes.
 * @throws {ConfigError} for a layer or activation the format cannot hold (names the layer)
 */
export function encodeModelAs(
  model: Sequential,
  format: Exclude<SaveFormat, 'json'>,
): EncodedModel {
  if (format === 'safetensors') {
    try {
      return { file: toSafetensors(model) };
    } catch (error) {
      if (!(error instanceof ModelFileError)) throw error;
      throw new ConfigError(`safetensors cannot hold this model: ${error.message}`);
    }
  }
  const { modelJson, weights } = toTfjs(model);
  return {
    directory: {
      [TFJS_MODEL_FILE]: `${JSON.stringify(modelJson, null, 1)}\n`,
      [TFJS_WEIGHTS_FILE]: weights,
    },
  };
}

/**
 * Writes an encoded model: a file atomically ({@link writeFileAtomic}), a directory as a set
 * ({@link writeDirectoryAtomic}: temporary directory, then rename).
 * @throws the file system's error, or {ConfigError} for a target that is a device, FIFO, …
 */
export async function writeEncoded(destination: string, encoded: EncodedModel): Promise<void> {
  if ('file' in encoded) await writeFileAtomic(destination, encoded.file);
  else await writeDirectoryAtomic(destination, encoded.directory);
}

/**
 * The format of a model file from its content: a directory, or JSON with `modelTopology` and
 * `weightsManifest`, is a tfjs model; a .safetensors name, or bytes that start with a
 * little-endian u64 header length (top byte 0) followed by `{`, is safetensors; JSON with `type: "NeuralNetwork"` is brain.js; other JSON
 * is ours; a name ending in .onnx is ONNX (which this package does not read).
 * @param path - the file or directory, for its name
 * @param bytes - the file's content (undefined for a directory)
 */
export function detectFormat(
  path: string,
  bytes: Uint8Array | undefined,
): LoadFormat | 'onnx' | 'json-text' {
  if (bytes === undefined) return 'tfjs';
  if (/\.onnx$/i.test(path)) return 'onnx';
  // A u64 header length has a zero top byte (text never holds NUL), then the JSON header.
  if (/\.safetensors$/i.test(path) || (bytes[7] === 0 && bytes[8] === 0x7b)) return 'safetensors';
  return 'json-text';
}

/**
 * Reads a model in any format of {@link LOAD_FORMATS}, detected with {@link detectFormat}
 * unless `format` forces it. Our JSON files are read by the caller (model-file.ts), which keeps
 * their messages; this returns undefined for them.
 * @throws {ModelFileError} naming the file and what is wrong with it
 */
export async function readModelAs(
  path: string,
  format: LoadFormat | undefined,
  options: Pick<SequentialOptions, 'backend'>,
): Promise<{ model?: Sequential; text?: string }> {
  const read = async (file: string) => {
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      throw new ModelFileError(`cannot read the model file ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const isDirectory = (await stat(path).catch(() => undefined))?.isDirectory() === true;
  const file = isDirectory ? join(path, TFJS_MODEL_FILE) : path;
  const bytes = await read(file);
  const detected = format ?? detectFormat(path, isDirectory ? undefined : bytes);
  if (detected === 'safetensors') return { model: fromSafetensors(bytes, file, options) };
  if (detected === 'onnx') {
    throw new ModelFileError(
      `${file}: an ONNX model; read it with fromOnnx from @backpropjs/onnx (or backprop convert)`,
    );
  }
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    if (detected === 'json-text' || detected === 'json') return { text };
    throw new ModelFileError(
      `${file}: expected the JSON of a ${detected} model, found text that is not JSON`,
    );
  }
  const object = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const kind =
    detected !== 'json-text'
      ? detected
      : 'modelTopology' in object && 'weightsManifest' in object
        ? 'tfjs'
        : object['type'] === 'NeuralNetwork'
          ? 'brainjs'
          : 'json';
  if (kind === 'brainjs') return { model: fromBrainJs(json, file, options) };
  if (kind !== 'tfjs') return { text };
  const shards = new Map<string, Uint8Array>();
  for (const shard of tfjsShardPaths(json, file))
    shards.set(shard, await read(join(dirname(file), shard)));
  return { model: fromTfjs(json, shards, file, options) };
}
