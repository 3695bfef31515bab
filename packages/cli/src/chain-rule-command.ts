import { chainRule, chainRuleToText, ConfigError, LECTURE_VARIABLES } from './api.js';
import { parseNumber } from './options.js';

/** The options of `backprop explain` that `--chain-rule` uses. */
export interface ChainRuleOptions {
  /** true for the lecture's expression, or the expression typed. */
  chainRule: string | true;
  /** `--var name=value`, collected. */
  var?: Record<string, number>;
  digits: number;
  json: boolean;
}

/**
 * A commander collector for a repeatable `--var name=value`.
 * @throws {ConfigError} for a text that is not name=number (names it)
 */
export function variableOption(
  text: string,
  previous?: Record<string, number>,
): Record<string, number> {
  const match = /^\s*([A-Za-z_]\w*)\s*=(.*)$/s.exec(text);
  if (match === null) {
    throw new ConfigError(`--var expects name=number, e.g. --var x=2; received ${text || '""'}`);
  }
  const value = parseNumber(`--var ${match[1]}`, match[2]!.trim(), {
    expected: 'a decimal number',
  });
  return Object.assign(Object.create(null) as Record<string, number>, previous, {
    [match[1]!]: value,
  });
}

/**
 * `backprop explain --chain-rule [expression]`: the chain rule on the lecture's f = xyz (x = r,
 * y = rs, z = s at r = 3, s = −2, which `--var` may change) or on the expression typed, printed
 * as text (nodes, backward one node at a time, gradients as sums over paths) or, with `--json`,
 * as the steps' data.
 * @throws {ConfigError} for a bad expression, a variable without a value, or options of
 *   `explain` that do not apply (named)
 */
export function chainRuleCommand(options: ChainRuleOptions, ignored: readonly string[]): void {
  if (ignored.length > 0) {
    throw new ConfigError(
      `--chain-rule explains an expression, not a model; received ${ignored.join(', ')} too`,
    );
  }
  const typed = options.chainRule === true ? undefined : options.chainRule;
  const variables = { ...(typed === undefined ? LECTURE_VARIABLES : {}), ...options.var };
  const rule = chainRule(typed, variables);
  process.stdout.write(
    options.json ? `${JSON.stringify(rule, null, 2)}\n` : chainRuleToText(rule, options.digits),
  );
}
