import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite chart to SVG text in Node, headless: the spec is compiled to Vega and
 * drawn by a Vega View with no renderer attached (`View.toSVG()`), which needs no browser and
 * no canvas. Lines are `<path>` elements of the `mark-line` group, points `mark-symbol`.
 * @param spec - a Vega-Lite spec whose data is inlined
 * @returns the SVG document, with a white background
 * @throws when the spec is not valid Vega-Lite (vega's error)
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.background('white').toSVG();
  } finally {
    view.finalize();
  }
}
