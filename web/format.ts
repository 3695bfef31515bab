/**
 * A number as the pages show it: 5 significant digits, exponent form below 1e-4 and from 1e6
 * on (e.g. 0.12346, -3.1416e-7, 0); the exact value goes in a `data-value` attribute.
 */
export function formatNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e6) return value.toExponential(4);
  return String(Number(value.toPrecision(5)));
}

/**
 * Shows a number in an element: the text rounded by {@link formatNumber}, and the exact value
 * (`String(value)`, which reads back to the same double) in `data-value` for tests and tools.
 */
export function showNumber(element: Element, value: number, text = formatNumber(value)): void {
  element.textContent = text;
  element.setAttribute('data-value', String(value));
}

/** The element with this id, of the expected type, or an error naming the id. */
export function byId<T extends Element>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return element;
}

/** Creates an element with attributes and text. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  if (text !== undefined) created.textContent = text;
  return created;
}

/** The SVG namespace, for document.createElementNS. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes. */
export function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const created = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  return created;
}
