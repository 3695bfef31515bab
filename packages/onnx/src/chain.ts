import { ModelFileError } from '@backpropjs/core';
import { ACTIVATION_OPS, activationOf } from './activation-ops.js';
import { Affine, type Linear } from './affine.js';
import { Constants } from './constants.js';
import { readDense } from './gemm.js';
import { activationName, type DenseEntry, type Entry } from './entries.js';
import { readNormalization } from './normalization-ops.js';
import { DATA_TYPE, int64, type GraphMessage, type NodeMessage } from './schema.js';
import { firstLayerInputs } from './first-layer.js';
import {
  checkDims,
  intAttribute,
  MAX_ELEMENTS,
  nodeLabel,
  readTensor,
  type Constant,
} from './tensors.js';

/** Element-wise arithmetic with a constant. */
const ARITHMETIC = ['Add', 'Sub', 'Mul', 'Div'];
/** Every op fromOnnx reads, for the error message. */
const SUPPORTED = [
  'Gemm',
  'MatMul',
  ...ARITHMETIC,
  ...ACTIVATION_OPS,
  'BatchNormalization',
  'LayerNormalization',
  'Flatten',
  'Reshape',
  'Identity',
  'Dropout',
  'Constant',
];

/** What a graph's chain of nodes amounts to. */
export interface Chain {
  /** The layers, parameters in float64, with arithmetic inside a layer folded in. */
  layers: Entry[];
  /** Arithmetic before the first layer (input normalisation), not yet folded. */
  inputAffine: Affine | undefined;
  /** Arithmetic after the last activation (output scaling), not yet folded. */
  outputAffine: Affine | undefined;
  /** True when a DOUBLE tensor was met. */
  double: boolean;
}

/** Walks the nodes in order, following the one tensor that carries the data. */
export class ChainReader {
  readonly #graph: GraphMessage;
  readonly #constants: Constants;
  readonly #opset: number;
  readonly #layers: Entry[] = [];
  /** The tensor holding the data so far. */
  #current: string;
  /** Its width when known (features per example). */
  #width: number | undefined;
  /** The first layer's inputs, from its weights' dims (read before any node), when found. */
  readonly #firstInputs: { inputs: number; label: string; dims: number[] } | undefined;
  /** True once the data is [N, features]. */
  #flat: boolean;
  /** Arithmetic met outside a layer (before the first, or after an activation), not yet folded. */
  #affine: Affine | undefined;
  /** The input-side affine folded into layer 1, kept to compare with a stored preprocessing. */
  #inputAffine: Affine | undefined;

  constructor(graph: GraphMessage, constants: Map<string, Constant>, opset: number) {
    this.#graph = graph;
    this.#constants = new Constants(constants);
    this.#opset = opset;
    const inputs = graph.input.filter((value) => !constants.has(value.name ?? ''));
    if (inputs.length !== 1) {
      const names = inputs.map((value) => JSON.stringify(value.name)).join(', ');
      throw new ModelFileError(
        `an ONNX model: expected one graph input besides the initializers, found ` +
          `${inputs.length}${names ? ` (${names})` : ''}`,
      );
    }
    const input = inputs[0]!;
    const type = input.type?.tensorType;
    if (type?.elemType === DATA_TYPE.DOUBLE) this.#constants.double = true;
    const dims = (type?.shape?.dim ?? []).map((dim) =>
      // Decoding sets own properties for the fields on the wire only; the prototype's default
      // dimValue 0 must not be taken for a symbolic dimension's size.
      Object.hasOwn(dim, 'dimValue') ? int64(dim.dimValue) : undefined,
    );
    this.#current = input.name ?? '';
    this.#flat = dims.length <= 2;
    this.#firstInputs = firstLayerInputs(graph, constants);
    const known = dims.slice(1).filter((dim) => dim !== undefined);
    const what = `the graph input ${JSON.stringify(input.name ?? '')}`;
    const width = known.reduce((product, dim) => product * dim, 1);
    if (known.length === dims.length - 1 && known.every((dim) => dim >= 0)) {
      this.#setWidth(width, what);
    }
    checkDims(known, what);
  }

