import { element, showNumber } from '../format.js';
import type { Cell, Step, Term } from './walkthrough.js';

// One step of the walk-through as a panel: its title, the equation in symbols, then the same
// equation in numbers, vectors as the lecture's columns and matrices in brackets.

const PHASES: Readonly<Record<Step['phase'], string>> = {
  forward: 'forward propagation',
  loss: 'the loss',
  backward: 'backpropagation',
  update: 'the update',
};

/**
 * Fills `container` with step `index` (0-based) of `count`. Every number is a `td.number` with
 * its exact value in `data-value` (5 significant digits shown) and its place in explain's JSON
 * in `data-path` (e.g. `layers.1.delta.0`).
 */
export function renderStep(container: HTMLElement, step: Step, index: number, count: number): void {
  container.dataset['index'] = String(index);
  container.dataset['phase'] = step.phase;
  const rows = step.rows.map((terms) => {
    const row = element('div', { class: 'equation-row' });
    row.append(...terms.map(termElement));
    return row;
  });
  container.replaceChildren(
    element('p', { class: 'step-count' }, `Step ${index + 1} of ${count} · ${PHASES[step.phase]}`),
    element('h3', {}, step.title),
    element('p', { class: 'equation' }, step.equation),
    ...rows,
    ...(step.note === undefined ? [] : [element('p', { class: 'note' }, step.note)]),
  );
}

function termElement(term: Term): HTMLElement {
  if (term.kind === 'operator') return element('span', { class: 'operator' }, term.text);
  const figure = element('figure', { class: 'term' });
  const single = term.cells.length === 1 && term.cells[0]!.length === 1;
  const table = element('table', { class: single ? 'scalar' : 'bracket' });
  for (const cells of term.cells) {
    const row = element('tr');
    row.append(...cells.map(numberCell));
    table.append(row);
  }
  figure.append(table, element('figcaption', {}, term.label));
  return figure;
}

function numberCell(cell: Cell): HTMLTableCellElement {
  const td = element('td', { class: 'number', 'data-path': cell.path });
  showNumber(td, cell.value);
  return td;
}
