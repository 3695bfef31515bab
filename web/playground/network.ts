import type { Sequential } from '../../packages/core/src/browser.js';
import { svgElement } from '../format.js';
import { cssColour } from './colours.js';
import type { Inspection } from './session.js';

/** A unit of the network: layer l (0 is the input) and unit j (0-based). */
export interface UnitRef {
  layer: number;
  unit: number;
}

const WIDTH = 400;
const HEIGHT = 300;
const MARGIN = 28;
const RADIUS = 13;

/**
 * The network drawn as units and weights: a line per weight w_jk, blue when positive and orange
 * when negative, thicker and darker the larger |w_jk| is (relative to the largest); each unit
 * filled with its activation aˡⱼ for the inspected example. Clicking a unit (or Enter on it)
 * selects it for the inspector.
 *
 * The elements are built once per architecture and updated in place, so a click is never lost
 * to a redraw while training runs. Units carry `data-layer` and `data-unit`; weights
 * `data-layer`, `data-unit` (j) and `data-input` (k).
 */
export class NetworkView {
  readonly #svg: SVGSVGElement;
  readonly #onSelect: (unit: UnitRef) => void;
  #sizes: number[] = [];
  #edges: SVGLineElement[][] = [];
  #units: SVGGElement[][] = [];

  constructor(svg: SVGSVGElement, onSelect: (unit: UnitRef) => void) {
    this.#svg = svg;
    this.#onSelect = onSelect;
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  }

  /** Lays out the units and weights of a model (when its layer sizes changed). */
  build(model: Sequential): void {
    const sizes = [model.inputs, ...model.denseLayers.map((layer) => layer.outputs)];
    if (sizes.join() === this.#sizes.join()) return;
    this.#sizes = sizes;
    const position = (layer: number, unit: number): [number, number] => {
      const x = MARGIN + (layer * (WIDTH - 2 * MARGIN)) / (sizes.length - 1);
      const n = sizes[layer]!;
      const spacing = Math.min(44, (HEIGHT - 2 * MARGIN) / Math.max(1, n - 1));
      return [x, HEIGHT / 2 + (unit - (n - 1) / 2) * spacing];
    };
    const edges = svgElement('g', { class: 'weights' });
    const units = svgElement('g', { class: 'units' });
    this.#edges = [[]];
    this.#units = [];
    for (let l = 1; l < sizes.length; l++) {
      const layerEdges: SVGLineElement[] = [];
      for (let j = 0; j < sizes[l]!; j++) {
        for (let k = 0; k < sizes[l - 1]!; k++) {
          const [x1, y1] = position(l - 1, k);
          const [x2, y2] = position(l, j);
          const line = svgElement('line', {
            x1,
            y1,
            x2,
            y2,
            'data-layer': l,
            'data-unit': j,
            'data-input': k,
          });
          layerEdges.push(line);
          edges.append(line);
        }
      }
      this.#edges.push(layerEdges);
    }
    sizes.forEach((n, l) => {
      const layerUnits: SVGGElement[] = [];
      for (let j = 0; j < n; j++) {
        const [cx, cy] = position(l, j);
        const label = l === 0 ? `x${j + 1}` : l === sizes.length - 1 ? 'ŷ' : `${j + 1}`;
        const unit = svgElement('g', {
          class: 'unit',
          'data-layer': l,
          'data-unit': j,
          role: 'button',
          tabindex: 0,
          'aria-label': l === 0 ? `input x${j + 1}` : `layer ${l}, unit ${j + 1}`,
        });
        const circle = svgElement('circle', { cx, cy, r: RADIUS });
        const text = svgElement('text', { x: cx, y: cy + 4, 'text-anchor': 'middle' });
        text.textContent = label;
        unit.append(circle, text);
        unit.addEventListener('click', () => this.#onSelect({ layer: l, unit: j }));
        unit.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            this.#onSelect({ layer: l, unit: j });
          }
        });
        layerUnits.push(unit);
        units.append(unit);
      }
      this.#units.push(layerUnits);
    });
    const caption = svgElement('text', { x: WIDTH / 2, y: HEIGHT - 6, 'text-anchor': 'middle' });
    caption.setAttribute('class', 'caption');
    caption.textContent = sizes.join(' – ');
    this.#svg.replaceChildren(edges, units, caption);
  }

  /** Colours the weights and the units for the current weights and the inspected example. */
  update(model: Sequential, inspection: Inspection, selected: UnitRef): void {
    this.build(model);
    let largest = 0;
    for (const layer of model.denseLayers) {
      for (const w of layer.weights.data) largest = Math.max(largest, Math.abs(w));
    }
    model.denseLayers.forEach((layer, i) => {
      const weights = layer.weights.data;
      this.#edges[i + 1]!.forEach((line, index) => {
        const w = weights[index]!;
        const strength = largest > 0 ? Math.abs(w) / largest : 0;
        const into = selected.layer === i + 1 && Number(line.dataset['unit']) === selected.unit;
        line.setAttribute('stroke', cssColour(Math.sign(w) * (0.35 + 0.65 * strength)));
        line.setAttribute('stroke-width', (0.5 + 5 * strength).toFixed(2));
        line.setAttribute('class', into ? 'into-selected' : '');
      });
    });
    this.#units.forEach((layerUnits, l) => {
      const a = inspection.trace.a[l]!;
      layerUnits.forEach((unit, j) => {
        const circle = unit.firstElementChild!;
        circle.setAttribute('fill', cssColour(a.get(0, j)));
        unit.classList.toggle('selected', l === selected.layer && j === selected.unit);
      });
    });
  }
}
