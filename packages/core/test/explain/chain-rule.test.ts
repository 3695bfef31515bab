import { describe, expect, it } from 'vitest';
import {
  chainRule,
  chainRuleToText,
  ConfigError,
  parseExpression,
  type ChainRule,
} from '../../src/index.js';
import { backprop, errorLine } from '../../../cli/test/backprop.js';

/** Each input variable's gradient, from the steps' terms (the sum over its paths). */
function sums(rule: ChainRule): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  for (const node of rule.nodes) {
    if (node.operation !== '') continue;
    result[node.name] = rule.steps.flatMap((step) =>
      step.terms.filter((term) => term.input === node.id).map((term) => term.added),
    );
  }
  return result;
}

describe("chainRule: the lecture's f = xyz, x = r, y = rs, z = s at r = 3, s = -2", () => {
  const rule = chainRule();
  const byName = Object.fromEntries(rule.nodes.map((node) => [node.name, node]));

  it('has the nodes with their values, the output last', () => {
    expect(rule.nodes.at(-1)).toMatchObject({ name: 'f', value: 36, grad: 1, operation: '*' });
    expect(byName['y']).toMatchObject({ value: -6, operation: '*' });
    expect(byName['r']!.names).toEqual(['r', 'x']);
    expect(byName['s']!.names).toEqual(['s', 'z']);
  });

  it('∂f/∂s = 2r²s = -36 is the sum of its paths, and ∂f/∂r = 2rs² = 24', () => {
    const r = 3;
    const s = -2;
    expect(sums(rule)).toEqual({ s: [-18, -18], r: [12, 12] });
    expect(byName['s']!.grad).toBe(2 * r * r * s);
    expect(byName['r']!.grad).toBe(2 * r * s * s);
  });

  it('steps backward one node at a time, each with the local derivative used', () => {
    expect(rule.steps.map((step) => [rule.nodes[step.node]!.name, step.grad])).toEqual([
      ['f', 1],
      ['t1', -2],
      ['y', -6],
    ]);
    const last = rule.steps[2]!.terms.map((term) => [term.formula, term.local, term.added]);
    expect(last).toEqual([
      ['s', -2, 12],
      ['r', 3, -18],
    ]);
  });

  it('prints the steps as text', () => {
    const text = chainRuleToText(rule);
    expect(text).toContain('  y      = r · s = -6\n');
    expect(text).toContain('    ∂y/∂s = r = 3;  s.grad += 3 · -6 = -18  → -36\n');
    expect(text).toContain('  ∂f/∂s = -18 + -18 = -36\n');
  });
});

