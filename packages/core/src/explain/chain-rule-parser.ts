import { Value } from '../autodiff/value.js';
import { ConfigError } from '../errors.js';

/** The functions an expression may call, each a method of {@link Value}. */
export const CHAIN_RULE_FUNCTIONS = ['tanh', 'exp', 'log', 'relu', 'sigmoid'] as const;

/** A parsed expression: its output node and the names given to nodes. */
export interface ParsedExpression {
  /** The last statement's value. */
  readonly output: Value;
  /** Each node's names: its variable, the assignments naming it (`x = r` names r's node x too). */
  readonly names: ReadonlyMap<Value, readonly string[]>;
}

/** The deepest nesting of parentheses, calls, unary minus and `^` an expression may have. */
export const CHAIN_RULE_MAX_NESTING = 100;

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|([A-Za-z_]\w*)|(\S))/gy;

/**
 * Parses a chain-rule expression into a graph of {@link Value} nodes (float64).
 *
 * Syntax: statements separated by `;`; each is `name = expression` or an expression, and the
 * last one is the output. Expressions use numbers, names, `+ - * /` (left-associative),
 * unary `−`, `^` with a constant exponent (right-associative, binding tighter than unary minus:
 * `-x^2` is −(x²)), parentheses, and the functions tanh, exp, log, relu, sigmoid (`tanh(x)`).
 * A name not assigned before its use is an input variable, taken from `variables`.
 * Example: the lecture's `x = r; y = r*s; z = s; f = x*y*z` with r = 3, s = −2.
 * @param variables - the input variables' values
 * @throws {ConfigError} for a source that is not a string or variables that are not an object,
 *   a syntax error (names the position and what was expected), an unknown function, a variable
 *   without a value or whose value is not a number, a non-constant exponent, or nesting deeper
 *   than {@link CHAIN_RULE_MAX_NESTING}
 */
export function parseExpression(
  source: string,
  variables: Readonly<Record<string, number>>,
): ParsedExpression {
  if (typeof source !== 'string') {
    throw new ConfigError(
      `--chain-rule: expected an expression (a string); found ${typeof source}`,
    );
  }
  if (typeof variables !== 'object' || variables === null) {
    throw new ConfigError(
      `--chain-rule "${source}": expected the variables as an object of name to number, e.g. ` +
        `{ r: 3 }; found ${variables === null ? 'null' : typeof variables}`,
    );
  }
  const tokens: { text: string; kind: 'number' | 'name' | 'symbol'; at: number }[] = [];
  TOKEN.lastIndex = 0;
  let end = 0;
  for (let match = TOKEN.exec(source); match !== null; match = TOKEN.exec(source)) {
    end = TOKEN.lastIndex;
    const kind = match[1] !== undefined ? 'number' : match[2] !== undefined ? 'name' : 'symbol';
    const text = match[1] ?? match[2] ?? match[3]!;
    tokens.push({ text, kind, at: end - text.length });
  }
  if (source.slice(end).trim() !== '' || tokens.length === 0) {
    throw new ConfigError(`--chain-rule: expected an expression; received "${source}"`);
  }
  const names = new Map<Value, string[]>();
  const scope = new Map<string, Value>();
  let position = 0;
  let depth = 0;
  /** Runs a nested parse one level deeper, refusing nesting deeper than CHAIN_RULE_MAX_NESTING. */
  const nested = <T>(parse: () => T): T => {
    if (++depth > CHAIN_RULE_MAX_NESTING) {
      const at = tokens[position - 1]!.at; // the token that opened this level
      throw new ConfigError(
        `--chain-rule: expected at most ${CHAIN_RULE_MAX_NESTING} levels of nesting; found more at ` +
          `character ${at + 1}`,
      );
    }
    const result = parse();
    depth--;
    return result;
  };
  const peek = () => tokens[position];
  const fail = (expected: string): never => {
    const token = peek();
    const found = token === undefined ? 'the end' : `"${token.text}" at character ${token.at + 1}`;
    throw new ConfigError(`--chain-rule "${source}": expected ${expected}; found ${found}`);
  };
  const accept = (text: string): boolean => {
    if (peek()?.text !== text) return false;
    position++;
    return true;
  };
  const name = (node: Value, label: string): Value => {
    const list = names.get(node) ?? [];
    if (!list.includes(label)) list.push(label);
    names.set(node, list);
    return node;
  };
  const variable = (label: string): Value => {
    const known = scope.get(label);
    if (known !== undefined) return known;
    const value = variables[label];
    if (value === undefined || !Object.hasOwn(variables, label)) {
      throw new ConfigError(
        `--chain-rule "${source}": variable ${label} has no value; give it with --var ${label}=<number>`,
      );
    }
    if (typeof value !== 'number') {
      throw new ConfigError(
        `--chain-rule "${source}": variable ${label}: expected a number, found ` +
          `${typeof value} ${JSON.stringify(value) ?? String(value)}`,
      );
    }
    const leaf = name(new Value(value, label), label);
    scope.set(label, leaf);
    return leaf;
  };
  const atom = (): Value => {
    const token = peek() ?? fail('a number, a name or "("');
    if (accept('(')) {
      const inner = nested(sum);
      if (!accept(')')) fail('")"');
      return inner;
    }
    if (token.kind === 'symbol') return fail('a number, a name or "("') as never;
    position++;
    if (token.kind === 'number') return new Value(Number(token.text));
    if (!accept('(')) return variable(token.text);
    const fn = CHAIN_RULE_FUNCTIONS.find((each) => each === token.text);
    if (fn === undefined) {
      throw new ConfigError(
        `--chain-rule "${source}": unknown function ${token.text}; expected one of ` +
          CHAIN_RULE_FUNCTIONS.join(', '),
      );
    }
    const argument = nested(sum);
    if (!accept(')')) fail('")"');
    return argument[fn]();
  };
  const exponent = (): number => {
    const negative = accept('-');
    const token = peek();
    if (token?.kind !== 'number') fail('a constant exponent after "^"');
    position++;
    const base = negative ? -Number(token!.text) : Number(token!.text);
    return accept('^') ? base ** nested(exponent) : base;
  };
  const power = (): Value => {
    const base = atom();
    return accept('^') ? base.pow(exponent()) : base;
  };
  const unary = (): Value => (accept('-') ? nested(unary).neg() : power());
  const product = (): Value => {
    let left = unary();
    for (;;) {
      if (accept('*')) left = left.mul(unary());
      else if (accept('/')) left = left.div(unary());
      else return left;
    }
  };
  const sum = (): Value => {
    let left = product();
    for (;;) {
      if (accept('+')) left = left.add(product());
      else if (accept('-')) left = left.sub(product());
      else return left;
    }
  };
  let output: Value | undefined;
  do {
    const token = peek();
    if (token?.kind === 'name' && tokens[position + 1]?.text === '=') {
      position += 2;
      output = name(sum(), token.text);
      scope.set(token.text, output);
    } else {
      output = sum();
    }
  } while (accept(';'));
  if (position < tokens.length) fail('an operator, ";" or the end');
  return { output: output, names };
}
