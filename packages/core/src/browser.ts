/**
 * The browser entry: the library without its Node-only parts, for bundlers (package.json's
 * "browser" condition) and the playground in web/. Everything here runs in a page: no module in
 * its import graph imports a Node built-in (test/browser-entry.test.ts checks it, and that every
 * browser-safe export of index.ts is here too).
 *
 * Left out: what reads or writes files with Node's modules, such as `readIdxFile`, and the
 * file paths of `saveModel` and `loadModel`: here they take the browser's URLs
 * (`localstorage://`, `indexeddb://`, `downloads://`, and `http(s)://` to load). A model file
 * from a file input loads with `modelFromText`. The atomic writers and checkpoints are here
 * because fit uses them, but load Node's modules only when called: in a page they throw a
 * ConfigError.
 */
export {
  BackpropError,
  ShapeError,
  DataError,
  ConfigError,
  ModelFileError,
  NumericalError,
} from './errors.js';
export { Matrix, toMatrix, DTYPES, type DType, type FloatArray } from './tensor/matrix.js';
export { ByteMatrix, type InputMatrix } from './tensor/byte-matrix.js';
export { Random, type RandomState } from './tensor/random.js';
export type { Backend, ShardPrograms } from './backend/backend.js';
export { jsBackend } from './backend/js.js';
export {
  createBackend,
  createBackendAsync,
  defaultBackend,
  setDefaultBackend,
  checkBackend,
  defaultThreads,
  BACKEND_NAMES,
  type BackendName,
  type BackendOptions,
} from './backend/registry.js';
export { WasmBackend } from './backend/wasm/wasm.js';
export { wasmAvailable } from './backend/wasm/kernels.js';
export { relaxedSimdAvailable } from './backend/wasm/relaxed-simd.js';
export { SHARD_ROWS } from './model/data-parallel.js';
export { Value } from './autodiff/value.js';
export {
  chainRule,
  LECTURE_EXPRESSION,
  LECTURE_VARIABLES,
  type ChainRule,
  type ChainRuleNode,
  type ChainRuleStep,
  type ChainRuleTerm,
} from './explain/chain-rule.js';
export {
  parseExpression,
  CHAIN_RULE_FUNCTIONS,
  CHAIN_RULE_MAX_NESTING,
  type ParsedExpression,
} from './explain/chain-rule-parser.js';
export { chainRuleFormula, chainRuleToText } from './explain/chain-rule-text.js';
export {
  activations,
  getActivation,
  sigmoid,
  erf,
  erfc,
  ACTIVATION_NAMES,
  LEAKY_RELU_SLOPE,
  SELU_ALPHA,
  SELU_SCALE,
  type Activation,
  type ActivationConfig,
  type ActivationKernel,
  type ActivationName,
  type ActivationSpec,
  type BuiltinActivationName,
  type CustomActivationSpec,
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
  type LossSpec,
} from './losses.js';
export {
  glorotUniform,
  heNormal,
  zeros,
  initializers,
  getInitializer,
  defaultInitializer,
  INITIALIZER_NAMES,
  TRUNCATED_NORMAL_STDDEV,
  type Initializer,
  type InitializerConfig,
  type InitializerName,
  type InitializerSpec,
} from './initializers.js';
export {
  Layer,
  type BufferAllocator,
  type GradientSink,
  type LayerContext,
  type LayerState,
  type LectureLayer,
  type Parameter,
} from './layers/layer.js';
export { Dense, type DenseOptions, type DenseState } from './layers/dense.js';
export { Dropout, applyDropout, type DropoutState } from './layers/dropout.js';
export { ActivationLayer, type ActivationState } from './layers/activation.js';
export {
  BatchNormalization,
  type BatchNormalizationOptions,
  type BatchNormalizationState,
} from './layers/batch-normalization.js';
export {
  LayerNormalization,
  type LayerNormalizationOptions,
  type LayerNormalizationState,
} from './layers/layer-normalization.js';
export { GaussianNoise, type GaussianNoiseState } from './layers/gaussian-noise.js';
export { Sequential, type SequentialOptions } from './model/sequential.js';
export { Network, type NetworkOptions } from './model/network.js';
export { copyModel } from './model/copy.js';
export type { Trace, Gradients, DropoutBuffers, Workspace } from './model/trace.js';
export { Optimizer, type OptimizerConfig, type OptimizerState } from './optimizers/optimizer.js';
export { SGD, type SGDOptions } from './optimizers/sgd.js';
export { Momentum, type MomentumOptions } from './optimizers/momentum.js';
export { Adagrad, type AdagradOptions } from './optimizers/adagrad.js';
export { RMSprop, type RMSpropOptions } from './optimizers/rmsprop.js';
export { Adam, type AdamOptions } from './optimizers/adam.js';
export { AdamW } from './optimizers/adamw.js';
export {
  createOptimizer,
  optimizerFromConfig,
  OPTIMIZER_NAMES,
  type OptimizerName,
  type NamedOptimizerOptions,
} from './optimizers/registry.js';
export type { FitOptions } from './training/fit.js';
export type { EvaluateOptions } from './training/evaluate.js';
export {
  classificationReport,
  type ClassificationReport,
} from './training/classification-report.js';
export { History, type Logs } from './training/history.js';
export { sampleWeights, type SampleWeightOptions } from './training/sample-weights.js';
export {
  countCorrect,
  countTopK,
  checkMetrics,
  createMetric,
  ConfusionMatrix,
  type ClassScores,
  type MetricAccumulator,
  type MetricName,
} from './training/metrics.js';
export type { BatchStep, Callback, CallbackResult } from './training/callbacks.js';
export { EarlyStopping, type EarlyStoppingOptions } from './training/early-stopping.js';
export {
  Diagnostics,
  type DiagnosticsOptions,
  type EpochDiagnostics,
} from './training/diagnostics/diagnostics.js';
export type { LayerDiagnostics } from './training/diagnostics/layer-monitor.js';
export type { InputSpread } from './training/diagnostics/input-spread.js';
export type { NonFiniteFinding } from './training/diagnostics/non-finite.js';
export type { DiagnosticWarning, WarningKind } from './training/diagnostics/warnings.js';
export type { MonitorMode } from './training/monitor.js';
export {
  createSchedule,
  checkSchedule,
  SCHEDULE_TYPES,
  type Schedule,
  type ScheduleConfig,
  type ScheduleContext,
} from './training/schedules.js';
export {
  weightPenalty,
  addPenaltyGradient,
  clipByGlobalNorm,
  clipByValue,
} from './training/regularization.js';
export {
  writeFileAtomic,
  openFileAtomic,
  writeDirectoryAtomic,
  type AtomicFile,
} from './io/atomic-write.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  checkpointPath,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CHECKPOINT_FILE,
  type CheckpointJSON,
  type CheckpointOptions,
  type CheckpointPosition,
} from './training/checkpoint.js';
export {
  gradcheck,
  type GradcheckOptions,
  type GradcheckResult,
  type ParameterCheck,
} from './gradcheck.js';
export { explain, checkFocus, focusedLayers, type ExplainOptions } from './explain/explain.js';
export type {
  Explanation,
  LayerExplanation,
  OtherLayerExplanation,
  ParameterExplanation,
  StepCommon,
  StepExplanation,
  GradientCheck,
  GradientEstimate,
  Focus,
} from './explain/explanation.js';
export { lectureNetwork, LECTURE_EXAMPLE, LECTURE_LEARNING_RATE } from './explain/lecture.js';
export { explanationToText, type FormatOptions } from './explain/text.js';
export { explanationToMarkdown } from './explain/markdown.js';
export {
  explanationToJSON,
  type ExplanationJSON,
  type LayerJSON,
  type OtherLayerJSON,
  type ParameterJSON,
  type SummaryJSON,
  type ValuesJSON,
} from './explain/json.js';
export { oneHot } from './data/one-hot.js';
export type { Dataset, LabelledDataset } from './data/dataset.js';
export type {
  ColumnRef,
  SplitDataset,
  Table,
  TabularData,
  TabularOptions,
} from './data/tabular.js';
export {
  applyPreprocessing,
  preprocessRows,
  predictedClasses,
  unscaleTargets,
  type Preprocessing,
  type PreprocessOptions,
  type RawRows,
  type Task,
} from './data/preprocess.js';
export { parsePreprocessing } from './data/preprocessing-schema.js';
export { MISSING_MARKERS, type InputColumn } from './data/columns.js';
export { fitScaling, SCALING_KINDS, type Scaling, type ScalingKind } from './data/scaling.js';
export { splitIndices, takeRows, type SplitIndices, type SplitOptions } from './data/split.js';
export {
  modelToJSON,
  modelFromJSON,
  MODEL_FORMAT,
  MODEL_VERSION,
  READABLE_VERSIONS,
  type ModelJSON,
  type DenseJSON,
  type ModelLayerJSON,
} from './io/model-json.js';
export { modelToText, modelFromText } from './io/model-text.js';
export {
  saveModel,
  loadModel,
  parseModelUrl,
  MODEL_URL_SCHEMES,
  type ModelUrlScheme,
} from './io/model-url.js';
export { LOCAL_STORAGE_PREFIX } from './io/local-storage.js';
export { INDEXED_DB } from './io/indexed-db.js';
export { tableFromRecords, recordsTable, type JsonRecord } from './data/records.js';

