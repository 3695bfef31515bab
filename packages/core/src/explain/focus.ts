import { ConfigError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import type { Sequential } from '../model/sequential.js';
import type { Focus } from './explanation.js';

/**
 * Checks a focus against the model: a Dense layer l from 1 to L (the lecture's numbering), a
 * unit from 1 to nˡ, a unit only with its layer.
 * @param names - what to call the options in messages, e.g. `{ layer: '--layer', unit: '--unit' }`
 * @returns the focus, unchanged
 * @throws {ConfigError} naming the option, the valid range and the value received.
 */
export function checkFocus(
  model: Sequential,
  focus: Focus,
  names: { layer: string; unit: string } = { layer: 'layer', unit: 'unit' },
): Focus {
  const { layer, unit } = focus;
  const L = model.denseLayers.length;
  if (layer !== undefined && !(Number.isInteger(layer) && layer >= 1 && layer <= L)) {
    throw new ConfigError(
      `${names.layer} must be an integer from 1 to ${L} (the model's layers); received ${layer}`,
    );
  }
  if (unit === undefined) return focus;
  if (layer === undefined) {
    throw new ConfigError(
      `${names.unit} needs ${names.layer}, the unit's layer (1 to ${L}); received ` +
        `${names.unit} ${unit} alone`,
    );
  }
  const units = model.denseLayers[layer - 1]!.outputs;
  if (!(Number.isInteger(unit) && unit >= 1 && unit <= units)) {
    throw new ConfigError(
      `${names.unit} must be an integer from 1 to ${units} (the units of layer ${layer}); ` +
        `received ${unit}`,
    );
  }
  return focus;
}

/**
 * Which layers a focus shows. `lecture[k]` is l when the layer at 0-based position k is Dense
 * layer l, else 0. Without a focus, every layer; with `layer` l, Dense layer l and the other
 * layers after it up to the next Dense layer (they turn aˡ into the next layer's input, and
 * pass ∂L/∂aˡ down to it), and for l = 1 also those before it; with `unit` j as well, Dense
 * layer l alone (the other layers' numbers are whole vectors: LayerNormalization and softmax
 * mix the units).
 * @returns one flag per layer
 * @throws never
 */
export function inFocus(lecture: readonly number[], focus: Focus): boolean[] {
  let follows = 0;
  return lecture.map((l) => {
    if (l !== 0) follows = l;
    if (focus.layer === undefined) return true;
    if (l !== 0) return l === focus.layer;
    return focus.unit === undefined && Math.max(follows, 1) === focus.layer;
  });
}

/**
 * The layers of the model that `explain` shows for a focus (see `inFocus`), in order.
 * @throws never (check the focus with {@link checkFocus} first)
 */
export function focusedLayers(model: Sequential, focus: Focus): Layer[] {
  let l = 0;
  const shown = inFocus(
    model.layers.map((layer) => (layer.isLectureLayer() ? ++l : 0)),
    focus,
  );
  return model.layers.filter((_, k) => shown[k]);
}
