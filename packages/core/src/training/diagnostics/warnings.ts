import type { InputSpread } from './input-spread.js';
import type { LayerDiagnostics } from './layer-monitor.js';

/** The kinds of problems the diagnostics warn about. */
export type WarningKind = 'dead' | 'saturated' | 'unscaled' | 'largeUpdates' | 'vanishing';

/** A plain-language warning about an epoch, with a hint. */
export interface DiagnosticWarning {
  readonly kind: WarningKind;
  /** The lecture's layer index l it concerns; undefined for the inputs or the whole network. */
  readonly layer?: number;
  /** What was found, in one sentence with the numbers. */
  readonly message: string;
  /** What to try. */
  readonly hint: string;
}

/** The thresholds of the warnings. */
export const WARNING_LIMITS = {
  /** More than this fraction of a layer's units dead or saturated. */
  units: 0.5,
  /** A column's std this many times the median column's, or this large itself: unscaled. */
  spread: 100,
  /** An update changing Wˡ by more than this fraction of ‖Wˡ‖. */
  updateRatio: 0.1,
  /** The first layer's gradient norm below this fraction of the last layer's. */
  vanishing: 1e-3,
} as const;

const percent = (fraction: number): string => `${Math.round(100 * fraction)}%`;
const short = (value: number): string => value.toPrecision(3);

/**
 * The warnings of an epoch's diagnostics: more than half of a layer's units dead (ReLU) or
 * saturated (sigmoid, tanh); inputs not scaled (the widest column's std ≥ 100 × the median
 * column's, or ≥ 100 itself); an update ratio above 0.1 (Karpathy's rule of thumb is about
 * 10⁻³); vanishing gradients (‖∂L/∂W¹‖ < 10⁻³ ‖∂L/∂Wᴸ‖). Frozen layers get no update warning.
 * @returns the warnings, in layer order, the inputs' first; empty for a healthy epoch
 * @throws never
 */
export function diagnosticWarnings(
  layers: readonly LayerDiagnostics[],
  spread: InputSpread | undefined,
): DiagnosticWarning[] {
  const warnings: DiagnosticWarning[] = [];
  if (
    spread !== undefined &&
    spread.std > 0 &&
    (spread.std >= WARNING_LIMITS.spread * spread.medianStd || spread.std >= WARNING_LIMITS.spread)
  ) {
    warnings.push({
      kind: 'unscaled',
      message:
        `the inputs are not scaled: column ${spread.column} has a standard deviation of ` +
        `${short(spread.std)}, the median column ${short(spread.medianStd)}`,
      hint: 'standardise each column to mean 0 and standard deviation 1 (--scale standard)',
    });
  }
  for (const layer of layers) {
    const { layer: l } = layer;
    if (layer.dead !== null && layer.dead > WARNING_LIMITS.units) {
      warnings.push({
        kind: 'dead',
        layer: l,
        message: `${percent(layer.dead)} of layer ${l}'s ${layer.units} ReLU units are dead (0 on every example)`,
        hint: 'lower the learning rate, use He initialisation and a bias near 0, or try leakyRelu',
      });
    }
    if (layer.saturated !== null && layer.saturated > WARNING_LIMITS.units) {
      warnings.push({
        kind: 'saturated',
        layer: l,
        message:
          `${percent(layer.saturated)} of layer ${l}'s ${layer.units} ${layer.activation} units ` +
          `are saturated (g′ < 1e-3 on most examples)`,
        hint: 'scale the inputs, use smaller initial weights, or use relu in hidden layers',
      });
    }
    if (!layer.frozen && layer.updateRatio > WARNING_LIMITS.updateRatio) {
      warnings.push({
        kind: 'largeUpdates',
        layer: l,
        message: `each update changes layer ${l}'s weights by ${percent(layer.updateRatio)} of their norm`,
        hint: 'lower the learning rate (an update of about 0.1% of the weights is typical)',
      });
    }
  }
  const first = layers[0]?.gradientNorm ?? NaN;
  const last = layers.at(-1)?.gradientNorm ?? NaN;
  if (layers.length > 1 && last > 0 && first < WARNING_LIMITS.vanishing * last) {
    warnings.push({
      kind: 'vanishing',
      message:
        `vanishing gradients: ‖∂L/∂W¹‖ = ${short(first)} is below 1e-3 of ` +
        `‖∂L/∂Wᴸ‖ = ${short(last)}`,
      hint: 'use relu (or another non-saturating activation), fewer layers, or normalisation layers',
    });
  }
  return warnings;
}
