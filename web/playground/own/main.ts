import { byId, element, showNumber } from '../../format.js';
import { HIDDEN_ACTIVATIONS, parseHidden } from '../config.js';
import { renderDiagnostics } from '../diagnostics-panel.js';
import { LossChart } from '../loss-chart.js';
import { setStepThroughSource, type StepThroughSource } from '../step-source.js';
import type { CsvText } from './csv-text.js';
import type { OwnRun } from './own-run.js';
import { OWN_PANEL_HTML } from './panel-html.js';
import type { OwnRunConfig } from './run-config.js';
import { drawOwnBoundary, renderConfusion } from './views.js';
import type { ActivationName, Sequential } from '../../../packages/core/src/browser.js';

// The playground's "Your data and your model" panel: a CSV trained in the page, the code that
// reproduces the run, and a model file shown with the lecture's derivation on one example.
// The CSV reader (csv-parse), the training (tableFromRecords, Diagnostics), the exported code
// and the derivation (explain) load when first used, so that the playground's first page load
// does not pay for them (see web/README.md).

const panel = byId('own-data', HTMLElement);
panel.innerHTML = OWN_PANEL_HTML;
const input = (id: string) => byId(id, HTMLInputElement);
const target = byId('own-target', HTMLSelectElement);
const activation = byId('own-activation', HTMLSelectElement);
const trainButton = byId('own-train', HTMLButtonElement);
const exportButton = byId('own-export', HTMLButtonElement);
const problem = byId('own-error', HTMLElement);
const modelProblem = byId('own-model-error', HTMLElement);
const results = byId('own-results', HTMLElement);
const boundary = byId('own-boundary', HTMLCanvasElement);
const diagnosticsPanel = byId('own-diagnostics', HTMLElement);
const code = byId('own-code', HTMLElement);
const exampleInput = input('own-example');
const lossChart = new LossChart(byId('own-loss-chart', SVGSVGElement));
activation.replaceChildren(...HIDDEN_ACTIVATIONS.map((name) => element('option', {}, name)));

let csv: CsvText | undefined;
/** The CSV's columns of text, offered as categorical. */
let textColumnNames: string[] = [];
let modelFiles: typeof import('./model-file.js') | undefined;
let run: OwnRun | undefined;
let loaded: { model: Sequential; examples: StepThroughSource[] } | undefined;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function readConfig(data: CsvText): OwnRunConfig {
  const categorical = [...panel.querySelectorAll<HTMLInputElement>('[data-categorical]')]
    .filter((box) => box.checked && box.value !== target.value)
    .map((box) => box.value);
  return {
    file: data.source,
    target: target.value,
    categorical,
    hidden: parseHidden(input('own-hidden').value),
    activation: activation.value as ActivationName,
    learningRate: Number(input('own-learning-rate').value),
    batchSize: Number(input('own-batch-size').value),
    epochs: Number(input('own-epochs').value),
    seed: Number(input('own-seed').value),
    test: 0.2,
    diagnose: input('own-diagnose').checked,
  };
}

/** The target menu (default the last column), then the categorical boxes. */
function showColumns(data: CsvText): void {
  target.replaceChildren(...data.header.map((name) => element('option', {}, name)));
  target.value = data.header.at(-1)!;
  showCategorical();
}

/** A box per input column of text, checked: one-hot encode it. */
function showCategorical(): void {
  const text = textColumnNames.filter((name) => name !== target.value);
  const boxes = element('div');
  boxes.append('Categorical (one-hot) inputs: ');
  for (const name of text) {
    const box = element('input', { type: 'checkbox', value: name, 'data-categorical': '' });
    box.checked = true;
    const label = element('label', { class: 'inline' });
    label.append(box, ` ${name}`);
    boxes.append(label);
  }
  if (text.length === 0) boxes.append('none (every column holds numbers)');
  byId('own-categorical', HTMLElement).replaceChildren(boxes);
}

