import type { Backend } from '@backpropjs/core';
import { checkBackend } from '@backpropjs/core';
import { checkOptionKeys } from '@backpropjs/core';
import type { Preprocessing } from '@backpropjs/core';
import { parsePreprocessing } from '@backpropjs/core';
import { ModelFileError } from '@backpropjs/core';
import { Sequential } from '@backpropjs/core';
import { classNamesProblem, preprocessingProblem } from '@backpropjs/core';
import { Affine } from './affine.js';
import { foldActivationPatterns } from './activation-ops.js';
import { ChainReader, type Chain } from './chain.js';
import {
  activationName,
  copyParameters,
  entryInputs,
  entryLayer,
  entryOutputs,
  type Entry,
} from './entries.js';
import { foldLayerNormalizationPatterns } from './normalization-ops.js';
import { int64, ModelProto, type ModelMessage, type NodeMessage } from './schema.js';
import { readTensor, type Constant } from './tensors.js';

/** Options of {@link fromOnnx}. */
export interface FromOnnxOptions {
  /** The kernels the model computes with. Default: `defaultBackend()` of @backpropjs/core. */
  backend?: Backend;
}

/**
 * Imports a feed-forward ONNX model, as PyTorch (`torch.onnx.export` of Linear layers) or Keras
 * (tf2onnx) write them, into a Sequential that can be fine-tuned here.
 *
 * Reads one chain of nodes from the single graph input to the single graph output:
 * - Flatten (axis 1) or Reshape to [N, n] at the input;
 * - Gemm(a, B, C) with transA 0, transB 0 or 1 and any alpha, beta: W = alpha·B (transB 1) or
 *   alpha·Bᵀ (transB 0), b = beta·C; or MatMul(a, B) with B [inputs, outputs], W = Bᵀ;
 * - then Relu, Sigmoid, Tanh, LeakyRelu (alpha → slope), Elu (alpha), Selu, Softplus, Softsign,
 *   HardSigmoid (alpha, beta → slope, offset), Softmax over the features, Mish or Gelu (opsets
 *   18, 20), or the graphs toOnnx and PyTorch write for swish, gelu, geluTanh and mish (see
 *   activation-ops.ts); without one the layer is linear;
 * - BatchNormalization (inference mode): folded as y = x·s + t, s = γ/√(σ² + ε),
 *   t = β − μ·s, into the layer before when that is exact (a Gemm or MatMul before its
 *   activation, or a normalisation); elsewhere (after an activation, at the input) a
 *   BatchNormalization layer with the file's γ, β, moving mean and variance and ε;
 * - LayerNormalization over the features, as the opset-17 op or as the decomposed pattern that
 *   toOnnx and PyTorch write (ReduceMean, Sub, Mul or Pow, ReduceMean, Add(ε), Sqrt, Div, then
 *   Mul(γ), Add(β); see normalization-ops.ts): a LayerNormalization layer;
 * - an activation after a normalisation: an Activation layer;
 * - Add, Sub, Mul, Div by a constant (a scalar or one value per feature) anywhere on the chain:
 *   folded into the layer before (a MatMul's bias Add, a folded batch norm, a normalisation's γ
 *   and β) or after it (input normalisation); Identity and Dropout are skipped.
 * Weights come from initializers or Constant nodes, FLOAT or DOUBLE; a DOUBLE tensor makes a
 * float64 model. A file written by {@link toOnnx} gets its preprocessing and class names back
 * from metadata_props; its scaling nodes are then not folded.
 *
 * @param bytes - a serialised ONNX ModelProto
 * @returns a float32 or float64 model; parameters are the file's, bit for bit, unless folded
 * @throws {ModelFileError} when the bytes are not an ONNX model; for a node outside that list,
 *   naming the node and its op type, e.g. `node "conv1" (Conv) is not supported; …`; for a
 *   graph that is not one chain, or weights of the wrong shape (names the node); for declared
 *   sizes (the input's shape, tensor dims, a Reshape) that are negative, over 2^28 elements or
 *   differ from the first layer's weights, checked before anything is allocated; for a NaN or
 *   infinite value in an initializer or Constant (names it), or a parameter that is not finite
 *   once folded and rounded to the model's dtype (names the layer, 1-based).
 */
export function fromOnnx(bytes: Uint8Array, options: FromOnnxOptions = {}): Sequential {
  checkOptionKeys(options, ['backend'], 'fromOnnx');
  if (options.backend !== undefined) checkBackend(options.backend);
  const file = decode(bytes);
  const graph = file.graph;
  if (!graph || graph.node.length === 0) {
    throw new ModelFileError('an ONNX model: expected a graph with nodes, found none');
  }
  const opset = int64(file.opsetImport.find((each) => !each.domain)?.version) || 13;
  const constants = new Map<string, Constant>();
  for (const tensor of graph.initializer) {
    constants.set(tensor.name ?? '', readTensor(tensor, `initializer "${tensor.name}"`));
  }
  const reader = new ChainReader(graph, constants, opset);
  const scalar = scalarOf(graph.node, constants);
  // Constant nodes first (they have no inputs), so patterns are runs of consecutive nodes.
  const nodes = [
    ...graph.node.filter((node) => node.opType === 'Constant'),
    ...graph.node.filter((node) => node.opType !== 'Constant'),
  ];
  foldLayerNormalizationPatterns(foldActivationPatterns(nodes, scalar), scalar).forEach((node, i) =>
    reader.read(node, i),
  );
  return assemble(file, reader.finish(), options);
}

