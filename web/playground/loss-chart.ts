import { svgElement } from '../format.js';

const WIDTH = 360;
const HEIGHT = 170;
const LEFT = 44;
const RIGHT = 10;
const TOP = 10;
const BOTTOM = 26;
/** Points drawn at most; longer runs are thinned evenly (the last epoch is always drawn). */
const MAX_POINTS = 600;

/**
 * The loss curve: the training loss of each epoch on a log scale, epochs along the bottom;
 * optionally a previous run's curve beside it (dashed, on the same axes). Each curve's
 * `data-epochs` holds the number of epochs plotted.
 */
export class LossChart {
  readonly #line: SVGPolylineElement;
  /** A path, not a polyline: `#loss-chart polyline` stays the current run's curve alone. */
  readonly #previous: SVGPathElement;
  readonly #axes: SVGGElement;

  constructor(svg: SVGSVGElement) {
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    svg.replaceChildren();
    this.#axes = svgElement('g', { class: 'axes' });
    this.#line = svgElement('polyline', { class: 'loss-line', fill: 'none', 'data-epochs': 0 });
    this.#previous = svgElement('path', {
      class: 'previous-line',
      fill: 'none',
      'data-epochs': 0,
    });
    svg.append(this.#axes, this.#previous, this.#line);
  }

  /** Redraws for the losses of epochs 1..losses.length, and a previous run's if given. */
  draw(losses: readonly number[], before: readonly number[] = []): void {
    const n = Math.max(losses.length, before.length);
    this.#axes.replaceChildren();
    this.#line.setAttribute('data-epochs', String(losses.length));
    this.#previous.setAttribute('data-epochs', String(before.length));
    const plotted = [...losses, ...before].filter((loss) => loss > 0 && Number.isFinite(loss));
    if (plotted.length === 0) {
      this.#line.setAttribute('points', '');
      this.#previous.setAttribute('d', '');
      this.#text(LEFT + 8, TOP + 20, 'Train to see the loss of each epoch.', 'start');
      return;
    }
    const low = Math.floor(Math.log10(Math.min(...plotted)));
    const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...plotted))));
    const x = (epoch: number) => LEFT + ((epoch - 1) / Math.max(1, n - 1)) * (WIDTH - LEFT - RIGHT);
    const y = (loss: number) =>
      TOP + ((high - Math.log10(loss)) / (high - low)) * (HEIGHT - TOP - BOTTOM);
    const step = Math.max(1, Math.ceil(n / MAX_POINTS));
    const line = (values: readonly number[]) => {
      const points: string[] = [];
      for (let i = 0; i < values.length; i += step) points.push(point(values, i));
      if ((values.length - 1) % step !== 0) points.push(point(values, values.length - 1));
      return points.filter((p) => p !== '').join(' ');
    };
    this.#line.setAttribute('points', line(losses));
    const previous = line(before);
    this.#previous.setAttribute('d', previous === '' ? '' : `M${previous.replaceAll(' ', ' L')}`);

    for (let power = low; power <= high; power++) {
      const ty = y(10 ** power);
      this.#axes.append(
        svgElement('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: ty, y2: ty, class: 'grid' }),
      );
      this.#text(LEFT - 4, ty + 4, power === 0 ? '1' : `1e${power}`, 'end');
    }
    this.#text(LEFT, HEIGHT - 8, 'epoch 1', 'start');
    this.#text(WIDTH - RIGHT, HEIGHT - 8, `epoch ${n}`, 'end');

    function point(values: readonly number[], i: number): string {
      const loss = values[i]!;
      if (!(loss > 0 && Number.isFinite(loss))) return '';
      return `${x(i + 1).toFixed(1)},${y(loss).toFixed(1)}`;
    }
  }

  #text(x: number, y: number, content: string, anchor: 'start' | 'end'): void {
    const text = svgElement('text', { x, y, 'text-anchor': anchor });
    text.textContent = content;
    this.#axes.append(text);
  }
}
