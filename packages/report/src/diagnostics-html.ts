import type {
  ReportDiagnosticsEpoch,
  ReportLayerDiagnostics,
  ReportWarning,
} from './report-diagnostics.js';

/** A warning and the epochs it was raised in. */
interface RaisedWarning {
  warning: ReportWarning;
  epochs: number[];
}

/**
 * The diagnostics section of a report page: the warnings in plain language with their hints
 * (each once, with the epochs it was raised in and the message of the last of them), then a
 * table with a row per epoch and, per Dense layer l, the gradient norm ‖∂L/∂Wˡ‖, the update
 * ratio ‖ΔWˡ‖ / ‖Wˡ‖ in percent, and the dead (ReLU) or saturated (sigmoid, tanh) fraction.
 * @param epochs - the run's diagnostics, in epoch order; none gives ''
 * @param escape - escapes text for HTML
 * @returns HTML (a heading, a list, a table)
 * @throws never
 */
export function diagnosticsHtml(
  epochs: readonly ReportDiagnosticsEpoch[],
  escape: (text: string) => string,
): string {
  if (epochs.length === 0) return '';
  const raised = new Map<string, RaisedWarning>();
  for (const epoch of epochs) {
    for (const warning of epoch.warnings) {
      const key = `${warning.kind} ${warning.layer ?? ''}`;
      const seen = raised.get(key) ?? { warning, epochs: [] };
      seen.warning = warning;
      seen.epochs.push(epoch.epoch);
      raised.set(key, seen);
    }
  }
  const items = [...raised.values()].map(
    ({ warning, epochs: when }) =>
      `<li class="warning" data-kind="${escape(warning.kind)}">${escape(capitalise(warning.message))} ` +
      `(${escape(epochList(when))}). <em>Hint: ${escape(warning.hint)}.</em></li>`,
  );
  const warnings =
    items.length === 0
      ? '<p class="no-warnings">No warnings: no dead or saturated layer, scaled inputs, moderate updates, no vanishing gradients.</p>'
      : `<ul class="warnings">\n${items.join('\n')}\n</ul>`;
  const layers = epochs[0]!.layers;
  const groups = layers
    .map(
      (layer) =>
        `<th colspan="3">layer ${layer.layer} (${escape(layer.activation)}, ${layer.units} units)</th>`,
    )
    .join('');
  const heads = layers
    .map((layer) => `<th>‖∂L/∂W‖</th><th>update</th><th>${unitHeading(layer)}</th>`)
    .join('');
  const rows = epochs.map((epoch) => {
    const cells = epoch.layers.map((layer) =>
      [
        precision(layer.gradientNorm),
        layer.frozen ? 'frozen' : percent(layer.updateRatio),
        percent(layer.dead ?? layer.saturated),
      ]
        .map((text) => `<td class="number">${escape(text)}</td>`)
        .join(''),
    );
    return `<tr><td class="number">${epoch.epoch}</td>${cells.join('')}</tr>`;
  });
  return `<h2>Diagnostics</h2>
${warnings}
<table class="diagnostics"><thead><tr><th rowspan="2">epoch</th>${groups}</tr><tr>${heads}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function unitHeading(layer: ReportLayerDiagnostics): string {
  if (layer.dead !== null) return 'dead';
  if (layer.saturated !== null) return 'saturated';
  return '';
}

/** 'epoch 3', 'epochs 1–4', 'epochs 1, 3, 5–6'. */
function epochList(epochs: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < epochs.length; i++) {
    let j = i;
    while (j + 1 < epochs.length && epochs[j + 1] === epochs[j]! + 1) j++;
    runs.push(j === i ? String(epochs[i]) : `${epochs[i]}–${epochs[j]}`);
    i = j;
  }
  return `${epochs.length === 1 ? 'epoch' : 'epochs'} ${runs.join(', ')}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function precision(value: number | null): string {
  return value === null || Number.isNaN(value) ? '–' : value.toPrecision(3);
}

function percent(value: number | null): string {
  return value === null || Number.isNaN(value) ? '' : `${(100 * value).toPrecision(3)}%`;
}
