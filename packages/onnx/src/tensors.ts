import { ModelFileError } from '@backpropjs/core';
import {
  DATA_TYPE,
  int64,
  type AttributeMessage,
  type NodeMessage,
  type TensorMessage,
} from './schema.js';

/** A constant tensor of an ONNX graph, its values widened to float64. */
export interface Constant {
  dims: number[];
  values: Float64Array;
  /** True for a DOUBLE tensor. */
  double: boolean;
}

/**
 * The most elements fromOnnx accepts in one tensor or one layer's width: 2^28 (268,435,456; 1 GiB
 * of float32), far beyond an MLP's layers, so that sizes declared by a small file are refused
 * before anything is allocated for them.
 */
export const MAX_ELEMENTS = 2 ** 28;

/**
 * Checks sizes a file declares (tensor dims, a graph input's shape) before they are used.
 * @returns the product of the dims (1 for none)
 * @throws {ModelFileError} naming `what` for a dim that is not an integer >= 0 or a product over
 *   {@link MAX_ELEMENTS}
 */
export function checkDims(dims: readonly number[], what: string): number {
  let count = 1;
  for (const dim of dims) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new ModelFileError(
        `${what}: expected dims that are integers >= 0, found [${dims.join(', ')}]`,
      );
    }
    count *= dim;
  }
  if (count > MAX_ELEMENTS) {
    throw new ModelFileError(
      `${what}: expected at most ${MAX_ELEMENTS} elements (2^28), found dims [${dims.join(', ')}] ` +
        `(${count} elements)`,
    );
  }
  return count;
}

/**
 * Reads a FLOAT, DOUBLE, INT32 or INT64 tensor (raw little-endian bytes or the typed fields).
 * The dims are checked ({@link checkDims}) and against the data before anything is allocated.
 * @throws {ModelFileError} for another data type, external data, dims that are negative or too
 *   large, a value count that does not match the dims, or a NaN or infinite value (names the
 *   tensor)
 */
export function readTensor(tensor: TensorMessage, what: string): Constant {
  const dims = tensor.dims.map((dim) => int64(dim));
  const count = checkDims(dims, what);
  const type = tensor.dataType ?? 0;
  if (tensor.dataLocation === 1) {
    throw new ModelFileError(`${what}: external tensor data is not supported; embed the weights`);
  }
  const sizes: Record<number, number> = {
    [DATA_TYPE.FLOAT]: 4,
    [DATA_TYPE.DOUBLE]: 8,
    [DATA_TYPE.INT32]: 4,
    [DATA_TYPE.INT64]: 8,
  };
  const size = sizes[type];
  if (size === undefined) {
    throw new ModelFileError(
      `${what}: expected a FLOAT, DOUBLE, INT32 or INT64 tensor, found data type ${type}`,
    );
  }
  let values: Float64Array;
  const raw = tensor.rawData;
  if (raw !== undefined && raw.length > 0) {
    if (raw.length !== count * size) {
      throw new ModelFileError(
        `${what}: expected ${count} values (${count * size} bytes) for dims [${dims.join(', ')}], ` +
          `found ${raw.length} bytes`,
      );
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    values = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      values[i] =
        type === DATA_TYPE.FLOAT
          ? view.getFloat32(4 * i, true)
          : type === DATA_TYPE.DOUBLE
            ? view.getFloat64(8 * i, true)
            : type === DATA_TYPE.INT32
              ? view.getInt32(4 * i, true)
              : Number(view.getBigInt64(8 * i, true));
    }
  } else {
    const typed: readonly unknown[] =
      type === DATA_TYPE.FLOAT
        ? tensor.floatData
        : type === DATA_TYPE.DOUBLE
          ? tensor.doubleData
          : type === DATA_TYPE.INT32
            ? tensor.int32Data
            : tensor.int64Data;
    if (typed.length !== count) {
      throw new ModelFileError(
        `${what}: expected ${count} values for dims [${dims.join(', ')}], found ${typed.length}`,
      );
    }
    values = Float64Array.from(typed, (value) => int64(value as number));
  }
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new ModelFileError(
      `${what}: expected finite values, found ${values[bad]} at index ${bad} (of ${count})`,
    );
  }
  return { dims, values, double: type === DATA_TYPE.DOUBLE };
}

/** How messages name a node: `node "fc1" (Gemm)`, or by position when it has no name. */
export function nodeLabel(node: NodeMessage, index: number): string {
  const name = node.name ? JSON.stringify(node.name) : `#${index}`;
  return `node ${name} (${node.opType ?? '?'})`;
}

/** A node's attribute by name, or undefined. */
export function attribute(node: NodeMessage, name: string): AttributeMessage | undefined {
  return node.attribute.find((each) => each.name === name);
}

/** An INT attribute's value, or `fallback` when absent. */
export function intAttribute(node: NodeMessage, name: string, fallback: number): number {
  const found = attribute(node, name);
  return found === undefined ? fallback : int64(found.i);
}

/** A FLOAT attribute's value, or `fallback` when absent. */
export function floatAttribute(node: NodeMessage, name: string, fallback: number): number {
  const found = attribute(node, name);
  return found === undefined ? fallback : (found.f ?? 0);
}

/**
 * A float32 value as the shortest decimal that rounds to the same float32 (0.2, not
 * 0.20000000298…), as the value was most likely written; a value float32 cannot hold exactly
 * (read from a DOUBLE tensor) is returned as it is.
 */
export function shortestDecimal(value: number): number {
  if (Math.fround(value) !== value) return value;
  for (let digits = 1; digits < 10; digits++) {
    const decimal = Number(value.toPrecision(digits));
    if (Math.fround(decimal) === value) return decimal;
  }
  return value;
}
