// The WASM backend's kernels: float32, 128-bit SIMD, on memory imported from JavaScript.
export { gemmNT, gemmNTSparse, gemmXN, rank1Update, transpose } from './gemm';
export {
  addBias,
  activate,
  activateBackward,
  softmaxRows,
  softmaxBackward,
  sumColumns,
  axpy,
  subtract,
} from './elementwise';
