import { byId, element, showNumber } from '../format.js';
import { BoundaryPlot } from './boundary.js';
import { DATASET_NAMES, type DatasetName } from './datasets.js';
import { renderExample, renderInspector } from './inspector.js';
import { LossChart } from './loss-chart.js';
import { NetworkView, type UnitRef } from './network.js';
import { Session } from './session.js';
import { describeChange, replaySegments, type ReplaySegment, type RunRecord } from './replay.js';
import {
  DEFAULT_CONFIG,
  HIDDEN_ACTIVATIONS,
  PLAYGROUND_LOSSES,
  checkConfig,
  parseHidden,
  type PlaygroundConfig,
  type PlaygroundLoss,
} from './config.js';

// The playground page: settings on the left; training runs in chunks of epochs, one `fit` call
// per animation frame (sized to take about 10–20 ms), and the page redraws after each chunk.

const input = (id: string) => byId(id, HTMLInputElement);
const select = (id: string) => byId(id, HTMLSelectElement);
const controls = {
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
const trainButton = byId('train', HTMLButtonElement);
const stepButton = byId('step', HTMLButtonElement);
const resetButton = byId('reset', HTMLButtonElement);
const replayButton = byId('replay', HTMLButtonElement);
const compareLabel = byId('compare', HTMLElement);
const status = byId('status', HTMLElement);
const problem = byId('error', HTMLElement);
const exampleInput = input('example');
const boundary = new BoundaryPlot(byId('boundary', HTMLCanvasElement));
const lossChart = new LossChart(byId('loss-chart', SVGSVGElement));
const network = new NetworkView(byId('network', SVGSVGElement), (unit) => {
  selectedUnit = unit;
  render();
});
const inspector = byId('inspector', HTMLElement);
const examplePanel = byId('example-values', HTMLElement);

for (const [control, names] of [
  [controls.dataset, DATASET_NAMES],
  [controls.activation, HIDDEN_ACTIVATIONS],
  [controls.loss, PLAYGROUND_LOSSES],
] as const) {
  control.replaceChildren(...names.map((name) => element('option', { value: name }, name)));
}
writeConfig(DEFAULT_CONFIG);

let session = new Session(DEFAULT_CONFIG);
let selectedUnit: UnitRef = outputUnit(session);
let selectedExample = 0;
let running = false;
/** Bumped by each start, so that a loop still finishing its chunk after a pause ends quietly. */
let generation = 0;
/** The run before the current one (kept by a rebuild that drops a trained run), to compare. */
let previous: { record: RunRecord; losses: number[] } | undefined;

/** The settings as the controls show them. */
function readConfig(): PlaygroundConfig {
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

function writeConfig(config: PlaygroundConfig): void {
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

function outputUnit(current: Session): UnitRef {
  return { layer: current.model.layers.length, unit: 0 };
}

/** Shows a problem (or clears it with null). */
function report(error: unknown): void {
  problem.textContent =
    error === null ? '' : error instanceof Error ? error.message : String(error);
}

/** Starts over from freshly initialised weights with the settings shown. */
function rebuild(): void {
  try {
    const next = new Session(readConfig());
    session.end();
    if (session.epoch > 0) previous = { record: session.record, losses: [...session.losses] };
    session = next;
    report(null);
  } catch (error) {
    report(error);
    return;
  }
  selectedExample = Math.min(selectedExample, session.train.x.rows - 1);
  exampleInput.max = String(session.train.x.rows - 1);
  exampleInput.value = String(selectedExample);
  const sizes = [2, ...session.config.hidden, 1];
  if (selectedUnit.layer >= sizes.length || selectedUnit.unit >= sizes[selectedUnit.layer]!) {
    selectedUnit = outputUnit(session);
  }
  render();
}

/** Redraws everything for the current weights. */
function render(): void {
  const scores = session.scores();
  showNumber(byId('epoch', HTMLElement), session.epoch, String(session.epoch));
  showNumber(byId('train-loss', HTMLElement), scores.loss);
  showNumber(byId('train-accuracy', HTMLElement), scores.accuracy, percent(scores.accuracy));
  showNumber(byId('test-loss', HTMLElement), scores.testLoss);
  showNumber(byId('test-accuracy', HTMLElement), scores.testAccuracy, percent(scores.testAccuracy));
  const inspection = session.inspect(selectedExample);
  boundary.draw(session, selectedExample);
  lossChart.draw(session.losses, previous?.losses);
  compareLabel.textContent =
    previous === undefined
      ? ''
      : `Dashed: the previous run, ${describeChange(previous.record, session.record.config)}.`;
  network.update(session.model, inspection, selectedUnit);
  renderInspector(inspector, session, inspection, selectedUnit);
  renderExample(examplePanel, inspection);
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

function setRunning(value: boolean): void {
  running = value;
  trainButton.textContent = value ? 'Pause' : 'Train';
  stepButton.disabled = value;
  status.dataset['state'] = value ? 'training' : 'paused';
  status.textContent = value ? 'training…' : 'paused';
}

/**
 * Trains while `running`, one chunk of epochs per animation frame; with a replay plan, each of
 * its stretches with its settings, and then stops.
 */
async function loop(plan?: ReplaySegment[]): Promise<void> {
  const id = ++generation;
  let epochsPerFrame = 1;
  while (running && id === generation) {
    let epochs = epochsPerFrame;
    if (plan !== undefined) {
      const segment = plan[0];
      if (segment === undefined) break;
      session.setOptimization(segment.learningRate, segment.batchSize);
      controls.learningRate.value = String(segment.learningRate);
      controls.batchSize.value = String(segment.batchSize);
      epochs = Math.min(epochs, segment.epochs);
      segment.epochs -= epochs;
      if (segment.epochs === 0) plan.shift();
    }
    const started = performance.now();
    try {
      await session.trainEpochs(epochs);
    } catch (error) {
      report(error);
      break;
    }
    const elapsed = performance.now() - started;
    if (elapsed < 8 && epochsPerFrame < 512) epochsPerFrame *= 2;
    else if (elapsed > 24 && epochsPerFrame > 1) epochsPerFrame = Math.floor(epochsPerFrame / 2);
    render();
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  if (id === generation) setRunning(false);
}

trainButton.addEventListener('click', () => {
  if (running) {
    running = false; // the loop stops after its current chunk and marks the page paused
    return;
  }
  setRunning(true);
  void loop();
});
stepButton.addEventListener('click', async () => {
  stepButton.disabled = true;
  try {
    await session.trainEpochs(1);
  } catch (error) {
    report(error);
  }
  stepButton.disabled = running;
  render();
});
resetButton.addEventListener('click', rebuild);
// Replay: back to epoch 0 with the same initial weights, then as many epochs as the run had,
// exactly as it ran (η and batch-size changes included) when the settings shown are those it
// started from, else with the settings shown, to compare the two loss curves.
replayButton.addEventListener('click', () => {
  const run = session.epoch > 0 ? { record: session.record, losses: session.losses } : previous;
  if (run === undefined) return;
  running = false;
  rebuild();
  const shown = session.record.config;
  const exact = JSON.stringify(shown) === JSON.stringify(run.record.config);
  const plan = replaySegments(
    exact ? run.record : { config: shown, changes: [] },
    run.losses.length,
  );
  setRunning(true);
  void loop(plan);
});
for (const control of [
  controls.dataset,
  controls.points,
  controls.noise,
  controls.seed,
  controls.hidden,
  controls.activation,
  controls.loss,
]) {
  control.addEventListener('change', rebuild);
}
for (const control of [controls.learningRate, controls.batchSize]) {
  control.addEventListener('change', () => {
    try {
      session.setOptimization(
        Number(controls.learningRate.value),
        Number(controls.batchSize.value),
      );
      report(null);
    } catch (error) {
      report(error);
    }
    if (!running) render();
  });
}
exampleInput.addEventListener('change', () => {
  const value = Number(exampleInput.value);
  if (Number.isInteger(value) && value >= 0 && value < session.train.x.rows) {
    selectedExample = value;
    render();
  } else {
    exampleInput.value = String(selectedExample);
  }
});
byId('boundary', HTMLCanvasElement).addEventListener('click', (event) => {
  selectedExample = boundary.nearestExample(session, event.clientX, event.clientY);
  exampleInput.value = String(selectedExample);
  render();
});

setRunning(false);
rebuild();
