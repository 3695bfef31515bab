import type { Sequential } from '@backpropjs/core';
import type { Scaling } from '@backpropjs/core';
import { checkDType, type DType, type FloatArray } from '@backpropjs/core';
import { checkOptionKeys } from '@backpropjs/core';
export { ONNX_OPSET } from './schema.js';
import { layerNodes } from './layer-nodes.js';
import { node as nodeMessage } from './nodes.js';
import {
  DATA_TYPE,
  ModelProto,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type AttributeMessage,
  type NodeMessage,
  type TensorMessage,
} from './schema.js';

/** The graph input's name: [N, n⁰], the features (unscaled when the model has preprocessing). */
export const ONNX_INPUT = 'input';
/** The graph output's name: aᴸ [N, nᴸ]. */
export const ONNX_OUTPUT = 'output';

/** Options of {@link toOnnx}. */
export interface ToOnnxOptions {
  /**
   * Element type of the tensors: FLOAT for 'float32', DOUBLE for 'float64'. Default: the
   * model's dtype. (onnxruntime has no DOUBLE kernel for LeakyRelu; export such a float64
   * model as 'float32' to run it there.)
   */
  dtype?: DType;
}

/**
 * Exports a model as an ONNX model (opset 13, IR version 7) for onnxruntime, Netron, or other
 * frameworks' importers.
 *
 * Graph, for a batch of N rows:
 * - input `input`, shape [N, n⁰]: the model's features. With preprocessing, these are the encoded but
 *   unscaled features (numbers as they are, dates and categories encoded as
 *   `preprocessing.featureNames` lists them), and the scaling follows as nodes:
 *   Sub(offset) then Div(scale);
 * - per layer k of `model.layers` (names prefixed `layer${k}`), as layer-nodes.ts writes it:
 *   Dense: Gemm(a, Wˡ, bˡ, transB = 1) = a·(Wˡ)ᵀ + bˡ, with Wˡ stored [nˡ, nˡ⁻¹] as here,
 *   then the activation's op: Relu, Sigmoid, Tanh, LeakyRelu (alpha = slope), Elu (alpha),
 *   Selu, Softplus, Softsign, HardSigmoid (alpha = slope, beta = offset) or Softmax (axis 1);
 *   swish, gelu, geluTanh and mish as small graphs (x·Sigmoid(x); ½x(1 + Erf(x/√2)); the tanh
 *   form with Pow; x·Tanh(Softplus(x)), see activation-ops.ts); nothing for linear;
 *   Activation: its activation's nodes; BatchNormalization: the BatchNormalization op with the
 *   moving statistics (inference mode); LayerNormalization: ReduceMean, Sub, Mul, ReduceMean,
 *   Add(ε), Sqrt, Div, Mul(γ), Add(β) (opset 13 has no LayerNormalization op);
 *   Dropout and GaussianNoise are the identity at inference and have no node;
 * - for regression with scaled targets, Mul(scale) then Add(offset) return real units;
 * - output `output` [N, nᴸ].
 * Parameters are written bit for bit (raw little-endian data) in the model's dtype. The
 * preprocessing and the class names are also stored as JSON in metadata_props
 * (`backprop.preprocessing`, `backprop.classNames`), so {@link fromOnnx} restores them.
 *
 * @returns the serialised ModelProto
 * @throws {ConfigError} for an unknown option (lists the valid ones), a dtype other than
 *   'float32' and 'float64', a layer class the graph cannot hold, or a custom activation
 *   (naming the layer and activation)
 * @example
 * writeFileSync('model.onnx', toOnnx(model));
 */