function render(current: OwnRun): void {
  const scores = current.scores();
  const list = byId('own-scores', HTMLElement);
  const items: [string, string, number, string?][] = [
    ['Epoch', 'own-epoch', current.losses.length, String(current.losses.length)],
    ['Training loss', 'own-train-loss', scores.loss],
    ['Test loss', 'own-test-loss', scores.testLoss],
  ];
  if (scores.accuracy !== undefined) {
    items.push([
      'Training accuracy',
      'own-train-accuracy',
      scores.accuracy,
      percent(scores.accuracy),
    ]);
    items.push([
      'Test accuracy',
      'own-test-accuracy',
      scores.testAccuracy!,
      percent(scores.testAccuracy!),
    ]);
  }
  list.replaceChildren(
    ...items.flatMap(([title, id, value, text]) => {
      const dd = element('dd', { id });
      showNumber(dd, value, text);
      return [element('dt', {}, title), dd];
    }),
  );
  lossChart.draw(current.losses);
  results.dataset['losses'] = JSON.stringify(current.losses);
  const { data } = current;
  boundary.hidden = !(data.task === 'classification' && data.featureNames.length === 2);
  if (!boundary.hidden) drawOwnBoundary(boundary, current.model, data);
  const confusion = byId('own-confusion', HTMLElement);
  if (scores.confusion) renderConfusion(confusion, data.classNames!, scores.confusion);
  else confusion.replaceChildren();
  diagnosticsPanel.hidden = current.diagnostics === undefined;
  if (current.diagnostics) renderDiagnostics(diagnosticsPanel, current.diagnostics.epochs.at(-1));
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

async function train(): Promise<void> {
  if (csv === undefined) return;
  trainButton.disabled = true;
  exportButton.disabled = true;
  code.hidden = true;
  code.textContent = '';
  results.dataset['state'] = 'training';
  try {
    const { OwnRun } = await import('./own-run.js');
    run = new OwnRun(csv, readConfig(csv));
    problem.textContent = '';
    let drawn = performance.now();
    const current = run;
    await current.train(async () => {
      if (performance.now() - drawn < 50) return;
      render(current);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      drawn = performance.now();
    });
    render(current);
    exportButton.disabled = false;
  } catch (error) {
    problem.textContent = message(error);
  }
  trainButton.disabled = false;
  results.dataset['state'] = 'trained';
}

/** Shows example `exampleInput` of the loaded model: summary, derivation; hands it to Step through. */
function showExample(): void {
  if (loaded === undefined) return;
  const i = Math.min(Number(exampleInput.value) || 0, loaded.examples.length - 1);
  exampleInput.value = String(i);
  exampleInput.max = String(loaded.examples.length - 1);
  const example = loaded.examples[i]!;
  try {
    byId('own-model-explain', HTMLElement).textContent = modelFiles!.explainExample(example);
    modelProblem.textContent = '';
    setStepThroughSource(example);
  } catch (error) {
    modelProblem.textContent = message(error);
  }
}

function loadExamples(): void {
  if (loaded === undefined) return;
  try {
    loaded.examples = modelFiles!.modelExamples(loaded.model, csv);
  } catch (error) {
    modelProblem.textContent = message(error);
    loaded.examples = modelFiles!.modelExamples(loaded.model, undefined);
  }
  showExample();
}

input('own-csv').addEventListener('change', async () => {
  const file = input('own-csv').files?.[0];
  if (file === undefined) return;
  try {
    const { parseCsvText, textColumns } = await import('./csv-text.js');
    csv = parseCsvText(await file.text(), file.name);
    textColumnNames = textColumns(csv);
    showColumns(csv);
    problem.textContent = '';
    trainButton.disabled = false;
    panel.dataset['csv'] = `${csv.records.length} rows`;
  } catch (error) {
    problem.textContent = message(error);
  }
  loadExamples();
});
target.addEventListener('change', () => {
  if (csv !== undefined) showCategorical();
});
trainButton.addEventListener('click', () => void train());
exportButton.addEventListener('click', async () => {
  if (run === undefined) return;
  const { exportCode } = await import('./export-code.js');
  code.textContent = exportCode(run.config, run.data);
  code.hidden = false;
});
input('own-model').addEventListener('change', async () => {
  const file = input('own-model').files?.[0];
  if (file === undefined) return;
  try {
    modelFiles ??= await import('./model-file.js');
    const model = modelFiles.loadModelText(await file.text(), file.name);
    byId('own-model-summary', HTMLElement).textContent = model.summary();
    loaded = { model, examples: [] };
    modelProblem.textContent = '';
    loadExamples();
  } catch (error) {
    modelProblem.textContent = message(error);
  }
});
exampleInput.addEventListener('change', showExample);
