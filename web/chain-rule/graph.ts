import { chainRuleFormula, type ChainRule } from '../../packages/core/src/browser.js';
import { formatNumber, svgElement } from '../format.js';
import { layoutGraph } from './layout.js';
import type { BackwardState } from './progress.js';

/** Node radius, in SVG units. */
const RADIUS = 30;

/**
 * Draws the computational graph in an SVG: a circle per node with its names, what it computes,
 * its value and (once the backward pass has reached it) its gradient ∂f/∂node; an arrow per
 * input. The step just taken is highlighted: its node, and its edges labelled with the local
 * derivative used. Each node's group carries `data-id`, `data-name`, `data-value` and, once
 * known, `data-grad` (exact values) and `data-complete`.
 * @throws never
 */
export function drawGraph(svg: SVGSVGElement, rule: ChainRule, state: BackwardState): void {
  const { nodes, steps } = rule;
  const { places, width, height } = layoutGraph(nodes);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.style.width = `${width}px`;
  svg.style.height = `${height}px`;
  const step = state.current === undefined ? undefined : steps[state.current];
  const output = nodes.at(-1)!.name;
  const edges = svgElement('g', { class: 'edges' });
  const labels = svgElement('g', { class: 'edge-labels' });
  for (const node of nodes) {
    node.inputs.forEach((input, i) => {
      const from = places[input]!;
      const to = places[node.id]!;
      const active = step?.node === node.id;
      const angle = Math.atan2(to.y - from.y, to.x - from.x);
      const line = svgElement('line', {
        x1: from.x + RADIUS * Math.cos(angle),
        y1: from.y + RADIUS * Math.sin(angle),
        x2: to.x - RADIUS * Math.cos(angle),
        y2: to.y - RADIUS * Math.sin(angle),
        class: active ? 'edge active' : 'edge',
        'marker-end': 'url(#arrow)',
        'data-from': input,
        'data-to': node.id,
      });
      edges.append(line);
      if (!active) return;
      const term = step.terms[i]!;
      const label = svgElement('text', {
        x: (from.x + to.x) / 2,
        y: (from.y + to.y) / 2 - 6,
        class: 'edge-label',
        'data-local': term.local,
      });
      label.textContent = `∂${node.name}/∂${nodes[input]!.name} = ${term.formula} = ${formatNumber(term.local)}`;
      labels.append(label);
    });
  }
  const groups = nodes.map((node) => {
    const { x, y } = places[node.id]!;
    const grad = state.grads[node.id];
    const group = svgElement('g', {
      class: `node${step?.node === node.id ? ' current' : ''}${state.complete[node.id] ? ' complete' : ''}`,
      'data-id': node.id,
      'data-name': node.name,
      'data-value': node.value,
      transform: `translate(${x} ${y})`,
    });
    if (grad !== undefined) {
      group.setAttribute('data-grad', String(grad));
      group.setAttribute('data-complete', String(state.complete[node.id]));
    }
    const lines = [
      [node.names.join(' = '), 'name'],
      [chainRuleFormula(node, nodes), 'operation'],
      [`= ${formatNumber(node.value)}`, 'value'],
    ].filter(([text]) => text !== '');
    group.append(svgElement('circle', { r: RADIUS }));
    lines.forEach(([text, kind], i) => {
      const label = svgElement('text', { y: (i - (lines.length - 1) / 2) * 12 + 4, class: kind! });
      label.textContent = text!;
      group.append(label);
    });
    if (grad !== undefined) {
      const label = svgElement('text', { y: RADIUS + 14, class: 'grad' });
      label.textContent = `∂${output}/∂${node.name} = ${formatNumber(grad)}`;
      group.append(label);
    }
    return group;
  });
  const defs = svgElement('defs');
  const marker = svgElement('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svgElement('path', { d: 'M 0 0 L 10 5 L 0 10 z' }));
  defs.append(marker);
  svg.replaceChildren(defs, edges, ...groups, labels);
}
