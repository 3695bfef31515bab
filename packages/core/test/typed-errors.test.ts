import { describe, expect, it } from 'vitest';
import {
  checkBackend,
  createBackend,
  setDefaultBackend,
  defaultBackend,
} from '../src/backend/registry.js';
import { applyPreprocessing } from '../src/data/preprocess.js';
import { ConfigError, ShapeError } from '../src/errors.js';
import { explain } from '../src/explain/explain.js';
import { fromOnnx } from '../../onnx/src/import.js';
import { toOnnx } from '../../onnx/src/export.js';
import { Dense } from '../src/layers/dense.js';
import { Sequential } from '../src/model/sequential.js';
import { Matrix, type DType } from '../src/tensor/matrix.js';

// Issue 15 item 7 (library misuses): each is a typed error naming the argument, not a
// TypeError or RangeError.

const model = () => new Sequential([new Dense(2, 1, { activation: 'linear' })], { seed: 1 });

describe('typed errors for impossible arguments', () => {
  it('new Matrix(1e10, 1e10) is a ShapeError giving the count and size', () => {
    expect(() => new Matrix(1e10, 1e10)).toThrow(ShapeError);
    expect(() => new Matrix(1e10, 1e10)).toThrow(
      /^a \[10000000000, 10000000000\] float32 matrix needs rows × cols = 100000000000000000000 values \(381469726562500\.0 MiB\), which cannot be allocated/,
    );
  });

  it("new Matrix(2, 2, 'float16') and non-array data are ConfigErrors naming the dtype", () => {
    expect(() => new Matrix(2, 2, 'float16' as DType)).toThrow(
      new ConfigError(`a matrix's dtype must be one of float32, float64; received "float16"`),
    );
    expect(() => new Matrix(1, 2, [1, 2] as unknown as Float32Array)).toThrow(
      "a matrix's data must be a Float32Array, a Float64Array or a dtype (float32, float64); received an array of 2",
    );
  });

  it('a backend {} is a ConfigError naming what it lacks', () => {
    expect(() => checkBackend({})).toThrow(
      new ConfigError(
        "backend must be a backend, e.g. createBackend('js') or createBackend('wasm') (js, wasm); " +
          'received an object without name, allocate, gemm, addBias, sumColumns, activate, ' +
          'activateBackward, subtract, axpy, decodeRows',
      ),
    );
    expect(checkBackend(createBackend('js')).name).toBe('js');
    const before = defaultBackend();
    expect(() => setDefaultBackend({} as never)).toThrow(ConfigError);
    expect(defaultBackend()).toBe(before);
    expect(() => fromOnnx(toOnnx(model()), { backend: {} as never })).toThrow(ConfigError);
    expect(() => fromOnnx(toOnnx(model()), { backand: 1 } as never)).toThrow(
      'fromOnnx has no option "backand"; valid options are backend',
    );
  });

  it('applyPreprocessing(null | {}, rows) is a ConfigError naming the argument', () => {
    expect(() => applyPreprocessing(null as never, [[1]])).toThrow(
      /^applyPreprocessing: preprocessing: expected an object, found null$/,
    );
    expect(() => applyPreprocessing({} as never, [[1]])).toThrow(
      /^applyPreprocessing: preprocessing\.columns: /,
    );
    expect(() => applyPreprocessing({} as never, [[1]])).toThrow(ConfigError);
  });

  it("toOnnx(model, { dtype: 'int8' }) and unknown options are ConfigErrors listing the valid ones", () => {
    expect(() => toOnnx(model(), { dtype: 'int8' as DType })).toThrow(
      new ConfigError('toOnnx dtype must be one of float32, float64; received "int8"'),
    );
    expect(() => toOnnx(model(), { dtyp: 'float32' } as never)).toThrow(
      new ConfigError('toOnnx has no option "dtyp"; valid options are dtype'),
    );
    expect(toOnnx(model(), { dtype: 'float64' })).toBeInstanceOf(Uint8Array);
  });

  it('explain with an unknown option is a ConfigError listing the valid ones', () => {
    expect(() => explain(model(), [1, 2], [1], { learningrate: 0.1 } as never)).toThrow(
      new ConfigError(
        'explain has no option "learningrate" (did you mean learningRate?); valid options are ' +
          'loss, learningRate, focus, gradcheck, full, epsilon, training',
      ),
    );
    expect(explain(model(), [1, 2], [1], { learningRate: 0.1 }).layers).toHaveLength(1);
  });
});
