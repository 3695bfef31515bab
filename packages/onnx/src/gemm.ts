import { ModelFileError } from '@backpropjs/core';
import type { Constants } from './constants.js';
import type { DenseEntry } from './entries.js';
import type { NodeMessage } from './schema.js';
import { floatAttribute, intAttribute } from './tensors.js';

/**
 * Reads a Gemm or MatMul node as a Dense layer without activation: Gemm(a, B, C) with transA 0,
 * transB 0 or 1 and any alpha, beta is z = a·W + b with W = alpha·B (transB 1, B [n, inputs])
 * or alpha·Bᵀ (transB 0), b = beta·C; MatMul(a, B) with B [inputs, n] is W = Bᵀ, b = 0.
 * @param data - the index of the data among the node's inputs
 * @param others - the other inputs (B, then C)
 * @param width - the data's width, when known
 * @throws {ModelFileError} naming the node: data not as A or transposed, B not a 2-D constant,
 *   B for another input width, C without 1 or n values
 */
export function readDense(
  node: NodeMessage,
  label: string,
  data: number,
  others: string[],
  constants: Constants,
  width: number | undefined,
): DenseEntry {
  const gemm = node.opType === 'Gemm';
  if (data !== 0 || (gemm && intAttribute(node, 'transA', 0) !== 0)) {
    throw new ModelFileError(`${label}: expected the data as input A, not transposed`);
  }
  const B = constants.get(others[0], label, 'B');
  if (B.dims.length !== 2) {
    throw new ModelFileError(`${label}: expected 2-D weights, found dims [${B.dims.join(', ')}]`);
  }
  const transB = gemm && intAttribute(node, 'transB', 0) === 1;
  const [outputs, inputs] = transB ? [B.dims[0]!, B.dims[1]!] : [B.dims[1]!, B.dims[0]!];
  if (width !== undefined && inputs !== width) {
    throw new ModelFileError(
      `${label}: expected weights for ${width} inputs, found dims [${B.dims.join(', ')}]`,
    );
  }
  const alpha = gemm ? floatAttribute(node, 'alpha', 1) : 1;
  const weights = new Float64Array(outputs * inputs);
  for (let j = 0; j < outputs; j++) {
    for (let k = 0; k < inputs; k++) {
      const value = transB ? B.values[j * inputs + k]! : B.values[k * outputs + j]!;
      weights[j * inputs + k] = alpha === 1 ? value : alpha * value;
    }
  }
  const bias = new Float64Array(outputs);
  if (gemm && others[1] !== undefined) {
    const beta = floatAttribute(node, 'beta', 1);
    const C = constants.vector(others[1], outputs, label, 'C');
    for (let j = 0; j < outputs; j++) bias[j] = beta === 1 ? C[j]! : beta * C[j]!;
  }
  return { kind: 'Dense', inputs, outputs, weights, bias };
}