describe('chainRule on typed expressions', () => {
  /** Central difference of the expression's output in one variable (float64 reference). */
  function central(expression: string, variables: Record<string, number>, name: string): number {
    const h = 1e-6;
    const at = (delta: number) =>
      parseExpression(expression, { ...variables, [name]: variables[name]! + delta }).output.data;
    return (at(h) - at(-h)) / (2 * h);
  }

  const cases: [string, Record<string, number>][] = [
    ['x*y+z', { x: 2, y: -3, z: 0.5 }],
    ['a = x - y/z; tanh(a)^2 + exp(-x) * sigmoid(y)', { x: 0.3, y: -1.2, z: 2.5 }],
    ['relu(x*x - 1) / log(y) - -x^3', { x: 1.5, y: 4 }],
  ];
  it.each(cases)(
    '%s: each gradient is its terms summed, and matches central differences',
    (expression, variables) => {
      const rule = chainRule(expression, variables);
      for (const [name, terms] of Object.entries(sums(rule))) {
        const node = rule.nodes.find((each) => each.name === name)!;
        if (!(name in variables)) continue; // a constant
        expect(terms.reduce((a, b) => a + b, 0)).toBeCloseTo(node.grad, 12);
        expect(node.grad).toBeCloseTo(central(expression, variables, name), 6);
      }
    },
  );

  it('parses precedence: -x^2 is -(x²), ^ is right-associative, / left-associative', () => {
    expect(parseExpression('-x^2', { x: 3 }).output.data).toBe(-9);
    expect(parseExpression('2^3^2', {}).output.data).toBe(512);
    expect(parseExpression('8/4/2', {}).output.data).toBe(1);
    expect(parseExpression('1 + 2 * 3 - (4 - 1)', {}).output.data).toBe(4);
    expect(parseExpression('x^-1', { x: 4 }).output.data).toBe(0.25);
  });

  it('refuses bad expressions in one line naming the problem', () => {
    const message = (expression: string, variables: Record<string, number> = {}) => {
      try {
        parseExpression(expression, variables);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(message('x*', { x: 1 })).toBe(
      '--chain-rule "x*": expected a number, a name or "("; found the end',
    );
    expect(message('x+q', { x: 1 })).toBe(
      '--chain-rule "x+q": variable q has no value; give it with --var q=<number>',
    );
    expect(message('sin(x)', { x: 1 })).toMatch(/unknown function sin; expected one of tanh, exp/);
    expect(message('x^y', { x: 1, y: 2 })).toMatch(
      /expected a constant exponent after "\^"; found "y"/,
    );
    expect(message('(x', { x: 1 })).toMatch(/expected "\)"; found the end/);
    expect(message('x y', { x: 1, y: 1 })).toMatch(
      /expected an operator, ";" or the end; found "y" at character 3/,
    );
    expect(message('toString', {})).toMatch(/variable toString has no value/);
    // What a JavaScript caller may pass instead of a string and numbers.
    expect(message('r*2', { r: '3' } as never)).toBe(
      '--chain-rule "r*2": variable r: expected a number, found string "3"',
    );
    expect(message('r*2', null as never)).toBe(
      '--chain-rule "r*2": expected the variables as an object of name to number, e.g. { r: 3 }; ' +
        'found null',
    );
    expect(message(3 as never)).toBe(
      '--chain-rule: expected an expression (a string); found number',
    );
    // A character that is no token is named itself, not the token after it.
    expect(message('é * 2', {})).toBe(
      '--chain-rule "é * 2": expected a number, a name or "("; found "é" at character 1',
    );
    expect(message('x + $', { x: 1 })).toMatch(/found "\$" at character 5$/);
    // Deep nesting is refused before it can overflow the call stack (100 levels are fine).
    expect(parseExpression('('.repeat(100) + 'x' + ')'.repeat(100), { x: 2 }).output.data).toBe(2);
    expect(message('('.repeat(101) + 'x' + ')'.repeat(101), { x: 1 })).toBe(
      '--chain-rule: expected at most 100 levels of nesting; found more at character 101',
    );
    expect(message('-'.repeat(5000) + 'x', { x: 1 })).toMatch(/at most 100 levels of nesting/);
    expect(message('x' + '^2'.repeat(500), { x: 1 })).toMatch(/at most 100 levels of nesting/);
  });

  it('refuses a non-finite value or gradient, naming the node', () => {
    expect(() => chainRule('log(x)', { x: 0 })).toThrow(
      '--chain-rule "log(x)": node t1 (log) has a non-finite value, -Infinity; expected finite ' +
        'numbers (check for log(0), division by 0 or exp of a large number)',
    );
    expect(() => chainRule('x/y', { x: 1, y: 0 })).toThrow(
      /node t1 \(\/\) has a non-finite value, Infinity/,
    );
    // f = x^0.5 at 0 is finite, its gradient 0.5·0^-0.5 is not.
    expect(() => chainRule('x^0.5', { x: 0 })).toThrow(
      /node x has a non-finite gradient, Infinity/,
    );
  });
});

describe('backprop explain --chain-rule', () => {
  it('prints the lecture example by default', async () => {
    const run = await backprop('explain', '--chain-rule');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('The chain rule on x = r; y = r*s; z = s; f = x*y*z\n');
    expect(run.stdout).toContain('  ∂f/∂s = -18 + -18 = -36\n');
  });

  it('takes an expression and --var, and --json gives the steps', async () => {
    const run = await backprop(
      'explain',
      '--chain-rule',
      'x*y+z',
      '--var',
      'x=2',
      '--var',
      'y=-3',
      '--var',
      'z=1',
      '--json',
    );
    expect(run.status).toBe(0);
    const rule = JSON.parse(run.stdout) as ChainRule;
    expect(rule.nodes.at(-1)!.value).toBe(-5);
    expect(Object.fromEntries(rule.nodes.map((node) => [node.name, node.grad]))).toMatchObject({
      x: -3,
      y: 2,
      z: 1,
    });
  });

  it('refuses --var without --chain-rule, and a bad --var', async () => {
    expect(errorLine(await backprop('explain', '--var', 'x=1'))).toBe(
      'error: --var gives a variable of --chain-rule; received --var without it',
    );
    expect(errorLine(await backprop('explain', '--chain-rule', 'x', '--var', 'x'))).toMatch(
      /--var expects name=number, e.g. --var x=2; received x/,
    );
  });
});
