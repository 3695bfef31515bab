import { ConfigError } from '../../errors.js';
import type { Sequential } from '../../model/sequential.js';
import type { BatchStep, Callback } from '../callbacks.js';
import { InputSpreadMonitor, type InputSpread } from './input-spread.js';
import { LayerMonitor, type LayerDiagnostics } from './layer-monitor.js';
import { findNonFinite, type NonFiniteFinding } from './non-finite.js';
import { diagnosticWarnings, type DiagnosticWarning } from './warnings.js';

/** Options of {@link Diagnostics}. */
export interface DiagnosticsOptions {
  /**
   * Sample every n-th batch of an epoch (batches 1, n + 1, 2n + 1, …) for the gradient norms,
   * update ratios and input spread; an integer ≥ 1. Default 20 (per layer, one extra (Δˡ)ᵀAˡ⁻¹ product and
   * three norms every 20 batches).
   */
  sampleEvery?: number;
  /** Called after each epoch with its diagnostics (e.g. to print them). */
  onEpoch?: (diagnostics: EpochDiagnostics) => void;
}

/** One epoch's diagnostics. */
export interface EpochDiagnostics {
  /** The 1-based epoch. */
  readonly epoch: number;
  /** Per Dense layer l = 1..L. */
  readonly layers: readonly LayerDiagnostics[];
  /** The input columns' spread over the sampled batches. */
  readonly inputs: InputSpread | undefined;
  /** Plain-language warnings with hints; empty for a healthy epoch. */
  readonly warnings: readonly DiagnosticWarning[];
}

/**
 * Training diagnostics as a `fit` callback, off unless passed:
 * `model.fit(x, y, { callbacks: [new Diagnostics()] })`, then `diagnostics.epochs`.
 *
 * Per Dense layer l and epoch (see {@link LayerDiagnostics}):
 * - dead ReLU units (aˡ = 0 on every example of the epoch) and saturated sigmoid/tanh units
 *   (g′(zˡ) < 10⁻³ on more than half of the examples), from every batch's trace;
 * - the gradient norm ‖∂L/∂Wˡ‖ = ‖(Δˡ)ᵀAˡ⁻¹‖ / B, the data loss's batch-mean gradient, computed
 *   from δˡ and the layer's input on every `sampleEvery`-th batch (the fused SGD step never
 *   stores ∂L/∂W, and penalties and clipping differ between optimizers; this is the same
 *   quantity for all), averaged over those batches;
 * - the update ratio ‖Wˡ after − Wˡ before‖ / ‖Wˡ before‖ of the sampled batches' updates
 *   (weights copied after the batch before), whatever the optimizer, averaged;
 * and the input columns' standard deviations on the sampled batches. Warnings: see
 * `diagnosticWarnings`. When a batch's loss is non-finite, the batch is rerun with checks
 * (`findNonFinite`); the finding is kept in `nonFinite` and added to fit's NumericalError.
 *
 * Only Dense layers are reported; other layers (Dropout, normalisation) are passed through, and
 * frozen layers are reported with `frozen: true` and no update. Cost: a scan of each aˡ per batch,
 * plus one matrix product per layer on sampled batches (measured in bench/diagnostics.mjs).
 * @throws {ConfigError} for a sampleEvery that is not an integer ≥ 1
 */
export class Diagnostics implements Callback {
  /** The diagnostics of each finished epoch, in order. */
  readonly epochs: EpochDiagnostics[] = [];
  /** Where a non-finite loss came from, once one occurred. */
  nonFinite: NonFiniteFinding | undefined;
  readonly #sampleEvery: number;
  readonly #onEpoch: ((diagnostics: EpochDiagnostics) => void) | undefined;
  #model: Sequential | undefined;
  #layers: LayerMonitor[] = [];
  #inputs: InputSpreadMonitor | undefined;
  #epoch = 0;

  constructor(options: DiagnosticsOptions = {}) {
    const every = options.sampleEvery ?? 20;
    if (!Number.isInteger(every) || every < 1) {
      throw new ConfigError(
        `Diagnostics: sampleEvery must be an integer >= 1; received ${String(every)}`,
      );
    }
    this.#sampleEvery = every;
    this.#onEpoch = options.onEpoch;
  }

  /** Every how many batches the gradients and updates are sampled. */
  get sampleEvery(): number {
    return this.#sampleEvery;
  }

  /** Allocates the monitors for the model's Dense layers. */
  onTrainBegin(model: Sequential): void {
    this.#model = model;
    this.#layers = model.denseLayers.map(
      (layer, i) => new LayerMonitor(layer, i + 1, model.backend),
    );
    this.#inputs = new InputSpreadMonitor(model.inputs);
  }

  /** Clears the epoch's statistics and copies the weights before batch 1 (sampled). */
  onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
    this.#inputs?.reset();
    for (const monitor of this.#layers) {
      monitor.reset();
      monitor.copyWeights();
    }
  }

  /** Scans the batch's activations; on sampled batches, the gradients and the update. */
  onBatchEnd(batch: number, _logs: unknown, step: BatchStep): void {
    const { trace, gradients } = step.workspace;
    const sampled = (batch - 1) % this.#sampleEvery === 0;
    if (sampled) this.#inputs!.observe(trace.a[0]!);
    this.#layers.forEach((monitor, i) => {
      const l = i + 1;
      monitor.observe(trace.a[l]!);
      if (sampled) monitor.sample(gradients.delta[l]!, trace.input[l]!);
      // The next batch is sampled: keep the weights before its update.
      if (batch % this.#sampleEvery === 0) monitor.copyWeights();
    });
  }

  /** Reruns the failing batch with checks; the finding's message joins fit's error. */
  onNonFiniteLoss(epoch: number, batch: number, step: BatchStep): string | undefined {
    this.nonFinite = findNonFinite(this.#model!, step, epoch, batch);
    return this.nonFinite?.message;
  }

  /** Records the epoch's diagnostics and warnings. */
  onEpochEnd(): void {
    const layers = this.#layers.map((monitor) => monitor.result());
    const inputs = this.#inputs?.result();
    const result: EpochDiagnostics = {
      epoch: this.#epoch,
      layers,
      inputs,
      warnings: diagnosticWarnings(layers, inputs),
    };
    this.addEpoch(result);
  }

  /**
   * Records an epoch's diagnostics computed elsewhere (trainInWorker computes them in its
   * worker and hands them to the page's Diagnostics): kept in `epochs`, passed to `onEpoch`.
   */
  addEpoch(diagnostics: EpochDiagnostics): void {
    this.epochs.push(diagnostics);
    this.#onEpoch?.(diagnostics);
  }
}
