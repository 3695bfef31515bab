import type { ChainRule } from '../../packages/core/src/browser.js';

/** What the page shows after `position` steps of `backward()`. */
export interface BackwardState {
  /** Each node's gradient so far (the sum of the terms it has received), by id; undefined before any. */
  readonly grads: readonly (number | undefined)[];
  /** True for a node whose gradient is complete: every node that uses it has passed its term. */
  readonly complete: readonly boolean[];
  /** The index in `rule.steps` of the step just taken; undefined at position 0. */
  readonly current: number | undefined;
}

/**
 * The gradients after the first `position` steps of the chain rule's backward pass (0: the
 * forward values only; 1: the output's ∂f/∂f = 1 passed to its inputs; steps.length: done). A
 * node's gradient is the running sum input.grad += ∂node/∂input · node.grad, as
 * `Value.backward()` accumulates it; it is complete once every node using it has stepped.
 * @param position - an integer from 0 to rule.steps.length
 * @throws RangeError for a position out of range
 */
export function backwardState(rule: ChainRule, position: number): BackwardState {
  if (!Number.isInteger(position) || position < 0 || position > rule.steps.length) {
    throw new RangeError(`position must be 0 to ${rule.steps.length}; received ${position}`);
  }
  const { nodes, steps } = rule;
  const grads: (number | undefined)[] = nodes.map(() => undefined);
  const pending = nodes.map(() => 0);
  for (const node of nodes) for (const input of node.inputs) pending[input]!++;
  if (position > 0) grads[nodes.length - 1] = 1;
  for (const step of steps.slice(0, position)) {
    for (const term of step.terms) {
      grads[term.input] = term.gradAfter;
      pending[term.input]!--;
    }
  }
  const complete = nodes.map(
    (_, id) => position > 0 && pending[id] === 0 && grads[id] !== undefined,
  );
  return { grads, complete, current: position > 0 ? position - 1 : undefined };
}

/**
 * Each variable's gradient as the sum of its terms, one per path into it:
 * [{ name: 's', terms: [−18, −18], grad: −36 }] for the lecture's f.
 * @throws never
 */
export function pathSums(
  rule: ChainRule,
): { id: number; name: string; terms: number[]; grad: number }[] {
  return rule.nodes
    .filter((node) => node.operation === '' && Object.hasOwn(rule.variables, node.name))
    .map((node) => ({
      id: node.id,
      name: node.name,
      terms: rule.steps.flatMap((step) =>
        step.terms.filter((term) => term.input === node.id).map((term) => term.added),
      ),
      grad: node.grad,
    }));
}
