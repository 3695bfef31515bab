import { int64, type GraphMessage } from './schema.js';
import { checkDims, intAttribute, nodeLabel, type Constant } from './tensors.js';

/**
 * The inputs of the graph's first Gemm or MatMul, from the dims of its weights (an initializer,
 * or a Constant node's tensor, whose dims are checked but whose values are not read here).
 */
export function firstLayerInputs(
  graph: GraphMessage,
  constants: Map<string, Constant>,
): { inputs: number; label: string; dims: number[] } | undefined {
  const index = graph.node.findIndex((node) => node.opType === 'Gemm' || node.opType === 'MatMul');
  const node = graph.node[index];
  const name = node?.input[1];
  if (node === undefined || name === undefined) return undefined;
  const label = nodeLabel(node, index);
  let dims = constants.get(name)?.dims;
  if (dims === undefined) {
    const constant = graph.node.find(
      (each) => each.opType === 'Constant' && each.output[0] === name,
    );
    const tensor = constant?.attribute.find((each) => each.name === 'value')?.t;
    dims = tensor?.dims.map((dim) => int64(dim));
  }
  if (dims === undefined || dims.length !== 2) return undefined;
  checkDims(dims, label);
  const transB = node.opType === 'Gemm' && intAttribute(node, 'transB', 0) === 1;
  return { inputs: transB ? dims[1]! : dims[0]!, label, dims };
}
