import type { GradientSink } from '../layers/layer.js';
import type { Sequential } from '../model/sequential.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Matrix } from '../tensor/matrix.js';
import { addPenaltyGradient, clipByGlobalNorm, clipByValue, penaltyOf } from './regularization.js';

/** The gradient transformations of a fit call, applied between backward and the step. */
export interface UpdateOptions {
  /** λ₁ ≥ 0 of the L1 penalty on the penalised weights. */
  l1: number;
  /** λ₂ ≥ 0 of the L2 penalty on the penalised weights. */
  l2: number;
  /** Global-norm clipping threshold, or undefined. */
  clipNorm: number | undefined;
  /** Element clipping threshold, or undefined. */
  clipValue: number | undefined;
}

/** How each batch's gradients become an update; see {@link trainingUpdate}. */
export interface TrainingUpdate {
  /** The parameters that are updated: trainable ones of layers that are not frozen. */
  readonly parameters: readonly Matrix[];
  /** Where the backward pass writes each layer's parameter gradients (null: frozen). */
  readonly sinks: readonly (readonly (GradientSink | null)[])[];
  /** The penalty ½λ₂Σw² + λ₁Σ|w| over the penalised weights, added to the batch's loss. */
  penalty(): number;
  /** Before backward: the fused step's scale −η of this batch (the schedule may change η). */
  prepare(): void;
  /** After backward: penalty gradients, clipping, then the optimizer's step (unless fused). */
  finish(): void;
}

/**
 * The one place where a batch's gradients become an update (lecture: W ← W − η∂L/∂W).
 * Frozen layers (`layer.trainable = false`) and running statistics get no gradient and no
 * optimizer state. Without penalties or clipping, an optimizer that can fuse its step
 * ({@link Optimizer.fusedScale}: plain SGD) has the backward pass add −η·∂L/∂θ straight into
 * the parameters; otherwise the gradients go to buffers, then ∂R/∂W of the penalty is added,
 * they are clipped (by value, then by global norm), and `optimizer.step` updates the
 * parameters.
 * @throws never
 */
export function trainingUpdate(
  model: Sequential,
  optimizer: Optimizer,
  options: UpdateOptions,
): TrainingUpdate {
  const { l1, l2, clipNorm, clipValue } = options;
  const fuse =
    l1 === 0 &&
    l2 === 0 &&
    clipNorm === undefined &&
    clipValue === undefined &&
    optimizer.fusedScale() !== undefined;
  const parameters: Matrix[] = [];
  const gradients: Matrix[] = [];
  const penalized: Matrix[] = [];
  const penaltyGradients: Matrix[] = [];
  const fused: GradientSink[] = [];
  const sinks = model.layers.map((layer, k) =>
    layer.parameters().map((parameter, i): GradientSink | null => {
      if (!parameter.trainable || !layer.trainable) return null;
      parameters.push(parameter.value);
      if (fuse) {
        const sink: GradientSink = { target: parameter.value, scale: 0, beta: 1 };
        fused.push(sink);
        return sink;
      }
      const sink = model.gradientSinks[k]![i]!;
      gradients.push(sink.target);
      if (parameter.penalized) {
        penalized.push(parameter.value);
        penaltyGradients.push(sink.target);
      }
      return sink;
    }),
  );
  return {
    parameters,
    sinks,
    penalty: () => penaltyOf(penalized, l1, l2),
    prepare() {
      if (!fuse) return;
      const scale = optimizer.fusedScale()!;
      for (const sink of fused) sink.scale = scale;
    },
    finish() {
      if (fuse) return;
      addPenaltyGradient(penalized, penaltyGradients, l1, l2);
      if (clipValue !== undefined) clipByValue(gradients, clipValue);
      if (clipNorm !== undefined) clipByGlobalNorm(gradients, clipNorm);
      optimizer.step(parameters, gradients);
    },
  };
}
