import type * as z from 'zod';

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

/**
 * A zod error customisation that says what was expected and what was found, e.g.
 * `expected a positive integer, found 0`; attach it to a schema or a check.
 * @throws never
 */
export function expecting(what: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => `expected ${what}, found ${describe(issue.input)}` };
}

/**
 * The per-parse error map: `expected …, found …` for the issues no schema customised.
 * @throws never
 */
export function defaultMessage(issue: z.core.$ZodRawIssue): string {
  const found = describe(issue.input);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = String(issue.expected);
      const article = /^[aeiou]/.test(expected) ? 'an' : 'a';
      return `expected ${article} ${expected === 'int' ? 'integer' : expected}, found ${found}`;
    }
    case 'invalid_value': {
      const values = issue.values.map((value) => JSON.stringify(value));
      const list =
        values.length <= 2 ? values.join(' or ') : `one of ${issue.values.map(String).join(', ')}`;
      return `expected ${list}, found ${found}`;
    }
    case 'too_small':
      return issue.origin === 'array'
        ? `expected at least ${issue.minimum} entries, found ${found}`
        : `expected a value >= ${issue.minimum}, found ${found}`;
    default:
      return `unexpected value ${found}`;
  }
}
