/**
 * Training diagnostics as a report shows them: the shape of `EpochDiagnostics` from
 * @backpropjs/core's `Diagnostics` callback (`backprop train --diagnose`), with the numbers that
 * a model file's JSON turns into null (NaN, e.g. a gradient norm of an epoch with no sampled
 * batch) allowed as null.
 */

/** One Dense layer l in one epoch. */
export interface ReportLayerDiagnostics {
  /** The lecture's index l = 1..L. */
  layer: number;
  /** g, e.g. 'relu'. */
  activation: string;
  /** nˡ. */
  units: number;
  /** True for a frozen layer (no updates). */
  frozen: boolean;
  /** ‖∂L/∂Wˡ‖ (Frobenius, batch mean), averaged over the sampled batches. */
  gradientNorm: number | null;
  /** ‖Wˡ after − Wˡ before‖ / ‖Wˡ before‖ of one update, averaged (a fraction). */
  updateRatio: number | null;
  /** ReLU layers: the fraction of units dead over the epoch; else null. */
  dead: number | null;
  /** Sigmoid and tanh layers: the fraction of saturated units; else null. */
  saturated: number | null;
}

/** A plain-language warning about an epoch. */
export interface ReportWarning {
  /** 'dead', 'saturated', 'unscaled', 'largeUpdates' or 'vanishing'. */
  kind: string;
  /** The layer l it concerns; absent for the inputs or the whole network. */
  layer?: number;
  /** What was found, with the numbers. */
  message: string;
  /** What to try. */
  hint: string;
}

/** One epoch's diagnostics. */
export interface ReportDiagnosticsEpoch {
  /** 1-based. */
  epoch: number;
  /** Per Dense layer, l = 1..L. */
  layers: readonly ReportLayerDiagnostics[];
  warnings: readonly ReportWarning[];
}
