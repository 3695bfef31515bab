import { Matrix, type Sequential, type TabularData } from '../../../packages/core/src/browser.js';
import { element, showNumber } from '../../format.js';

/**
 * The confusion matrix as a table: a row per true class, a column per predicted class; each
 * count cell has `data-true` and `data-predicted` (class names) and its count in `data-value`.
 * @throws never
 */
export function renderConfusion(
  container: HTMLElement,
  classNames: readonly string[],
  counts: readonly (readonly number[])[],
): void {
  const table = element('table', { class: 'confusion' });
  const head = element('tr', {}, '');
  head.append(element('th', {}, 'true \\ predicted'));
  for (const name of classNames) head.append(element('th', {}, name));
  table.append(head);
  counts.forEach((row, t) => {
    const tr = element('tr');
    tr.append(element('th', {}, classNames[t]!));
    row.forEach((count, p) => {
      const cell = element('td', {
        class: t === p ? 'number correct' : 'number',
        'data-true': classNames[t]!,
        'data-predicted': classNames[p]!,
      });
      showNumber(cell, count, String(count));
      tr.append(cell);
    });
    table.append(tr);
  });
  container.replaceChildren(element('h3', {}, 'Confusion matrix (test rows)'), table);
}

/** Class colours: the playground's orange and blue first, then more. */
const COLOURS: readonly [number, number, number][] = [
  [245, 147, 34],
  [8, 119, 189],
  [46, 160, 67],
  [180, 60, 160],
  [200, 50, 50],
  [110, 110, 110],
];

/**
 * The decision regions of a classifier with two inputs: every pixel coloured by the class the
 * model predicts there (lighter where it is less sure), over the range of the scaled inputs
 * with a margin, and the training rows as dots of their class. The canvas gets `data-extent`
 * (x₁ min, x₁ max, x₂ min, x₂ max).
 * @throws never
 */
export function drawOwnBoundary(
  canvas: HTMLCanvasElement,
  model: Sequential,
  data: TabularData,
): void {
  const context = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const x = data.train.x;
  const range = [0, 1].map((c) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < x.rows; i++) {
      lo = Math.min(lo, x.get(i, c));
      hi = Math.max(hi, x.get(i, c));
    }
    const margin = 0.1 * (hi - lo || 1);
    return [lo - margin, hi + margin] as const;
  }) as [readonly [number, number], readonly [number, number]];
  canvas.dataset['extent'] = [...range[0], ...range[1]].join(',');
  const step = 4;
  const columns = Math.ceil(width / step);
  const rows = Math.ceil(height / step);
  const grid = new Matrix(columns * rows, 2, 'float64');
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      grid.set(
        r * columns + c,
        0,
        range[0][0] + ((c + 0.5) / columns) * (range[0][1] - range[0][0]),
      );
      grid.set(r * columns + c, 1, range[1][1] - ((r + 0.5) / rows) * (range[1][1] - range[1][0]));
    }
  }
  const output = model.predict(grid);
  for (let i = 0; i < grid.rows; i++) {
    let best = 0;
    for (let k = 1; k < output.cols; k++) if (output.get(i, k) > output.get(i, best)) best = k;
    const [red, green, blue] = COLOURS[best % COLOURS.length]!;
    const sure = output.get(i, best);
    context.fillStyle = `rgba(${red}, ${green}, ${blue}, ${0.15 + 0.45 * sure})`;
    context.clearRect((i % columns) * step, Math.floor(i / columns) * step, step, step);
    context.fillRect((i % columns) * step, Math.floor(i / columns) * step, step, step);
  }
  const labels = data.train.labels;
  for (let i = 0; i < x.rows; i++) {
    const px = ((x.get(i, 0) - range[0][0]) / (range[0][1] - range[0][0])) * width;
    const py = ((range[1][1] - x.get(i, 1)) / (range[1][1] - range[1][0])) * height;
    const [red, green, blue] = COLOURS[(labels?.[i] ?? 0) % COLOURS.length]!;
    context.fillStyle = `rgb(${red}, ${green}, ${blue})`;
    context.strokeStyle = '#fff';
    context.beginPath();
    context.arc(px, py, 3.5, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}
