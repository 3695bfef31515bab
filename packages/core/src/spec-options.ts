import { ConfigError } from './errors.js';

/** Options of a named component (activation, initializer), resolved: defaults filled in. */
export type Options = Readonly<Record<string, number>>;

/** An option: its default, and the bound its values must respect besides being finite. */
export interface OptionRule {
  readonly default: number;
  /** 'nonNegative': ≥ 0; 'positive': > 0; 'any': every finite number. */
  readonly range: 'nonNegative' | 'positive' | 'any';
}

/** A value as an error message echoes it: strings quoted, the rest as String() writes them. */
export function echo(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * The options given in a spec such as `{ name: 'elu', alpha: 0.5 }` (without its name), checked
 * against `rules` and completed with the defaults.
 * @param option - the option being set, for messages, e.g. 'activation'
 * @param name - the component's name, e.g. 'elu'
 * @returns the resolved options in the order of `rules`, and whether all are defaults
 * @throws {ConfigError} for an option not in `rules` (listing the valid ones), or a value that
 *   is not a finite number in its range (echoing it)
 */
export function resolveOptions(
  option: string,
  name: string,
  rules: Readonly<Record<string, OptionRule>>,
  given: Readonly<Record<string, unknown>>,
): { options: Options; defaults: boolean } {
  const known = Object.keys(rules);
  const options: Record<string, number> = {};
  let defaults = true;
  for (const [key, value] of Object.entries(given)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (rule === undefined) {
      throw new ConfigError(
        `${option} ${name} has no option ${JSON.stringify(key)}; expected ` +
          (known.length === 0 ? 'none' : known.join(', ')),
      );
    }
    const { range } = rule;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (range === 'positive' && !(value > 0)) ||
      (range === 'nonNegative' && !(value >= 0))
    ) {
      const bound = range === 'positive' ? ' > 0' : range === 'nonNegative' ? ' ≥ 0' : '';
      throw new ConfigError(
        `${option} ${name}: ${key} must be a finite number${bound}; received ${echo(value)}`,
      );
    }
    options[key] = value;
    if (value !== rule.default) defaults = false;
  }
  // In the table's order, so that labels and configs read the same however they were given.
  const ordered = Object.fromEntries(
    known.map((key) => [key, options[key] ?? rules[key]!.default]),
  );
  return { options: ordered, defaults };
}

/** Each option at its default. */
export function defaultOptions(rules: Readonly<Record<string, OptionRule>>): Options {
  return Object.fromEntries(Object.keys(rules).map((key) => [key, rules[key]!.default]));
}