  /** A width declared before layer 1, checked against its weights (nothing allocated yet). */
  #setWidth(width: number, what: string): void {
    const first = this.#firstInputs;
    if (first !== undefined && width !== first.inputs) {
      throw new ModelFileError(
        `${first.label}: expected weights for ${width} inputs, found dims ` +
          `[${first.dims.join(', ')}] (${what} declares ${width} features per example)`,
      );
    }
    if (width > MAX_ELEMENTS) {
      throw new ModelFileError(
        `${what}: expected at most ${MAX_ELEMENTS} features (2^28), found ${width}`,
      );
    }
    this.#width = width;
  }

  /** Reads one node. */
  read(node: NodeMessage, index: number): void {
    const op = node.opType ?? '';
    const label = nodeLabel(node, index);
    if (op === 'Constant') {
      const value = node.attribute.find((each) => each.name === 'value')?.t;
      if (!value) {
        throw new ModelFileError(`${label}: expected a tensor attribute "value"`);
      }
      this.#constants.set(node.output[0] ?? '', readTensor(value, label));
      return;
    }
    if (!SUPPORTED.includes(op)) {
      throw new ModelFileError(
        `${label} is not supported; fromOnnx reads chains of ${SUPPORTED.join(', ')}`,
      );
    }
    const data = node.input.indexOf(this.#current);
    if (data < 0) {
      throw new ModelFileError(
        `${label} does not take the previous node's output "${this.#current}"; fromOnnx reads ` +
          'one chain of nodes from the input to the output',
      );
    }
    const others = node.input.filter((name, i) => i !== data && name !== '');
    if (op === 'Gemm' || op === 'MatMul') this.#linear(node, label, data, others);
    else if (ARITHMETIC.includes(op)) this.#arithmetic(node, label, data, others);
    else if (ACTIVATION_OPS.includes(op)) this.#activation(node, label);
    else if (op === 'Flatten' || op === 'Reshape') this.#flatten(node, label, others);
    else if (op === 'BatchNormalization' || op === 'LayerNormalization') {
      this.#normalization(node, label, data);
    }
    // Identity and Dropout (the identity at inference) pass the data on.
    this.#current = node.output[0] ?? '';
  }

  /**
   * Checks that the chain ends at the graph output, and hands over what was read.
   * @throws {ModelFileError} for another output, or no Gemm or MatMul at all
   */
  finish(): Chain {
    const outputs = this.#graph.output;
    if (outputs.length !== 1 || outputs[0]!.name !== this.#current) {
      const names = outputs.map((value) => JSON.stringify(value.name)).join(', ') || 'none';
      throw new ModelFileError(
        `an ONNX model: expected one graph output, computed by the last node ` +
          `("${this.#current}"), found ${names}`,
      );
    }
    if (this.#layers.length === 0) {
      throw new ModelFileError(
        'an ONNX model: expected at least one Gemm, MatMul, BatchNormalization or ' +
          'LayerNormalization, found none',
      );
    }
    return {
      layers: this.#layers,
      inputAffine: this.#inputAffine,
      outputAffine: this.#affine,
      double: this.#constants.double,
    };
  }

  /** Gemm or MatMul: a new layer (the previous one, if it has no activation, is linear). */
  #linear(node: NodeMessage, label: string, data: number, others: string[]): void {
    if (!this.#flat) {
      throw new ModelFileError(`${label}: expected a 2-D input [N, features]; add a Flatten first`);
    }
    const layer = readDense(node, label, data, others, this.#constants, this.#width);
    const open = this.#openDense();
    if (open !== undefined) open.activation = 'linear';
    if (this.#affine !== undefined) {
      if (this.#layers.length === 0) this.#inputAffine = this.#affine;
      else this.#affine.foldBefore(layer);
      this.#affine = undefined;
    }
    this.#layers.push(layer);
    this.#width = layer.outputs;
  }

  /** Add, Sub, Mul, Div by a constant: into the open layer, or kept to fold later. */
  #arithmetic(node: NodeMessage, label: string, data: number, others: string[]): void {
    const op = node.opType! as 'Add' | 'Sub' | 'Mul' | 'Div';
    if ((op === 'Sub' || op === 'Div') && data !== 0) {
      throw new ModelFileError(`${label}: expected the data as the first input (x ${op} c)`);
    }
    const width =
      this.#width ?? this.#constants.get(others[0], label, 'the constant').values.length;
    const c = this.#constants.vector(others[0], width, label, 'the constant');
    this.#width = width;
    const open = this.#open();
    if (open !== undefined) {
      Affine.apply(open, op, c, label);
      return;
    }
    this.#affine ??= new Affine(width);
    this.#affine.push(op, c, label);
  }

  /** An activation: the open Dense layer's, or after a normalisation an Activation layer. */
  #activation(node: NodeMessage, label: string): void {
    const open = this.#layers.at(-1);
    const dense = this.#openDense();
    const normalization =
      open?.kind === 'BatchNormalization' || open?.kind === 'LayerNormalization';
    if ((dense === undefined && !normalization) || this.#affine !== undefined) {
      throw new ModelFileError(
        `${label}: expected a Gemm or MatMul before it (one activation per layer), found ` +
          (open === undefined ? 'none' : `the ${activationName(open) ?? 'arithmetic'} before`),
      );
    }
    const op = node.opType!;
    if (op === 'Softmax') {
      const axis = intAttribute(node, 'axis', this.#opset >= 13 ? -1 : 1);
      if (axis !== 1 && axis !== -1) {
        throw new ModelFileError(`${label}: expected axis 1 or -1 (the features), found ${axis}`);
      }
    }
    const activation = activationOf(node, label);
    if (dense !== undefined) dense.activation = activation;
    else this.#layers.push({ kind: 'Activation', width: this.#width!, activation });
  }

  /** BatchNormalization or LayerNormalization: see {@link readNormalization}. */
  #normalization(node: NodeMessage, label: string, data: number): void {
    if (!this.#flat || data !== 0) {
      throw new ModelFileError(`${label}: expected a 2-D input [N, features] as input X`);
    }
    const perFeature = (name: string | undefined, what: string) =>
      this.#constants.perFeature(name, this.#width, label, what);
    const entry = readNormalization(node, label, perFeature, this.#width, this.#open());
    if (entry === undefined) return;
    if (this.#affine !== undefined) {
      if (this.#layers.length > 0) {
        throw new ModelFileError(
          `${label}: arithmetic after an activation cannot fold into a ${node.opType}`,
        );
      }
      this.#inputAffine = this.#affine;
      this.#affine = undefined;
    }
    this.#layers.push(entry);
    this.#width = entry.width;
  }

  /** The last layer when it is a Dense layer without its activation yet. */
  #openDense(): DenseEntry | undefined {
    const last = this.#layers.at(-1);
    return last?.kind === 'Dense' && last.activation === undefined ? last : undefined;
  }

  /** The layer arithmetic folds into: an open Dense layer, or a normalisation's γ and β. */
  #open(): Linear | undefined {
    const last = this.#layers.at(-1);
    const normalization =
      last?.kind === 'BatchNormalization' || last?.kind === 'LayerNormalization';
    return normalization ? last : this.#openDense();
  }

  /** Flatten (axis 1) or Reshape to [N, n], before the first layer. */
  #flatten(node: NodeMessage, label: string, others: string[]): void {
    if (this.#layers.length > 0) {
      throw new ModelFileError(`${label}: expected only at the input, before the first layer`);
    }
    if (node.opType === 'Flatten') {
      const axis = intAttribute(node, 'axis', 1);
      if (axis !== 1) throw new ModelFileError(`${label}: expected axis 1, found ${axis}`);
    } else {
      const shape = [...this.#constants.get(others[0], label, 'the shape').values];
      const [first, last] = [shape[0]!, shape[1]!];
      if (shape.length !== 2 || !(first === -1 || first === 0) || !(last > 0 || last === -1)) {
        throw new ModelFileError(
          `${label}: expected a shape [-1, features] or [0, -1], found [${shape.join(', ')}]`,
        );
      }
      if (last > 0) this.#setWidth(last, label);
    }
    this.#flat = true;
  }
}
