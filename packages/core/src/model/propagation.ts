import type { GradientSink, Layer } from '../layers/layer.js';
import type { Loss } from '../losses.js';
import type { Matrix } from '../tensor/matrix.js';
import type { Trace, Workspace } from './trace.js';

/**
 * The loop of forward and backward propagation over any layers: each layer in turn, knowing
 * none of them by name. `lecture[k]` is l when layer k (0-based) is the lecture's layer l
 * (Dense), else 0.
 */
export interface Network {
  readonly layers: readonly Layer[];
  readonly lecture: readonly number[];
}

/**
 * Forward propagation into a workspace's trace (`trace.outputs[0]` holds the input x): every
 * layer's output becomes the next one's input; the lecture's `trace.input[l]` is updated.
 * No checks, no allocation.
 * @param training - training mode (dropout, noise, batch statistics)
 */
export function forwardTrace(network: Network, trace: Trace, training: boolean): void {
  for (let k = 0; k < network.layers.length; k++) {
    const layer = network.layers[k]!;
    setOutput(network, trace, k, layer.forward(trace.outputs[k]!, trace.states[k]!, training));
  }
}

/**
 * Notes layer k's output in a trace: `outputs[k + 1]`, and for the lecture's layer l its input
 * `input[l]` (the output of the layer before it).
 */
export function setOutput(network: Network, trace: Trace, k: number, output: Matrix): void {
  const l = network.lecture[k]!;
  if (l !== 0) trace.input[l] = trace.outputs[k]!;
  trace.outputs[k + 1] = output;
}

/** True when the loss is fused with the output layer's activation (δᴸ = a − y). */
export function isFused(network: Network, loss: Loss): boolean {
  if (loss.fusedActivation === undefined) return false;
  return network.layers[network.layers.length - 1]!.outputActivation?.() === loss.fusedActivation;
}

/**
 * Backpropagation through every layer, last to first (lecture: δᴸ = ∂L/∂aᴸ ⊙ g′(zᴸ), then
 * δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹), each layer passing ∂L/∂(its input) down). The output gradient is
 * the loss's ∂ℓ/∂aᴸ, or δᴸ = aᴸ − y written straight into the output layer's δ for the fused
 * pairs (softmax + cross-entropy, sigmoid + binary cross-entropy). Each layer writes ∂L/∂input
 * before its parameter gradients go to their sinks, so a fused update (sinks into the
 * parameters) never changes a weight that a lower δ still needs. No checks, no allocation.
 * @param y - targets [B, nᴸ] of the model's dtype
 * @param sinks - per layer, one sink per parameter (null: none wanted)
 * @param weights - per-example weights [B] scaling each row of the output gradient, or undefined
 */
export function backwardTrace(
  network: Network,
  workspace: Workspace,
  y: Matrix,
  loss: Loss,
  sinks: readonly (readonly (GradientSink | null)[])[],
  weights?: Float64Array,
): void {
  const { layers } = network;
  const { trace, gradOutputs } = workspace;
  const K = layers.length;
  let gradOutput = outputGradient(network, workspace, y, loss, weights);
  for (let k = K - 1; k >= 0; k--) {
    const gradInput = k > 0 ? gradOutputs[k]! : null;
    const layer = layers[k]!;
    const state = trace.states[k]!;
    layer.backward(
      trace.outputs[k]!,
      trace.outputs[k + 1]!,
      state,
      gradOutput,
      gradInput,
      sinks[k]!,
    );
    gradOutput = gradInput;
  }
}

/**
 * The start of backpropagation: ∂L/∂aᴸ from the loss into `gradOutputs[K]`, or for the fused
 * pairs δᴸ = aᴸ − y straight into the output layer's δ; rows scaled by the per-example weights.
 * @returns ∂L/∂aᴸ for the output layer's backward, or null when its δ was written (fused)
 */
export function outputGradient(
  network: Network,
  workspace: Workspace,
  y: Matrix,
  loss: Loss,
  weights?: Float64Array,
): Matrix | null {
  const { trace, gradOutputs } = workspace;
  const K = network.layers.length;
  const output = trace.outputs[K]!;
  if (isFused(network, loss)) {
    const { backend } = trace.states[K - 1]!.context;
    const delta = network.layers[K - 1]!.logits!(trace.states[K - 1]!).delta;
    backend.subtract(output, y, delta);
    if (weights !== undefined) scaleRows(delta, weights);
    return null;
  }
  loss.gradient(output, y, gradOutputs[K]!);
  if (weights !== undefined) scaleRows(gradOutputs[K]!, weights);
  return gradOutputs[K]!;
}

/**
 * The mean loss over a batch, from a trace (computed from the logits zᴸ for the fused pairs).
 * @param y - targets [B, nᴸ] of the model's dtype
 * @param weights - per-example weights [B]: Σᵢ wᵢℓᵢ / B; undefined for the plain mean
 */
export function lossOf(
  network: Network,
  trace: Trace,
  y: Matrix,
  loss: Loss,
  weights?: Float64Array,
): number {
  const K = network.layers.length;
  const fused = isFused(network, loss);
  const z = network.layers[K - 1]!.logits?.(trace.states[K - 1]!)?.z ?? trace.outputs[K]!;
  return loss.value(trace.outputs[K]!, y, z, fused, weights);
}

/** Multiplies row i of m [B, n] by w[i]. */
function scaleRows(m: Matrix, w: Float64Array): void {
  const D = m.data;
  const n = m.cols;
  for (let i = 0; i < m.rows; i++) {
    const wi = w[i]!;
    for (let j = i * n; j < (i + 1) * n; j++) D[j] = D[j]! * wi;
  }
}
