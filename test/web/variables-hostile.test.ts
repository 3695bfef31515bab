import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../packages/core/src/index.js';
import { parseVariables } from '../../web/chain-rule/variables.js';

// The chain-rule page's variables given what `backprop explain --var` refuses: each is named.

describe('parseVariables reads decimal numbers only, as --var does', () => {
  it('refuses hex, binary, octal, Infinity and an overflow, naming the part', () => {
    for (const value of ['0x10', '0b1', '0o7', 'Infinity', '1e999', '1_000']) {
      expect(() => parseVariables(`s = 2, r = ${value}`)).toThrow(
        new ConfigError(`variables: expected name = number, e.g. r = 3; received "r = ${value}"`),
      );
    }
  });

  it('keeps __proto__ as a variable, and reads the decimal forms', () => {
    const values = parseVariables('__proto__ = 1, a = +5, b = .5, c = 5., d = −1e-3');
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(Object.entries(values)).toEqual([
      ['__proto__', 1],
      ['a', 5],
      ['b', 0.5],
      ['c', 5],
      ['d', -0.001],
    ]);
  });
});
