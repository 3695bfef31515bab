import type { Value } from '../autodiff/value.js';
import { ConfigError } from '../errors.js';
import { parseExpression } from './chain-rule-parser.js';

/** The lecture's example: f = xyz with x = r, y = rs, z = s. */
export const LECTURE_EXPRESSION = 'x = r; y = r*s; z = s; f = x*y*z';
/** The lecture's point: r = 3, s = −2 (f = r²s² = 36, ∂f/∂r = 2rs² = 24, ∂f/∂s = 2r²s = −36). */
export const LECTURE_VARIABLES: Readonly<Record<string, number>> = { r: 3, s: -2 };

/** A node of the graph, in topological order (inputs first). */
export interface ChainRuleNode {
  /** Its index in `nodes`. */
  readonly id: number;
  /** Its name: the variable or the first assignment naming it, else t1, t2, … or the number. */
  readonly name: string;
  /** Every name it has (`x = r` gives r's node the names r and x). */
  readonly names: readonly string[];
  /** The operation ('+', '*', 'tanh', '**2', …), '' for a leaf. */
  readonly operation: string;
  /** The ids of its inputs, in operand order. */
  readonly inputs: readonly number[];
  /** The forward value. */
  readonly value: number;
  /** ∂f/∂node after `backward()`. */
  readonly grad: number;
}

/** One input's share of a backward step: input.grad += local · node.grad. */
export interface ChainRuleTerm {
  /** The input's id. */
  readonly input: number;
  /** The local derivative ∂node/∂input, as a formula in names (e.g. 'r', '1 − tanh²(t1)'). */
  readonly formula: string;
  /** Its value. */
  readonly local: number;
  /** local · node.grad, added to the input's gradient. */
  readonly added: number;
  /** The input's gradient after the addition. */
  readonly gradAfter: number;
}

/** One step of `backward()`: a node whose gradient is complete passes it to its inputs. */
export interface ChainRuleStep {
  /** The node's id. */
  readonly node: number;
  /** ∂f/∂node, complete at this step (1 for the output). */
  readonly grad: number;
  /** One term per operand (none for a leaf). */
  readonly terms: readonly ChainRuleTerm[];
}

/** The steps of the chain rule on an expression, as data. */
export interface ChainRule {
  readonly expression: string;
  /** The input variables and their values. */
  readonly variables: Readonly<Record<string, number>>;
  /** Every node, inputs before outputs; the last is the output f. */
  readonly nodes: readonly ChainRuleNode[];
  /** `backward()`'s steps, output first (the reverse of `nodes`), leaves left out. */
  readonly steps: readonly ChainRuleStep[];
}

/** The local derivative ∂out/∂(input i) of a node as [formula, value]. */
function local(node: Value, i: number, label: (value: Value) => string): [string, number] {
  const [a, b] = node.inputs as [Value, Value | undefined];
  const op = node.operation;
  if (op === '+') return ['1', 1];
  if (op === '-') return i === 0 ? ['1', 1] : ['−1', -1];
  if (op === '*') return i === 0 ? [label(b!), b!.data] : [label(a), a.data];
  if (op === '/') {
    return i === 0
      ? [`1/${label(b!)}`, 1 / b!.data]
      : [`−${label(a)}/${label(b!)}²`, -a.data / (b!.data * b!.data)];
  }
  if (op === 'neg') return ['−1', -1];
  if (op.startsWith('**')) {
    const n = Number(op.slice(2));
    return [`${n}·${label(a)}^${n - 1}`, n * a.data ** (n - 1)];
  }
  if (op === 'exp') return [`exp(${label(a)})`, node.data];
  if (op === 'log') return [`1/${label(a)}`, 1 / a.data];
  if (op === 'tanh') return [`1 − tanh²(${label(a)})`, 1 - node.data * node.data];
  if (op === 'sigmoid') return [`σ(${label(a)})(1 − σ(${label(a)}))`, node.data * (1 - node.data)];
  return [`[${label(a)} > 0]`, a.data > 0 ? 1 : 0]; // relu
}

/**
 * The chain rule on an expression built with {@link Value}, as data: the graph's nodes with
 * their values, then `backward()` one node at a time: each node's gradient and, for each of its
 * inputs, the local derivative used and the term added (input.grad += ∂node/∂input · node.grad).
 * A variable used on several paths receives one term per path, and its gradient is their sum
 * (for the lecture's f = xyz, ∂f/∂s = 2r²s = −36 = −18 via z + −18 via y = rs).
 * The terms are computed here; `grad` of each node is the one `Value.backward()` computed,
 * and the last term of each node equals it.
 * @param expression - see {@link parseExpression}; default the lecture's
 * @param variables - the input variables; default r = 3, s = −2
 * @throws {ConfigError} for a bad expression or a variable without a value, and when a node's
 *   value or gradient is not finite (e.g. log(0), 1/0, exp(1000)): names the node
 */
export function chainRule(
  expression = LECTURE_EXPRESSION,
  variables: Readonly<Record<string, number>> = LECTURE_VARIABLES,
): ChainRule {
  const { output, names } = parseExpression(expression, variables);
  output.backward();
  const order = output.topoOrder();
  const ids = new Map(order.map((node, id) => [node, id]));
  let temporaries = 0;
  const labels = order.map(
    (node) =>
      names.get(node)?.[0] ?? (node.operation === '' ? String(node.data) : `t${++temporaries}`),
  );
  const label = (node: Value) => labels[ids.get(node)!]!;
  const nodes = order.map((node, id): ChainRuleNode => ({
    id,
    name: labels[id]!,
    names: names.get(node) ?? [labels[id]!],
    operation: node.operation,
    inputs: node.inputs.map((input) => ids.get(input)!),
    value: node.data,
    grad: node.grad,
  }));
  checkFinite(expression, nodes);
  const grads = new Float64Array(order.length);
  grads[order.length - 1] = 1;
  const steps: ChainRuleStep[] = [];
  for (let id = order.length - 1; id >= 0; id--) {
    const node = order[id]!;
    if (node.inputs.length === 0) continue;
    const grad = grads[id]!;
    const terms = node.inputs.map((input, i): ChainRuleTerm => {
      const [formula, value] = local(node, i, label);
      const target = ids.get(input)!;
      grads[target]! += value * grad;
      return {
        input: target,
        formula,
        local: value,
        added: value * grad,
        gradAfter: grads[target]!,
      };
    });
    steps.push({ node: id, grad, terms });
  }
  return { expression, variables: { ...variables }, nodes, steps };
}

/** Refuses a graph with a non-finite value (first) or gradient, naming the first such node. */
function checkFinite(expression: string, nodes: readonly ChainRuleNode[]): void {
  for (const what of ['value', 'grad'] as const) {
    const node = nodes.find((each) => !Number.isFinite(each[what]));
    if (node === undefined) continue;
    const op = node.operation === '' ? '' : ` (${node.operation})`;
    throw new ConfigError(
      `--chain-rule "${expression}": node ${node.name}${op} has a non-finite ` +
        `${what === 'grad' ? 'gradient' : 'value'}, ${node[what]}; expected finite numbers ` +
        '(check for log(0), division by 0 or exp of a large number)',
    );
  }
}
