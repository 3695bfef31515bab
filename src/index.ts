export {
  BackpropError,
  ShapeError,
  DataError,
  ConfigError,
  ModelFileError,
  NumericalError,
} from './errors.js';
export { Matrix, toMatrix, DTYPES, type DType, type FloatArray } from './tensor/matrix.js';
export { Random, type RandomState } from './tensor/random.js';
export type { Backend } from './backend/backend.js';
export { jsBackend } from './backend/js.js';
export {
  createBackend,
  defaultBackend,
  setDefaultBackend,
  defaultThreads,
  BACKEND_NAMES,
  type BackendName,
  type BackendOptions,
} from './backend/registry.js';
export { WasmBackend, wasmAvailable } from './backend/wasm/wasm.js';
export { Value } from './autodiff/value.js';
export {
  activations,
  getActivation,
  sigmoid,
  ACTIVATION_NAMES,
  LEAKY_RELU_SLOPE,
  type Activation,
  type ActivationName,
  type ElementwiseActivation,
  type SoftmaxActivation,
} from './activations.js';
export {
  losses,
  getLoss,
  LOSS_NAMES,
  PROBABILITY_EPSILON,
  type Loss,
  type LossName,
} from './losses.js';
export {
  glorotUniform,
  heNormal,
  zeros,
  initializers,
  type Initializer,
  type InitializerName,
} from './initializers.js';
export { Dense, type DenseOptions } from './layers/dense.js';
export { Sequential, type SequentialOptions } from './model/sequential.js';
export type { Trace, Gradients } from './model/trace.js';
export { SGD, type SGDOptions } from './optimizers/sgd.js';
export type { FitOptions } from './training/fit.js';
export type { EvaluateOptions } from './training/evaluate.js';
export { History, type Logs } from './training/history.js';
export { countCorrect } from './training/metrics.js';
export {
  gradcheck,
  type GradcheckOptions,
  type GradcheckResult,
  type ParameterCheck,
} from './gradcheck.js';
export { readIdx, readIdxFile, readIdxFileSync, type IdxArray } from './data/idx.js';
export { loadMnist, type Mnist, type MnistOptions } from './data/mnist.js';
export { oneHot } from './data/one-hot.js';
export type { Dataset, LabelledDataset } from './data/dataset.js';
export { saveModel, loadModel } from './io/model-file.js';
export {
  modelToJSON,
  modelFromJSON,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelJSON,
  type DenseJSON,
} from './io/model-json.js';
