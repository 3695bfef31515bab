import { ConfigError } from '../errors.js';

/** How features are scaled: 'standard' (z-scores), 'minmax' (to [0, 1]) or 'none'. */
export type ScalingKind = 'standard' | 'minmax' | 'none';

/** The valid scaling kinds, for validation and help texts. */
export const SCALING_KINDS: readonly ScalingKind[] = ['standard', 'minmax', 'none'];

/**
 * Per-column affine scaling, x′ = (x − offset[j]) / scale[j], a plain JSON-serialisable object.
 * - 'standard': offset = mean, scale = population standard deviation (÷ n, as scikit-learn's
 *   StandardScaler), so training columns get mean 0 and standard deviation 1.
 * - 'minmax': offset = minimum, scale = maximum − minimum, so training columns span [0, 1].
 * - 'none': offset 0, scale 1.
 * A column that is constant on the training rows gets scale 1 (it maps to 0, not to NaN).
 * Units: offset in the column's units, scale in the column's units per unit of x′.
 */
export interface Scaling {
  kind: ScalingKind;
  /** Subtracted from column j; length = columns. */
  offset: number[];
  /** Divides column j after the offset; finite and > 0; length = columns. */
  scale: number[];
}

/**
 * Checks a scaling kind.
 * @throws {ConfigError} unless it is 'standard', 'minmax' or 'none' (echoes the value).
 */
export function checkScalingKind(value: unknown, option = 'scale'): ScalingKind {
  if (!SCALING_KINDS.includes(value as ScalingKind)) {
    throw new ConfigError(
      `${option} must be one of ${SCALING_KINDS.join(', ')}; received ${JSON.stringify(value)}`,
    );
  }
  return value as ScalingKind;
}

/**
 * Fits a scaling on the given rows only (the training rows, so that no statistic of the
 * validation or test rows leaks into training).
 *
 * Shapes: values [n, cols] row-major; rows: k indices into 0..n−1 (k ≥ 1).
 *
 * @param kind - 'standard' | 'minmax' | 'none'
 * @param values - the unscaled table, row-major float64
 * @param cols - columns per row
 * @param rows - the rows to fit on
 * @returns offsets and scales, one per column
 * @throws never for k ≥ 1 and finite values
 * @example
 * fitScaling('minmax', Float64Array.from([1, 10, 3, 30]), 2, [0, 1]);
 * //=> { kind: 'minmax', offset: [1, 10], scale: [2, 20] }
 */
export function fitScaling(
  kind: ScalingKind,
  values: Float64Array,
  cols: number,
  rows: ArrayLike<number>,
): Scaling {
  const offset = new Array<number>(cols).fill(0);
  const scale = new Array<number>(cols).fill(1);
  if (kind === 'none') return { kind, offset, scale };
  for (let j = 0; j < cols; j++) {
    let a = Infinity; // minimum, or the running mean
    let b = -Infinity; // maximum, or the running sum of squared deviations (Welford)
    if (kind === 'standard') {
      a = 0;
      b = 0;
    }
    for (let r = 0; r < rows.length; r++) {
      const v = values[rows[r]! * cols + j]!;
      if (kind === 'minmax') {
        if (v < a) a = v;
        if (v > b) b = v;
      } else {
        const delta = v - a;
        a += delta / (r + 1);
        b += delta * (v - a);
      }
    }
    offset[j] = a;
    const spread = kind === 'minmax' ? b - a : Math.sqrt(b / rows.length);
    scale[j] = spread > 0 && Number.isFinite(spread) ? spread : 1;
  }
  return { kind, offset, scale };
}

/**
 * Scales a row-major table in place: v ← (v − offset[j]) / scale[j], in float64.
 * @param values - [n, cols], cols = scaling.offset.length
 * @throws never
 */
export function applyScaling(values: Float64Array, scaling: Scaling): void {
  const { offset, scale } = scaling;
  const cols = offset.length;
  for (let k = 0; k < values.length; k++) {
    const j = k % cols;
    values[k] = (values[k]! - offset[j]!) / scale[j]!;
  }
}

/**
 * Undoes a scaling in place: v ← v·scale[j] + offset[j] (back to the original units).
 * @param values - [n, cols], cols = scaling.offset.length
 * @throws never
 */
export function invertScaling(values: Float64Array | Float32Array, scaling: Scaling): void {
  const { offset, scale } = scaling;
  const cols = offset.length;
  for (let k = 0; k < values.length; k++) {
    const j = k % cols;
    values[k] = values[k]! * scale[j]! + offset[j]!;
  }
}
