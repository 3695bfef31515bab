/**
 * A short rendering of a value found in a file, for messages: strings quoted and cut at 60
 * characters, arrays by length, objects as 'an object', undefined as 'nothing'.
 * @throws never
 */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A path as messages print it: ['layers', 1, 'weights'] → 'layers[1].weights'; the empty path
 * is `root`.
 * @throws never
 */
export function fieldOf(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root;
  return path
    .map((key, i) =>
      typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
}
