import { byId, element } from '../format.js';
import {
  HIDDEN_ACTIVATIONS,
  PLAYGROUND_LOSSES,
  checkConfig,
  parseHidden,
  type PlaygroundConfig,
  type PlaygroundLoss,
} from './config.js';
import { DATASET_NAMES, type DatasetName } from './datasets.js';

// The playground's settings form: its controls, read as a checked config and written from one.

const input = (id: string) => byId(id, HTMLInputElement);
const select = (id: string) => byId(id, HTMLSelectElement);
/** The settings' controls on the page. */
export const controls = {
  dataset: select('dataset'),
  points: input('points'),
  noise: input('noise'),
  seed: input('seed'),
  hidden: input('hidden'),
  activation: select('activation'),
  loss: select('loss'),
  learningRate: input('learning-rate'),
  batchSize: input('batch-size'),
};

for (const [control, names] of [
  [controls.dataset, DATASET_NAMES],
  [controls.activation, HIDDEN_ACTIVATIONS],
  [controls.loss, PLAYGROUND_LOSSES],
] as const) {
  control.replaceChildren(...names.map((name) => element('option', { value: name }, name)));
}

/** The settings as the controls show them. */
export function readConfig(): PlaygroundConfig {
  return checkConfig({
    dataset: controls.dataset.value as DatasetName,
    points: Number(controls.points.value),
    noise: Number(controls.noise.value),
    seed: Number(controls.seed.value),
    hidden: parseHidden(controls.hidden.value),
    activation: controls.activation.value as PlaygroundConfig['activation'],
    loss: controls.loss.value as PlaygroundLoss,
    learningRate: Number(controls.learningRate.value),
    batchSize: Number(controls.batchSize.value),
  });
}

/** Shows `config` in the controls. */
export function writeConfig(config: PlaygroundConfig): void {
  controls.dataset.value = config.dataset;
  controls.points.value = String(config.points);
  controls.noise.value = String(config.noise);
  controls.seed.value = String(config.seed);
  controls.hidden.value = config.hidden.join(', ');
  controls.activation.value = config.activation;
  controls.loss.value = config.loss;
  controls.learningRate.value = String(config.learningRate);
  controls.batchSize.value = String(config.batchSize);
}
