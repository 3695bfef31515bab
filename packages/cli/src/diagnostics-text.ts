import type { EpochDiagnostics, LayerDiagnostics } from './api.js';

const percent = (fraction: number): string => `${(100 * fraction).toPrecision(2)}%`;

/** 'layer 1 (relu, 128 units)  ‖∂L/∂W‖ 0.771  update 0.47%  dead 0.0%' */
function layerLine(layer: LayerDiagnostics): string {
  return [
    `layer ${layer.layer} (${layer.activation}, ${layer.units} units${layer.frozen ? ', frozen' : ''})`,
    `‖∂L/∂W‖ ${layer.gradientNorm.toPrecision(3)}`,
    !layer.frozen && `update ${percent(layer.updateRatio)}`,
    layer.dead !== null && `dead ${percent(layer.dead)}`,
    layer.saturated !== null && `saturated ${percent(layer.saturated)}`,
  ]
    .filter((part) => part !== false)
    .join('  ');
}

/**
 * An epoch's diagnostics as text for `backprop train --diagnose`: one indented line per Dense
 * layer (gradient norm, update ratio in percent, dead or saturated units), then one line per
 * warning with its hint.
 * @returns lines without trailing newlines
 * @throws never
 */
export function diagnosticsLines(epoch: EpochDiagnostics): string[] {
  return [
    ...epoch.layers.map((layer) => `  ${layerLine(layer)}`),
    ...epoch.warnings.map((warning) => `  warning: ${warning.message}; hint: ${warning.hint}`),
  ];
}