// Building blocks shared with @backpropjs/datasets, @backpropjs/onnx and @backpropjs/cli:
// option and value checks, the tables' preprocessing from rows, and the model file's checks.
export { checkDType } from './tensor/matrix.js';
export { checkBoolean, checkCount, checkOptionKeys } from './training/check-data.js';
export { buildTabular, TABULAR_OPTION_KEYS } from './data/tabular.js';
export { oneLine } from './io/one-line.js';
export { ownValue } from './data/own-value.js';
export { classNamesProblem, preprocessingProblem } from './io/model-names.js';
export { Yielder, yieldToEventLoop, AUTO_YIELD_MS, type YieldEvery } from './training/yield.js';
export { predictAsync, evaluateAsync, type AsyncOptions } from './training/evaluate-async.js';
export {
  trainInWorker,
  type TrainingJob,
  type WorkerFitOptions,
} from './training/worker/train-in-worker.js';
export { serveTraining, type TrainingPort } from './training/worker/serve.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  type Safetensors,
  type SafetensorsDType,
  type SafetensorsTensor,
} from './io/safetensors.js';
export { toSafetensors, fromSafetensors } from './io/safetensors-model.js';
export { torchLayout, torchExpression, type TorchLayout } from './io/torch-layout.js';
export { toTfjs, type TfjsArtifacts } from './io/tfjs/export.js';
export { fromTfjs, tfjsShardPaths, TFJS_LAYERS } from './io/tfjs/import.js';
export { type TfjsModelJSON } from './io/tfjs/format.js';
export { fromBrainJs } from './io/brainjs.js';
export { toStandaloneModule, type StandaloneModule } from './io/standalone/generate.js';
