import { byId, element, showNumber } from '../format.js';
import { BoundaryPlot } from './boundary.js';
import { DATASET_NAMES, type DatasetName } from './datasets.js';
import { exportPlaygroundCode } from './export-playground.js';
import { renderExample, renderInspector } from './inspector.js';
import { LossChart } from './loss-chart.js';
import { NetworkView, type UnitRef } from './network.js';
import { connectLessons, lectureSubject } from './presets.js';
import { Session } from './session.js';
import { loadedSubject, StepThrough, sessionSubject, type Subject } from './step-through.js';
import { onStepThroughSource, stepThroughSource } from './step-source.js';
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
  lossChart.draw(session.losses);
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

/** Trains while `running`, one chunk of epochs per animation frame. */
async function loop(): Promise<void> {
  const id = ++generation;
  let epochsPerFrame = 1;
  while (running && id === generation) {
    const started = performance.now();
    try {
      await session.trainEpochs(epochsPerFrame);
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
byId('export-code', HTMLButtonElement).addEventListener('click', () => {
  const code = byId('playground-code', HTMLElement);
  try {
    code.textContent = exportPlaygroundCode({
      config: session.config,
      epochs: session.epoch,
      learningRate: session.learningRate,
      batchSize: session.batchSize,
      train: session.train,
    });
    code.hidden = false;
    report(null);
  } catch (error) {
    report(error);
  }
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

const stepThrough = new StepThrough({
  section: byId('step-through', HTMLElement),
  subject: byId('step-subject', HTMLElement),
  panel: byId('step-panel', HTMLElement),
  network: byId('step-network', SVGSVGElement),
  legend: byId('step-legend', HTMLElement),
  previous: byId('step-previous', HTMLButtonElement),
  next: byId('step-next', HTMLButtonElement),
  close: byId('step-close', HTMLButtonElement),
});
function openStepThrough(subject: Subject): void {
  try {
    stepThrough.open(subject);
    report(null);
  } catch (error) {
    report(error);
  }
}
byId('step-through-open', HTMLButtonElement).addEventListener('click', () =>
  openStepThrough(sessionSubject(session, selectedExample)),
);
// The own-data panel's model file, on its chosen example (the panel is built by own/main.ts).
onStepThroughSource(() => {
  const button = document.getElementById('own-model-step');
  if (button === null) return;
  button.hidden = false;
  button.onclick = () => {
    const source = stepThroughSource();
    if (source !== undefined) openStepThrough(loadedSubject(source));
  };
});
connectLessons(select('lesson'), byId('lesson-text', HTMLElement), (lesson) => {
  if (lesson.config === undefined) return openStepThrough(lectureSubject());
  stepThrough.close();
  writeConfig(lesson.config);
  rebuild();
});

setRunning(false);
rebuild();
