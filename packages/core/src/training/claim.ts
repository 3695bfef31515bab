import { ConfigError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import type { Sequential } from '../model/sequential.js';

/** The layers of the fit calls in progress (a suspended fit keeps its claim). */
const training = new WeakSet<Layer>();

/**
 * Claims a model's layers for one fit call, so that a second fit on the same model, or on a
 * model sharing a layer with it, is refused instead of interleaving its updates.
 * (`predict` and `evaluate` while a fit is suspended stay allowed.)
 * @returns the function that releases the claim
 * @throws {ConfigError} naming the layer when one is already being trained.
 */
export function claimLayers(model: Sequential): () => void {
  const busy = model.layers.findIndex((layer) => training.has(layer));
  if (busy >= 0) {
    throw new ConfigError(
      `layer ${busy + 1} ${model.layers[busy]} is already being trained by another fit call ` +
        '(on this model or one sharing the layer); help: await the first fit before starting another',
    );
  }
  for (const layer of model.layers) training.add(layer);
  return () => {
    for (const layer of model.layers) training.delete(layer);
  };
}
