import { Matrix, modelFromJSON, type Sequential } from '../../packages/core/src/browser.js';
import { byId, element, showNumber } from '../format.js';
import { SIDE, toMnistInput } from './preprocess.js';

// The digits page: draw on the pad, see the 28 × 28 input and the model's output for it.

const pad = byId('pad', HTMLCanvasElement);
const padContext = pad.getContext('2d', { willReadFrequently: true })!;
const preview = byId('preview', HTMLCanvasElement);
const previewContext = preview.getContext('2d')!;
const probabilities = byId('probabilities', HTMLOListElement);
const prediction = byId('prediction', HTMLElement);
const status = byId('model-status', HTMLElement);
/** Stroke width on the 280 × 280 pad: about 2 MNIST pixels once scaled into the 20-pixel box. */
const BRUSH = 24;

let model: Sequential | undefined;
let pending = false;

const bars = Array.from({ length: 10 }, (_, digit) => {
  const bar = element('div', { class: 'bar' });
  const value = element('span', { class: 'value' }, '—');
  const item = element('li', { 'data-digit': String(digit) });
  item.append(element('span', {}, String(digit)), element('div', { class: 'track' }), value);
  item.children[1]!.append(bar);
  probabilities.append(item);
  return { item, bar, value };
});

function clear(): void {
  padContext.fillStyle = '#000';
  padContext.fillRect(0, 0, pad.width, pad.height);
  update();
}

/** Recomputes the input and the output at the next animation frame (once per frame). */
function schedule(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    update();
  });
}

/** The model's input for the drawing (drawn in the preview), then its output. */
function update(): void {
  const { data } = padContext.getImageData(0, 0, pad.width, pad.height);
  const ink = new Float32Array(pad.width * pad.height);
  for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i]! / 255;
  const input = toMnistInput(ink, pad.width, pad.height);
  const image = previewContext.createImageData(SIDE, SIDE);
  input.forEach((v, i) => {
    const grey = Math.round(v * 255);
    image.data.set([grey, grey, grey, 255], 4 * i);
  });
  previewContext.putImageData(image, 0, 0);
  if (model === undefined) return;
  const x = new Matrix(1, SIDE * SIDE, model.dtype);
  x.data.set(input);
  const output = model.predict(x).data;
  let best = 0;
  output.forEach((p, digit) => {
    if (p > output[best]!) best = digit;
    const { bar, value } = bars[digit]!;
    showNumber(value, p, `${(100 * p).toFixed(1)}%`);
    bar.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
  });
  bars.forEach(({ item }, digit) => item.classList.toggle('predicted', digit === best));
  const inked = input.some((v) => v > 0);
  prediction.textContent = inked ? String(best) : '';
  prediction.dataset['digit'] = inked ? String(best) : '';
}

/** Uses a parsed model file, if it is a 784-input, 10-output model. */
function load(json: unknown, source: string): void {
  let loaded: Sequential;
  try {
    loaded = modelFromJSON(json);
  } catch (error) {
    fail(`${source}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (loaded.inputs !== SIDE * SIDE || loaded.outputs !== 10) {
    fail(
      `${source}: this page needs a model with 784 inputs (28 × 28 pixels) and 10 outputs; ` +
        `found ${loaded}`,
    );
    return;
  }
  model = loaded;
  const accuracy = lastTestAccuracy(json);
  status.textContent =
    `Loaded ${source}: ${loaded}, ${loaded.dtype}` +
    (accuracy === undefined ? '' : `, test accuracy ${(100 * accuracy).toFixed(2)}%`) +
    (loaded.denseLayers.at(-1)!.activation.name === 'softmax'
      ? ''
      : ' (the output layer is not softmax: its outputs are not probabilities)');
  status.dataset['state'] = 'loaded';
  update();
}

function fail(message: string): void {
  status.textContent = message;
  status.dataset['state'] = 'error';
}

/** The last epoch's test accuracy recorded by `backprop train`, when the file has it. */
function lastTestAccuracy(json: unknown): number | undefined {
  const history = (json as { metadata?: { history?: { testAccuracy?: unknown }[] } }).metadata
    ?.history;
  const value = Array.isArray(history) ? history.at(-1)?.testAccuracy : undefined;
  return typeof value === 'number' ? value : undefined;
}

async function fetchModel(url: string): Promise<void> {
  status.textContent = `Loading ${url}…`;
  status.dataset['state'] = 'loading';
  try {
    const response = await fetch(url);
    if (!response.ok) {
      fail(`could not load ${url}: ${response.status} ${(await response.text()).slice(0, 200)}`);
      return;
    }
    load(await response.json(), url);
  } catch (error) {
    fail(`could not load ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Drawing: white strokes on black, with the pointer (mouse, pen or touch).
let drawing = false;
function point(event: PointerEvent): [number, number] {
  const box = pad.getBoundingClientRect();
  return [
    ((event.clientX - box.left) / box.width) * pad.width,
    ((event.clientY - box.top) / box.height) * pad.height,
  ];
}
pad.addEventListener('pointerdown', (event) => {
  drawing = true;
  pad.setPointerCapture(event.pointerId);
  const [x, y] = point(event);
  padContext.strokeStyle = '#fff';
  padContext.lineWidth = BRUSH;
  padContext.lineCap = 'round';
  padContext.lineJoin = 'round';
  padContext.beginPath();
  padContext.moveTo(x, y);
  padContext.lineTo(x, y);
  padContext.stroke();
  schedule();
});
pad.addEventListener('pointermove', (event) => {
  if (!drawing) return;
  const [x, y] = point(event);
  padContext.lineTo(x, y);
  padContext.stroke();
  padContext.beginPath();
  padContext.moveTo(x, y);
  schedule();
});
for (const type of ['pointerup', 'pointercancel'] as const) {
  pad.addEventListener(type, () => {
    drawing = false;
    update();
  });
}
byId('clear', HTMLButtonElement).addEventListener('click', clear);
byId('model-file', HTMLInputElement).addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file === undefined) return;
  try {
    load(JSON.parse(await file.text()), file.name);
  } catch (error) {
    fail(`${file.name}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
});
byId('model-form', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  void fetchModel(byId('model-url', HTMLInputElement).value);
});

clear();
const fromQuery = new URLSearchParams(location.search).get('model');
if (fromQuery !== null) {
  byId('model-url', HTMLInputElement).value = fromQuery;
  void fetchModel(fromQuery);
} else {
  status.textContent = 'No model yet: choose a model file, or load one by its path.';
}
