// The WASM backend's kernels: float32, 128-bit SIMD, on memory imported from JavaScript.
export { gemmNT, gemmNTChunks, gemmXN, listNonzeroBlocks, rank1Update } from './gemm';
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
export { decodeBytes } from './bytes';
