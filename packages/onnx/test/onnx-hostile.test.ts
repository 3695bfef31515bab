import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../../core/src/errors.js';
import { fromOnnx } from '../src/import.js';
import { ModelProto } from '../src/schema.js';

// Small hostile ONNX files: every declared size is checked before anything is allocated, and
// non-finite parameters are refused.

const FLOAT = 1;

function encode(inputDims: (number | string)[], nodes: object[], initializer: object[]) {
  const graph = {
    node: nodes,
    initializer,
    input: [
      {
        name: 'x',
        type: {
          tensorType: {
            elemType: FLOAT,
            shape: {
              dim: inputDims.map((d) =>
                typeof d === 'number' ? { dimValue: d } : { dimParam: d },
              ),
            },
          },
        },
      },
    ],
    output: [{ name: 'y' }],
  };
  const message = ModelProto.fromObject({ irVersion: 7, opsetImport: [{ version: 13 }], graph });
  return ModelProto.encode(message).finish();
}

const transB = { name: 'transB', type: 2, i: 1 };
const gemm = {
  name: 'fc1',
  opType: 'Gemm',
  input: ['x', 'W', 'b'],
  output: ['y'],
  attribute: [transB],
};
const weights = (data: number[], dims = [1, 2]) => ({
  name: 'W',
  dims,
  dataType: FLOAT,
  floatData: data,
});
const bias = (data: number[]) => ({
  name: 'b',
  dims: [data.length],
  dataType: FLOAT,
  floatData: data,
});

describe('fromOnnx on hostile files', () => {
  it('a small file declaring an input width of 1e9 is a ModelFileError naming the first node', () => {
    const add = { name: 'shift', opType: 'Add', input: ['x', 'c'], output: ['h'] };
    const fc = { ...gemm, input: ['h', 'W', 'b'] };
    const c = { name: 'c', dims: [], dataType: FLOAT, floatData: [1] };
    const bytes = encode(['N', 1e9], [add, fc], [c, weights([1, 2]), bias([0])]);
    expect(bytes.length).toBeLessThan(200);
    expect(() => fromOnnx(bytes)).toThrow(
      new ModelFileError(
        'node "fc1" (Gemm): expected weights for 1000000000 inputs, found dims [1, 2] ' +
          '(the graph input "x" declares 1000000000 features per example)',
      ),
    );
  });

  it('a width over 2^28 without a layer to compare is refused before allocating', () => {
    const add = { name: 'shift', opType: 'Add', input: ['x', 'c'], output: ['y'] };
    const c = { name: 'c', dims: [], dataType: FLOAT, floatData: [1] };
    expect(() => fromOnnx(encode(['N', 1e9], [add], [c]))).toThrow(
      'the graph input "x": expected at most 268435456 features (2^28), found 1000000000',
    );
  });

  it('negative and huge 3-D input dims are ModelFileErrors, not RangeErrors', () => {
    const bytes = encode(['N', -5], [gemm], [weights([1, 2]), bias([0])]);
    expect(() => fromOnnx(bytes)).toThrow(
      new ModelFileError('the graph input "x": expected dims that are integers >= 0, found [-5]'),
    );
    const flatten = { name: 'flat', opType: 'Flatten', input: ['x'], output: ['h'] };
    const big = encode(
      ['N', 1e5, 1e5],
      [flatten, { ...gemm, input: ['h', 'W', 'b'] }],
      [weights([1, 2]), bias([0])],
    );
    expect(() => fromOnnx(big)).toThrow(
      'node "fc1" (Gemm): expected weights for 10000000000 inputs, found dims [1, 2] (the graph input "x" declares',
    );
  });

  it('an initializer declaring 2^40 elements or negative dims is refused', () => {
    expect(() =>
      fromOnnx(encode(['N', 2], [gemm], [weights([1, 2], [2 ** 20, 2 ** 20]), bias([0])])),
    ).toThrow(
      'initializer "W": expected at most 268435456 elements (2^28), found dims [1048576, 1048576] (1099511627776 elements)',
    );
    expect(() =>
      fromOnnx(encode(['N', 2], [gemm], [weights([1, 2], [-1, -2]), bias([0])])),
    ).toThrow(ModelFileError);
  });

  it('a Reshape to 1e9 features is checked against the first layer', () => {
    const shape = { name: 's', dims: [2], dataType: 7, int64Data: [-1, 1e9] };
    const reshape = { name: 'r', opType: 'Reshape', input: ['x', 's'], output: ['h'] };
    const bytes = encode(
      ['N', 'F'],
      [reshape, { ...gemm, input: ['h', 'W', 'b'] }],
      [shape, weights([1, 2]), bias([0])],
    );
    expect(() => fromOnnx(bytes)).toThrow(
      'node "fc1" (Gemm): expected weights for 1000000000 inputs, found dims [1, 2] (node "r" (Reshape) declares',
    );
  });

  it('NaN and infinite initializers are refused, naming the initializer', () => {
    expect(() => fromOnnx(encode(['N', 2], [gemm], [weights([1, NaN]), bias([0])]))).toThrow(
      new ModelFileError('initializer "W": expected finite values, found NaN at index 1 (of 2)'),
    );
    expect(() => fromOnnx(encode(['N', 2], [gemm], [weights([1, 2]), bias([-Infinity])]))).toThrow(
      'initializer "b": expected finite values, found -Infinity at index 0 (of 1)',
    );
  });

  it('finite parameters that overflow float32 once alpha is folded in are refused, naming the layer', () => {
    const scaled = { ...gemm, attribute: [transB, { name: 'alpha', type: 1, f: 1e30 }] };
    expect(() => fromOnnx(encode(['N', 2], [scaled], [weights([1e10, 2]), bias([0])]))).toThrow(
      new ModelFileError(
        'an ONNX model: layer 1 weights: expected finite float32 values, found Infinity at index 0 (after folding alpha, beta and constants)',
      ),
    );
  });

  it('a sound file of the same form still imports', () => {
    const model = fromOnnx(encode(['N', 2], [gemm], [weights([1, 2]), bias([0.5])]));
    expect(Array.from(model.predict([[3, 4]]).data)).toEqual([3 + 8 + 0.5]);
  });
});
