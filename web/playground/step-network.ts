import type { Sequential } from '../../packages/core/src/browser.js';
import { formatNumber, showNumber, svgElement } from '../format.js';
import { cssColour } from './colours.js';
import { NetworkView } from './network.js';
import type { EdgeColouring, Step } from './walkthrough.js';

/** What the caption says the edges show. */
const EDGE_CAPTIONS: Readonly<Record<EdgeColouring['kind'], string>> = {
  weights: 'w',
  gradient: '∂L/∂w',
  updated: 'w after the update',
};

/**
 * The network drawing of the step-through: the playground's {@link NetworkView} layout, with the
 * units of the step's layer highlighted and their numbers written beside them (each a `text`
 * with `data-path` and `data-value`), the other units dimmed, and every weight line coloured by
 * the step's {@link EdgeColouring} of its layer (blue positive, orange negative, thicker the
 * larger its magnitude relative to the largest in its layer; `data-kind` names what).
 */
export class StepNetwork {
  readonly #svg: SVGSVGElement;
  readonly #view: NetworkView;

  constructor(svg: SVGSVGElement) {
    this.#svg = svg;
    this.#view = new NetworkView(svg, () => undefined);
  }

  /**
   * Draws `model`'s units and weights as `step` colours them.
   * @returns what the lines show, e.g. 'lines: w in layer 1; ∂L/∂w in layer 2'
   */
  show(model: Sequential, step: Step): string {
    this.#view.build(model);
    this.#svg.querySelector('.unit-values')?.remove();
    const labels = svgElement('g', { class: 'unit-values' });
    for (const unit of this.#svg.querySelectorAll<SVGGElement>('.unit')) {
      const active = Number(unit.dataset['layer']) === step.layer;
      unit.classList.toggle('step-active', active);
      unit.classList.toggle('step-dim', !active);
      const circle = unit.querySelector('circle')!;
      const cell = active ? step.units[Number(unit.dataset['unit'])] : undefined;
      circle.setAttribute('fill', cell === undefined ? '#fff' : cssColour(cell.value));
      if (cell === undefined) continue;
      const text = svgElement('text', {
        x: circle.getAttribute('cx')!,
        y: Number(circle.getAttribute('cy')) - 16,
        'text-anchor': 'middle',
        'data-path': cell.path,
      });
      showNumber(text, cell.value, formatNumber(cell.value));
      labels.append(text);
    }
    this.#svg.append(labels);
    const layersOf = new Map<string, number[]>();
    for (const colouring of step.edges) {
      const largest = Math.max(0, ...colouring.cells.flat().map((cell) => Math.abs(cell.value)));
      for (const line of this.#svg.querySelectorAll<SVGLineElement>(
        `.weights line[data-layer="${colouring.layer}"]`,
      )) {
        const cell = colouring.cells[Number(line.dataset['unit'])]![Number(line.dataset['input'])]!;
        const strength = largest > 0 ? Math.abs(cell.value) / largest : 0;
        line.setAttribute('stroke', cssColour(Math.sign(cell.value) * (0.35 + 0.65 * strength)));
        line.setAttribute('stroke-width', (0.5 + 5 * strength).toFixed(2));
        line.setAttribute('data-kind', colouring.kind);
        line.setAttribute('data-path', cell.path);
        line.setAttribute('data-value', String(cell.value));
      }
      const caption = EDGE_CAPTIONS[colouring.kind];
      layersOf.set(caption, [...(layersOf.get(caption) ?? []), colouring.layer]);
    }
    const parts = [...layersOf].map(
      ([caption, layers]) =>
        `${caption} in layer${layers.length > 1 ? 's' : ''} ${layers.join(', ')}`,
    );
    return `Lines: ${parts.join('; ')}.`;
  }
}