/** The value of a one-value constant (an initializer or a Constant node's), by tensor name. */
function scalarOf(
  nodes: NodeMessage[],
  constants: Map<string, Constant>,
): (name: string) => number | undefined {
  const values = new Map<string, number>();
  for (const [name, constant] of constants) {
    if (constant.values.length === 1) values.set(name, constant.values[0]!);
  }
  for (const node of nodes) {
    const value =
      node.opType === 'Constant' ? node.attribute.find((a) => a.name === 'value')?.t : null;
    if (!value) continue;
    try {
      const constant = readTensor(value, 'a Constant');
      if (constant.values.length === 1) values.set(node.output[0] ?? '', constant.values[0]!);
    } catch {
      // The chain reader reports a broken Constant when it reaches it.
    }
  }
  return (name) => values.get(name);
}

/** Decodes the protobuf bytes. */
function decode(bytes: Uint8Array): ModelMessage {
  try {
    return ModelProto.decode(bytes) as unknown as ModelMessage;
  } catch (error) {
    throw new ModelFileError(
      `expected an ONNX model (a ModelProto), found bytes that do not decode: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * The model from what the chain read: arithmetic outside the layers is folded in, unless it is
 * the scaling of the preprocessing that toOnnx stored beside it, which the model keeps instead.
 * @throws {ModelFileError} for arithmetic after a final activation other than linear
 */
function assemble(file: ModelMessage, chain: Chain, options: FromOnnxOptions): Sequential {
  const { layers, inputAffine, outputAffine } = chain;
  const last = layers.at(-1)!;
  let stored = storedPreprocessing(file, layers);
  if (
    stored !== undefined &&
    !(
      Affine.matchesScaling(inputAffine, stored.scaling) &&
      Affine.matchesUnscaling(outputAffine, stored.targetScaling)
    )
  ) {
    stored = undefined;
  }
  if (stored === undefined && outputAffine !== undefined) {
    const activation = activationName(last);
    if (activation !== undefined && activation !== 'linear') {
      throw new ModelFileError(
        `an ONNX model: arithmetic after the last activation (${activation}) is not ` +
          'supported; backprop layers end with their activation',
      );
    }
    if (last.kind !== 'Dense') {
      throw new ModelFileError(
        `an ONNX model: arithmetic after the last layer (an ${last.kind}) is not supported`,
      );
    }
    outputAffine.foldAfter(last);
  }
  const first = layers[0]!;
  if (stored === undefined && inputAffine !== undefined) {
    if (first.kind !== 'Dense') {
      throw new ModelFileError(
        `an ONNX model: arithmetic before the first layer (a ${first.kind}) is not supported; ` +
          'it folds only into a Gemm or MatMul',
      );
    }
    inputAffine.foldBefore(first);
  }
  const model = new Sequential(layers.map(entryLayer), {
    dtype: chain.double ? 'float64' : 'float32',
    backend: options.backend,
    inputs: entryInputs(first),
    metadata: { importedFrom: { format: 'onnx', producer: file.producerName ?? '' } },
  });
  model.layers.forEach((layer, i) => {
    copyParameters(layers[i]!, layer);
    for (const { name, value } of layer.parameters()) {
      const bad = value.data.findIndex((each) => !Number.isFinite(each));
      if (bad < 0) continue;
      throw new ModelFileError(
        `an ONNX model: layer ${i + 1} ${name}: expected finite ${model.dtype} values, found ` +
          `${value.data[bad]} at index ${bad} (after folding alpha, beta and constants)`,
      );
    }
  });
  if (stored !== undefined) model.preprocessing = stored;
  const names = metadataJSON(file, 'backprop.classNames');
  if (
    Array.isArray(names) &&
    names.every((name) => typeof name === 'string') &&
    classNamesProblem(names, model.outputs) === undefined
  ) {
    model.classNames = names;
  }
  return model;
}

/** A metadata_props entry parsed as JSON, or undefined. */
function metadataJSON(file: ModelMessage, key: string): unknown {
  const text = file.metadataProps.find((entry) => entry.key === key)?.value;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The preprocessing toOnnx stored, when it is valid and fits the layers read. */
function storedPreprocessing(file: ModelMessage, layers: Entry[]): Preprocessing | undefined {
  const raw = metadataJSON(file, 'backprop.preprocessing');
  if (raw === undefined) return undefined;
  try {
    const preprocessing = parsePreprocessing(raw, 'backprop.preprocessing');
    const fits = preprocessingProblem(
      preprocessing,
      entryInputs(layers[0]!),
      entryOutputs(layers.at(-1)!),
    );
    return fits === undefined ? preprocessing : undefined;
  } catch {
    return undefined;
  }
}
