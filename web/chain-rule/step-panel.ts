import { chainRuleFormula, type ChainRule } from '../../packages/core/src/browser.js';
import { element, formatNumber, showNumber } from '../format.js';
import { pathSums, type BackwardState } from './progress.js';

/** A number in a span with its exact value in `data-value`, and a `data-q` naming it. */
function number(value: number, q: string): HTMLSpanElement {
  const span = element('span', { class: 'number', 'data-q': q });
  showNumber(span, value);
  return span;
}

/**
 * Shows the step of `backward()` just taken: the node, its gradient, and per input the local
 * derivative used and the term added (input.grad += ∂node/∂input · ∂f/∂node → the new sum).
 * Before the first step, says what stepping does; after the last, each variable's gradient as
 * the sum of its terms, one per path (∂f/∂s = −18 + −18 = −36).
 * @throws never
 */
export function renderStep(panel: HTMLElement, rule: ChainRule, state: BackwardState): void {
  const { nodes, steps } = rule;
  const f = nodes.at(-1)!.name;
  const children: HTMLElement[] = [];
  const position = state.current === undefined ? 0 : state.current + 1;
  children.push(element('p', { class: 'position' }, `Step ${position} of ${steps.length}`));
  panel.dataset['position'] = String(position);
  if (state.current === undefined) {
    children.push(
      element(
        'p',
        {},
        `Forward pass done: every node holds its value. Step to run backward(): ∂${f}/∂${f} = 1, ` +
          'then each node passes its gradient to its inputs, outputs first.',
      ),
    );
  } else {
    const step = steps[state.current]!;
    const node = nodes[step.node]!;
    const head = element('p', { class: 'step-node' });
    head.append(`${node.name} = ${chainRuleFormula(node, nodes)}, ∂${f}/∂${node.name} = `);
    head.append(number(step.grad, 'node-grad'));
    const list = element('ul', { class: 'terms' });
    for (const term of step.terms) {
      const input = nodes[term.input]!.name;
      const item = element('li', { 'data-input': input });
      item.append(`∂${node.name}/∂${input} = ${term.formula} = `, number(term.local, 'local'));
      item.append(
        `;  ${input}.grad += ${formatNumber(term.local)} · ${formatNumber(step.grad)} = `,
      );
      item.append(number(term.added, 'added'), ' → ', number(term.gradAfter, 'grad-after'));
      list.append(item);
    }
    children.push(head, list);
  }
  if (position === steps.length) {
    const sums = element('ul', { class: 'sums' });
    for (const variable of pathSums(rule)) {
      const item = element('li', { 'data-variable': variable.name });
      item.append(
        `∂${f}/∂${variable.name} = ${variable.terms.map(formatNumber).join(' + ')} = `,
        number(variable.grad, 'sum'),
        variable.terms.length > 1 ? ` (${variable.terms.length} paths)` : '',
      );
      sums.append(item);
    }
    children.push(element('h3', {}, 'Gradients: one term per path'), sums);
  }
  panel.replaceChildren(...children);
}
