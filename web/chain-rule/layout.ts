import type { ChainRuleNode } from '../../packages/core/src/browser.js';

/** A node's place in the drawing, in SVG units. */
export interface Placed {
  readonly x: number;
  readonly y: number;
  /** Its column: 0 for inputs, else 1 + its deepest input's column. */
  readonly column: number;
}

/** Spacing of the drawing: between columns and rows, and the margin. */
export const GRID = { column: 150, row: 90, margin: 60 } as const;

/**
 * Places a graph's nodes left to right: inputs in column 0, each other node one column right of
 * its deepest input, so every edge points right; within a column, nodes keep topological order,
 * centred vertically.
 * @param nodes - in topological order, as `chainRule` lists them
 * @returns one place per node, by id, and the drawing's width and height
 * @throws never
 */
export function layoutGraph(nodes: readonly ChainRuleNode[]): {
  places: Placed[];
  width: number;
  height: number;
} {
  const columns: number[] = [];
  for (const node of nodes) {
    columns[node.id] =
      node.inputs.length === 0 ? 0 : 1 + Math.max(...node.inputs.map((i) => columns[i]!));
  }
  const count = Math.max(...columns) + 1;
  const rows = Array.from(
    { length: count },
    (_, c) => columns.filter((column) => column === c).length,
  );
  const tallest = Math.max(...rows);
  const height = 2 * GRID.margin + (tallest - 1) * GRID.row;
  const seen = new Array<number>(count).fill(0);
  const places = nodes.map((node): Placed => {
    const column = columns[node.id]!;
    const row = seen[column]!++;
    const offset = ((tallest - rows[column]!) * GRID.row) / 2;
    return {
      x: GRID.margin + column * GRID.column,
      y: GRID.margin + offset + row * GRID.row,
      column,
    };
  });
  return { places, width: 2 * GRID.margin + (count - 1) * GRID.column, height };
}
