import { ModelFileError } from '../errors.js';
import type { Sequential, SequentialOptions } from '../model/sequential.js';
import { base64ToBytes } from './base64.js';
import { encodeModel, type ModelJSON, type ModelLayerJSON } from './model-format.js';
import { modelFromJSON } from './model-json.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorsDType,
  type SafetensorsTensor,
} from './safetensors.js';
import { torchExpression, torchLayout } from './torch-layout.js';

/** The `__metadata__` key holding our architecture (the model file without parameters). */
export const SAFETENSORS_ARCHITECTURE_KEY = 'backprop';
/** The `__metadata__` key holding the Python expression of the equivalent nn.Sequential. */
export const SAFETENSORS_TORCH_KEY = 'torch';

const DTYPE = { float32: 'F32', float64: 'F64' } as const;

/**
 * A model as a safetensors file whose tensor names are those of the equivalent
 * `torch.nn.Sequential` (see {@link torchLayout}), so `load_state_dict(strict=True)` takes them:
 * Linear `weight` [out, in] (our Wˡ as is) and `bias` [out]; BatchNorm1d `weight`, `bias`,
 * `running_mean`, `running_var` and `num_batches_tracked` (I64, 0); LayerNorm `weight`, `bias`.
 * Tensors are F32 or F64 as the model's dtype. `__metadata__` holds the model file without its
 * parameters as one JSON string under `backprop` (class names, preprocessing and training
 * config included), the nn.Sequential expression under `torch`, and `format: 'pt'`.
 * @returns the file's bytes
 * @throws {ModelFileError} for a layer or activation PyTorch has no module for (names the layer);
 *   {ConfigError} for a custom activation
 */
export function toSafetensors(model: Sequential): Uint8Array {
  const architecture = encodeModel(model);
  const layout = torchLayout(architecture.layers, model.inputs);
  const dtype = DTYPE[model.dtype];
  const tensors = new Map<string, SafetensorsTensor>();
  for (const { torchName, layer, name, shape } of layout.parameters) {
    const entry = architecture.layers[layer]!;
    tensors.set(torchName, { dtype, shape, bytes: base64ToBytes(entry[name] as string)! });
    // PyTorch's BatchNorm1d state_dict order: weight, bias, running_mean, running_var, counter.
    if (name === 'movingVariance') {
      const counter = `${torchName.split('.')[0]}.num_batches_tracked`;
      tensors.set(counter, { dtype: 'I64', shape: [], bytes: new Uint8Array(8) });
    }
  }
  const stored = new Set(layout.parameters.map(({ layer, name }) => `${layer}.${name}`));
  architecture.layers = architecture.layers.map(
    (entry, k) =>
      Object.fromEntries(
        Object.entries(entry).filter(([key]) => !stored.has(`${k}.${key}`)),
      ) as ModelLayerJSON,
  );
  return encodeSafetensors(tensors, {
    format: 'pt',
    [SAFETENSORS_ARCHITECTURE_KEY]: JSON.stringify(architecture),
    [SAFETENSORS_TORCH_KEY]: torchExpression(layout),
  });
}

/**
 * Rebuilds a model from a safetensors file written by {@link toSafetensors}, or by PyTorch
 * with our architecture under `__metadata__.backprop` (see the README): every tensor of the
 * layout must be present with the model's dtype and PyTorch's shape, and no other tensor
 * (`num_batches_tracked` aside, which is checked to be an I64 scalar and otherwise ignored).
 * The model predicts bit-identically to the saved one.
 * @param bytes - the file's content
 * @param file - its name, for messages
 * @throws {ModelFileError} naming the file and what is wrong (header, offsets, a missing,
 *   extra or misshapen tensor, a wrong dtype, or the architecture's first wrong field)
 */
export function fromSafetensors(
  bytes: Uint8Array,
  file: string,
  options: Pick<SequentialOptions, 'backend'> = {},
): Sequential {
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  const fail = (message: string): never => {
    throw new ModelFileError(`${file}: ${message}`);
  };
  const text = metadata[SAFETENSORS_ARCHITECTURE_KEY];
  if (text === undefined) {
    return fail(
      `__metadata__ has no "${SAFETENSORS_ARCHITECTURE_KEY}" entry (the model's architecture as JSON); ` +
        'help: save with metadata={"backprop": …} as the README shows',
    );
  }
  let architecture: ModelJSON;
  try {
    architecture = JSON.parse(text) as ModelJSON;
  } catch (error) {
    return fail(`__metadata__.backprop is not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (
    typeof architecture !== 'object' ||
    architecture === null ||
    !Array.isArray(architecture.layers)
  ) {
    return fail(
      '__metadata__.backprop: expected a model file without parameters, found no layers array',
    );
  }
  const layout = wrap(file, () => torchLayout(architecture.layers, Number(architecture.inputs)));
  const dtype = (DTYPE as Record<string, SafetensorsDType | undefined>)[architecture.dtype];
  if (dtype === undefined)
    fail(
      `__metadata__.backprop: dtype: expected "float32" or "float64", found ${JSON.stringify(architecture.dtype)}`,
    );
  const unused = new Set(tensors.keys());
  for (const counter of layout.counters) {
    const tensor = tensors.get(counter);
    if (tensor !== undefined && (tensor.dtype !== 'I64' || tensor.shape.length !== 0)) {
      fail(
        `tensor ${counter}: expected an I64 scalar, found ${tensor.dtype} [${tensor.shape.join(', ')}]`,
      );
    }
    unused.delete(counter);
  }
  for (const { torchName, layer, name, shape } of layout.parameters) {
    const tensor =
      tensors.get(torchName) ?? fail(`tensor ${torchName} (layers[${layer}].${name}) is missing`);
    if (tensor.dtype !== dtype)
      fail(`tensor ${torchName}: expected dtype ${dtype}, found ${tensor.dtype}`);
    if (tensor.shape.join() !== shape.join()) {
      fail(
        `tensor ${torchName}: expected shape [${shape.join(', ')}], found [${tensor.shape.join(', ')}]`,
      );
    }
    architecture.layers[layer]![name] = bytesToBase64(tensor.bytes);
    unused.delete(torchName);
  }
  if (unused.size > 0)
    fail(`tensor ${[...unused][0]} is not a parameter of ${torchExpression(layout)}`);
  return wrap(file, () => modelFromJSON(architecture, options));
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  }
  return btoa(binary);
}

/** Runs `read`, prefixing a ModelFileError's message with the file's name. */
function wrap<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    throw new ModelFileError(`${file}: __metadata__.backprop: ${error.message}`, { cause: error });
  }
}