export function toOnnx(model: Sequential, options: ToOnnxOptions = {}): Uint8Array {
  checkOptionKeys(options, ['dtype'], 'toOnnx');
  const double = checkDType(options.dtype ?? model.dtype, 'toOnnx dtype') === 'float64';
  const dataType = double ? DATA_TYPE.DOUBLE : DATA_TYPE.FLOAT;
  const initializer: TensorMessage[] = [];
  const node: NodeMessage[] = [];
  const tensor = (name: string, dims: number[], values: FloatArray | number[]): string => {
    initializer.push(tensorMessage(name, dims, values, double));
    return name;
  };
  /** Appends a node whose output is a new tensor `output`, fed by the current one. */
  let current = ONNX_INPUT;
  const append = (
    name: string,
    op: string,
    others: string[],
    output: string,
    attributes: AttributeMessage[] = [],
  ) => {
    node.push(nodeMessage(name, op, [current, ...others], output, attributes));
    current = output;
  };
  const { preprocessing } = model;
  const scaling = preprocessing?.scaling;
  if (scaling !== undefined && !isIdentity(scaling)) {
    const n = model.inputs;
    append(
      'preprocessing.sub',
      'Sub',
      [tensor('preprocessing.offset', [n], scaling.offset)],
      'preprocessing.centred',
    );
    append('preprocessing.div', 'Div', [tensor('preprocessing.scale', [n], scaling.scale)], 'x');
  }
  const targetScaling = preprocessing?.targetScaling;
  const unscale = targetScaling !== undefined && !isIdentity(targetScaling);
  model.layers.forEach((layer, i) => {
    const nodes = layerNodes(layer, i + 1, { input: current, prefix: `layer${i + 1}`, tensor });
    node.push(...nodes);
    current = nodes.at(-1)?.output[0] ?? current;
  });
  if (unscale) {
    const n = model.outputs;
    append(
      'targets.mul',
      'Mul',
      [tensor('targets.scale', [n], targetScaling.scale)],
      'targets.scaled',
    );
    append('targets.add', 'Add', [tensor('targets.offset', [n], targetScaling.offset)], 'targets');
  }
  // The last node writes the graph output (an Identity when every layer is one).
  if (node.length === 0) append('identity', 'Identity', [], ONNX_OUTPUT);
  node[node.length - 1]!.output = [ONNX_OUTPUT];
  const metadataProps: { key: string; value: string }[] = [];
  if (model.preprocessing !== undefined) {
    metadataProps.push({
      key: 'backprop.preprocessing',
      value: JSON.stringify(model.preprocessing),
    });
  }
  if (model.classNames !== undefined) {
    metadataProps.push({ key: 'backprop.classNames', value: JSON.stringify(model.classNames) });
  }
  const message = ModelProto.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: 'backprop',
    docString: String(model),
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    metadataProps,
    graph: {
      name: 'backprop',
      node,
      initializer,
      input: [valueInfo(ONNX_INPUT, dataType, model.inputs)],
      output: [valueInfo(ONNX_OUTPUT, dataType, model.outputs)],
    },
  });
  const bytes = ModelProto.encode(message).finish();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A tensor with its values as raw little-endian bytes (ONNX's raw_data), bit for bit. */
function tensorMessage(
  name: string,
  dims: number[],
  values: FloatArray | number[],
  double: boolean,
): TensorMessage {
  const size = double ? 8 : 4;
  const rawData = new Uint8Array(values.length * size);
  const view = new DataView(rawData.buffer);
  for (let i = 0; i < values.length; i++) {
    if (double) view.setFloat64(i * size, values[i]!, true);
    else view.setFloat32(i * size, values[i]!, true);
  }
  return {
    name,
    dims,
    dataType: double ? DATA_TYPE.DOUBLE : DATA_TYPE.FLOAT,
    rawData,
    floatData: [],
    int32Data: [],
    int64Data: [],
    doubleData: [],
  };
}

/** A graph input or output: a tensor [N, width] with a symbolic batch dimension N. */
function valueInfo(name: string, elemType: number, width: number) {
  return {
    name,
    type: {
      tensorType: { elemType, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } },
    },
  };
}

/** True when a scaling changes nothing (offset 0, scale 1 everywhere), so needs no nodes. */
function isIdentity(scaling: Scaling): boolean {
  return (
    scaling.offset.every((value) => value === 0) && scaling.scale.every((value) => value === 1)
  );
}
