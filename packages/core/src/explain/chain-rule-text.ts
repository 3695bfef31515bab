import type { ChainRule, ChainRuleNode } from './chain-rule.js';

/**
 * What a node of a {@link ChainRule} computes, in its inputs' names: 'r · s', 'tanh(t1)',
 * 'x^2', '−y'; '' for a leaf (an input variable or a number).
 * @param nodes - the rule's nodes (the node's inputs are ids into them)
 * @throws never
 */
export function chainRuleFormula(node: ChainRuleNode, nodes: readonly ChainRuleNode[]): string {
  const [a, b] = node.inputs.map((id) => nodes[id]!.name);
  const op = node.operation;
  if (op === '') return '';
  if (op === 'neg') return `−${a}`;
  if (op.startsWith('**')) return `${a}^${op.slice(2)}`;
  if (b === undefined) return `${op}(${a})`;
  return `${a} ${op === '*' ? '·' : op === '-' ? '−' : op} ${b}`;
}

/**
 * The chain rule's steps as text (`backprop explain --chain-rule`): the variables, the graph's
 * nodes in topological order with their values, `backward()` one node at a time (each node's
 * gradient, and per input the local derivative used and the term added to the input's
 * gradient), then each variable's gradient as the sum of its terms, one per path.
 * @param digits - significant digits of the numbers, 1 to 17 (default 6)
 * @throws never
 */
export function chainRuleToText(rule: ChainRule, digits = 6): string {
  const { nodes, steps } = rule;
  // Shortest form at `digits` significant digits: 3, -36, 0.104994.
  const n = (value: number) => String(Number(value.toPrecision(digits)));
  const f = nodes.at(-1)!;
  const width = Math.max(...nodes.map((node) => node.names.join(' = ').length));
  const lines = [
    `The chain rule on ${rule.expression}`,
    `variables: ${Object.entries(rule.variables)
      .map(([name, value]) => `${name} = ${n(value)}`)
      .join(', ')}`,
    '',
    'forward: the nodes of the graph, inputs first',
  ];
  for (const node of nodes) {
    const computed = chainRuleFormula(node, nodes);
    const kind = node.operation === '' ? '(input)' : `= ${computed}`;
    lines.push(`  ${node.names.join(' = ').padEnd(width)}  ${kind} = ${n(node.value)}`);
  }
  lines.push('', `backward(): ∂${f.name}/∂${f.name} = 1, then one node at a time, outputs first`);
  steps.forEach((step, i) => {
    const node = nodes[step.node]!;
    lines.push(
      `  step ${i + 1}: ${node.name} = ${chainRuleFormula(node, nodes)}, ∂${f.name}/∂${node.name} = ${n(step.grad)}`,
    );
    for (const term of step.terms) {
      const input = nodes[term.input]!.name;
      lines.push(
        `    ∂${node.name}/∂${input} = ${term.formula} = ${n(term.local)};  ` +
          `${input}.grad += ${n(term.local)} · ${n(step.grad)} = ${n(term.added)}  → ${n(term.gradAfter)}`,
      );
    }
  });
  lines.push('', 'gradients: the sum of the terms over the paths from each input to the output');
  for (const node of nodes) {
    if (node.operation !== '' || !Object.hasOwn(rule.variables, node.name)) continue;
    const terms = steps.flatMap((step) =>
      step.terms.filter((term) => term.input === node.id).map((term) => n(term.added)),
    );
    lines.push(`  ∂${f.name}/∂${node.name} = ${terms.join(' + ')} = ${n(node.grad)}`);
  }
  return `${lines.join('\n')}\n`;
}
