import { element, showNumber } from '../format.js';
import type { UnitRef } from './network.js';
import type { Inspection, Session } from './session.js';

/**
 * Fills the inspector with the lecture's quantities for one unit and one example: for unit j of
 * layer l ≥ 1, zˡⱼ, aˡⱼ = g(zˡⱼ), δˡⱼ = ∂L/∂zˡⱼ, the bias and ∂L/∂bˡⱼ = δˡⱼ, then per incoming
 * weight wˡⱼₖ the input aˡ⁻¹ₖ, ∂L/∂wˡⱼₖ = δˡⱼ aˡ⁻¹ₖ and the weight after one SGD step on this
 * example alone; for an input unit, xₖ = a⁰ₖ.
 *
 * Every number cell has `data-q` naming the quantity (z, a, delta, b, grad-b; per weight row
 * `data-k`, with a-prev, w, grad-w, w-next) and the exact value in `data-value`.
 */
export function renderInspector(
  container: HTMLElement,
  session: Session,
  inspection: Inspection,
  selected: UnitRef,
): void {
  const { layer: l, unit: j } = selected;
  const L = session.model.denseLayers.length;
  container.dataset['layer'] = String(l);
  container.dataset['unit'] = String(j);
  container.dataset['example'] = String(inspection.example);
  container.dataset['epoch'] = String(session.epoch);
  const a = inspection.trace.a;
  if (l === 0) {
    container.replaceChildren(
      heading(`Input x${j + 1} (layer 0)`),
      table([[`a⁰${sub(j)} = x${sub(j)}`, a[0]!.get(0, j), 'a']]),
      element('p', { class: 'note' }, 'Inputs have no weights, z or δ; click a unit to the right.'),
    );
    return;
  }
  const layer = session.model.denseLayers[l - 1]!;
  const z = inspection.trace.z[l]!.get(0, j);
  const delta = inspection.gradients.delta[l]!.get(0, j);
  const g = layer.activation.name;
  const name = l === L ? 'Output unit' : `Layer ${l}, unit ${j + 1}`;
  const deltaRule =
    l < L
      ? `Σᵢ w${sup(l + 1)}ᵢ${sub(j)} δ${sup(l + 1)}ᵢ · g′(z)`
      : session.config.loss === 'binaryCrossEntropy'
        ? 'a − y (sigmoid + cross-entropy)'
        : '(a − y) · g′(z) (½(y − a)²)';
  const rows: Row[] = [
    [`z${sup(l)}${sub(j)} = Σₖ w${sup(l)}${sub(j)}ₖ a${sup(l - 1)}ₖ + b${sup(l)}${sub(j)}`, z, 'z'],
    [`a${sup(l)}${sub(j)} = ${g}(z)`, a[l]!.get(0, j), 'a'],
    [`δ${sup(l)}${sub(j)} = ∂L/∂z = ${deltaRule}`, delta, 'delta'],
    [`b${sup(l)}${sub(j)}`, layer.bias.get(0, j), 'b'],
    [
      `∂L/∂b${sup(l)}${sub(j)} = δ${sup(l)}${sub(j)}`,
      inspection.gradients.bias[l]!.get(0, j),
      'grad-b',
    ],
  ];
  const eta = session.learningRate;
  const weights = element('table', { class: 'weights' });
  weights.append(
    headerRow([
      'k',
      `a${sup(l - 1)}ₖ`,
      `w${sup(l)}${sub(j)}ₖ`,
      `∂L/∂w = δ${sub(j)} a${sup(l - 1)}ₖ`,
      `w − η ∂L/∂w (η = ${eta})`,
    ]),
  );
  for (let k = 0; k < layer.inputs; k++) {
    const w = layer.weights.get(j, k);
    const gradient = inspection.gradients.weights[l]!.get(j, k);
    const row = element('tr', { 'data-k': String(k) });
    row.append(element('td', {}, l === 1 ? `x${k + 1}` : String(k + 1)));
    for (const [value, q] of [
      [a[l - 1]!.get(0, k), 'a-prev'],
      [w, 'w'],
      [gradient, 'grad-w'],
      [w - eta * gradient, 'w-next'],
    ] as const) {
      row.append(numberCell(value, q));
    }
    weights.append(row);
  }
  container.replaceChildren(
    heading(`${name} (layer ${l}, ${g})`),
    table(rows),
    element('h4', {}, 'Incoming weights'),
    weights,
  );
}

/** Fills the example panel: x, y, the output and this example's loss. */
export function renderExample(container: HTMLElement, inspection: Inspection): void {
  const L = inspection.trace.a.length - 1;
  container.replaceChildren(
    table([
      ['x₁', inspection.x[0]!, 'x1'],
      ['x₂', inspection.x[1]!, 'x2'],
      ['y (target class)', inspection.y, 'y'],
      ['ŷ = aᴸ', inspection.trace.a[L]!.get(0, 0), 'output'],
      ['L (this example)', inspection.loss, 'loss'],
    ]),
  );
}

type Row = [label: string, value: number, q: string];

function heading(text: string): HTMLElement {
  return element('h3', {}, text);
}

function table(rows: Row[]): HTMLTableElement {
  const result = element('table', { class: 'quantities' });
  for (const [label, value, q] of rows) {
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, label), numberCell(value, q));
    result.append(row);
  }
  return result;
}

function headerRow(labels: string[]): HTMLTableRowElement {
  const row = element('tr');
  for (const label of labels) row.append(element('th', { scope: 'col' }, label));
  return row;
}

function numberCell(value: number, q: string): HTMLTableCellElement {
  const cell = element('td', { 'data-q': q, class: 'number' });
  showNumber(cell, value);
  return cell;
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** A layer index as superscript digits, e.g. 2 → ². */
function sup(n: number): string {
  return [...String(n)].map((d) => SUPERSCRIPTS[Number(d)]).join('');
}

/** A 0-based unit index as 1-based subscript digits, e.g. 0 → ₁. */
function sub(index: number): string {
  return [...String(index + 1)].map((d) => SUBSCRIPTS[Number(d)]).join('');
}
