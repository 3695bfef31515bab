import type { EpochDiagnostics, LayerDiagnostics } from '../../packages/core/src/browser.js';
import { element, formatNumber, showNumber } from '../format.js';

/** A fraction as a percentage with 2 significant digits: '0.47%'. */
function percent(fraction: number): string {
  return `${Number((100 * fraction).toPrecision(2))}%`;
}

/** The cell of a number: its text, its exact value in `data-value`, and `data-q` naming it. */
function cell(value: number | null, q: string, text?: string): HTMLTableCellElement {
  const td = element('td', { class: 'number', 'data-q': q });
  if (value === null) return td;
  showNumber(td, value, text ?? formatNumber(value));
  return td;
}

function layerRow(layer: LayerDiagnostics): HTMLTableRowElement {
  const row = element('tr', { 'data-layer': String(layer.layer) });
  row.append(
    element('th', {}, `${layer.layer} (${layer.activation}, ${layer.units})`),
    cell(layer.gradientNorm, 'gradient-norm'),
    cell(layer.frozen ? null : layer.updateRatio, 'update-ratio', percent(layer.updateRatio)),
    cell(layer.dead, 'dead', layer.dead === null ? '' : percent(layer.dead)),
    cell(layer.saturated, 'saturated', layer.saturated === null ? '' : percent(layer.saturated)),
  );
  return row;
}

/**
 * The playground's diagnostics panel for the latest epoch of a `Diagnostics` callback: the
 * warnings in plain language, each with its hint (or a line saying there are none), then a
 * table per Dense layer l of ‖∂L/∂Wˡ‖, the update ratio ‖ΔWˡ‖/‖Wˡ‖, and the dead (ReLU) and
 * saturated (sigmoid, tanh) fractions. Each warning is an `li` with `data-kind`.
 * @param epoch - the latest epoch's diagnostics; undefined before the first epoch
 * @throws never
 */
export function renderDiagnostics(panel: HTMLElement, epoch: EpochDiagnostics | undefined): void {
  if (epoch === undefined) {
    panel.replaceChildren(element('p', { class: 'note' }, 'Train to see the diagnostics.'));
    return;
  }
  const warnings =
    epoch.warnings.length === 0
      ? element('p', { class: 'healthy' }, `Epoch ${epoch.epoch}: no warnings.`)
      : element('ul', { class: 'warnings' });
  for (const warning of epoch.warnings) {
    const item = element('li', { 'data-kind': warning.kind });
    const message = warning.message.charAt(0).toUpperCase() + warning.message.slice(1);
    item.append(`${message}. `, element('em', {}, `Try: ${warning.hint}.`));
    warnings.append(item);
  }
  const table = element('table', { class: 'diagnostics' });
  const head = element('tr');
  for (const title of ['layer', '‖∂L/∂W‖', 'update', 'dead', 'saturated']) {
    head.append(element('th', {}, title));
  }
  table.append(head, ...epoch.layers.map(layerRow));
  panel.dataset['epoch'] = String(epoch.epoch);
  panel.replaceChildren(warnings, table);
}
