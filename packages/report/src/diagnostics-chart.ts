import type { TopLevelSpec } from 'vega-lite';
import type { ReportDiagnosticsEpoch } from './report-diagnostics.js';

/**
 * The Vega-Lite spec of the gradient norms ‖∂L/∂Wˡ‖ per epoch, one line per Dense layer l, on a
 * log scale (vanishing gradients show as lines decades apart; the diagnostics warn when layer 1's
 * is below 10⁻³ of layer L's). Epochs without a finite, positive norm are left out of a line.
 * @param epochs - the run's diagnostics, in epoch order
 * @returns the spec, its data inlined
 * @throws never
 */
export function gradientNormChart(epochs: readonly ReportDiagnosticsEpoch[]): TopLevelSpec {
  const values = epochs.flatMap((e) =>
    e.layers.flatMap((layer) =>
      layer.gradientNorm !== null && layer.gradientNorm > 0 && Number.isFinite(layer.gradientNorm)
        ? [{ epoch: e.epoch, layer: `layer ${layer.layer}`, gradientNorm: layer.gradientNorm }]
        : [],
    ),
  );
  const layers = [...new Set(values.map((v) => v.layer))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Gradient norm ‖∂L/∂Wˡ‖ per epoch',
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        axis: { title: 'epoch', tickMinStep: 1, format: 'd' },
      },
      y: { field: 'gradientNorm', type: 'quantitative', title: '‖∂L/∂W‖', scale: { type: 'log' } },
      color: { field: 'layer', type: 'nominal', title: 'layer', sort: layers },
      tooltip: [
        { field: 'layer', type: 'nominal' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'gradientNorm', type: 'quantitative', title: '‖∂L/∂W‖', format: '.3g' },
      ],
    },
  };
}
