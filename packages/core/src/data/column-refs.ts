/** Column references (by name or index) of the table options, resolved against a header. */
import { ConfigError } from '../errors.js';
import { listed } from './columns.js';

/** A column by name (its header text) or by index (0 = first, −1 = last). */
export type ColumnRef = string | number;

/**
 * The index of a column reference: a header name (exact), or an integer index (0-based,
 * negative from the end), also as text (`"-1"`) when no column has that name.
 * @throws {ConfigError} for an unknown name (suggests a near one, lists the columns) or an
 *   index out of range (gives the valid range).
 */
export function resolve(ref: ColumnRef, header: readonly string[], source: string, option: string) {
  if (typeof ref === 'string') {
    const index = header.indexOf(ref.trim());
    if (index >= 0) return index;
    if (!/^[+-]?\d+$/.test(ref.trim())) {
      const near = nearest(ref, header);
      throw new ConfigError(
        `${option}: ${source} has no column ${JSON.stringify(ref)}` +
          (near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`) +
          `; the columns are ${listed(header)}`,
      );
    }
  }
  const index = Number(ref);
  const count = header.length;
  if (!Number.isInteger(index) || index >= count || index < -count) {
    throw new ConfigError(
      `${option}: column index ${String(ref)} is out of range; ${source} has ${count} columns, ` +
        `indices 0 to ${count - 1} (or -${count} to -1 from the end)`,
    );
  }
  return index < 0 ? count + index : index;
}

/** The header name closest to `name` by edit distance (case ignored), if within 2 edits. */
function nearest(name: string, header: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of header) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** @throws {ConfigError} when a column is named twice in one option. */
export function duplicates(indices: readonly number[], header: readonly string[], option: string) {
  const twice = indices.find((c, k) => indices.indexOf(c) !== k);
  if (twice !== undefined) {
    throw new ConfigError(`${option} names column ${JSON.stringify(header[twice])} twice`);
  }
}
