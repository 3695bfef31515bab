/** Class 0 and negative values: orange. */
const NEGATIVE: readonly [number, number, number] = [230, 120, 40];
/** Class 1 and positive values: blue. */
const POSITIVE: readonly [number, number, number] = [40, 110, 190];
/** The middle of the scale. */
const MIDDLE: readonly [number, number, number] = [248, 248, 248];

/**
 * A diverging colour for t in [−1, 1]: orange below 0, near-white at 0, blue above (values
 * outside are clamped).
 * @returns [r, g, b], each 0–255
 */
export function diverging(t: number): [number, number, number] {
  const s = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const end = s < 0 ? NEGATIVE : POSITIVE;
  const f = Math.abs(s);
  return [0, 1, 2].map((i) => Math.round(MIDDLE[i]! + (end[i]! - MIDDLE[i]!) * f)) as [
    number,
    number,
    number,
  ];
}

/** {@link diverging} as a CSS colour. */
export function cssColour(t: number): string {
  const [r, g, b] = diverging(t);
  return `rgb(${r}, ${g}, ${b})`;
}

/** The colour of a class, 0 (orange) or 1 (blue). */
export function classColour(label: number): string {
  return cssColour(label >= 0.5 ? 1 : -1);
}
