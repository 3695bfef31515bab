import { byId, showNumber } from '../format.js';
import { BoundaryPlot } from './boundary.js';
import { DiagnosticsToggle } from './diagnostics-toggle.js';
import { exportPlaygroundCode } from './export-playground.js';
import { renderExample, renderInspector } from './inspector.js';
import { LossChart } from './loss-chart.js';
import { NetworkView, type UnitRef } from './network.js';
import { connectLessons, lectureSubject } from './presets.js';
import { Session } from './session.js';
import { loadedSubject, StepThrough, sessionSubject, type Subject } from './step-through.js';
import { onStepThroughSource, stepThroughSource } from './step-source.js';
import { describeChange, replaySegments, type ReplaySegment, type RunRecord } from './replay.js';
import { DEFAULT_CONFIG } from './config.js';
import { controls, readConfig, writeConfig } from './controls.js';

// The playground page: settings on the left; training runs in chunks of epochs, one `fit` call
// per animation frame (sized to take about 10–20 ms), and the page redraws after each chunk.

const input = (id: string) => byId(id, HTMLInputElement);
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
const diagnostics = new DiagnosticsToggle(input('diagnose'), byId('diagnostics', HTMLElement), () =>
  render(),
);

writeConfig(DEFAULT_CONFIG);

let session = new Session(DEFAULT_CONFIG);
let selectedUnit: UnitRef = outputUnit(session);
let selectedExample = 0;
let running = false;
/** Bumped by each start, so that a loop still finishing its chunk after a pause ends quietly. */
let generation = 0;
/** The run before the current one (kept by a rebuild that drops a trained run), to compare. */
let previous: { record: RunRecord; losses: number[] } | undefined;

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
    diagnostics.attach(session);
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
  diagnostics.render(session);
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
byId('export-code', HTMLButtonElement).addEventListener('click', () => {
  const code = byId('playground-code', HTMLElement);
  try {
    const change = session.record.changes[0];
    if (change !== undefined) {
      throw new Error(
        `Export as code writes one η and batch size; this run changed them after epoch ` +
          `${change.epoch}: Reset, then train with the settings to export`,
      );
    }
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
connectLessons(byId('lesson', HTMLSelectElement), byId('lesson-text', HTMLElement), (lesson) => {
  if (lesson.config === undefined) return openStepThrough(lectureSubject());
  stepThrough.close();
  writeConfig(lesson.config);
  rebuild();
});

setRunning(false);
rebuild();
