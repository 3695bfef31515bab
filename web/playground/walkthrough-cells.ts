import {
  ConfigError,
  type ExplanationJSON,
  type LayerJSON,
  type ValuesJSON,
} from '../../packages/core/src/browser.js';
import type { Cell, Term } from './walkthrough.js';

// Reading numbers out of explain's JSON with their paths (`layers.0.z.2`, `y.1`, …): what the
// walk-through shows, and where a test finds each number again.

/** The matrices of a Dense layer in the JSON (every field but `layer` and `activation`). */
export type LayerField = Exclude<keyof LayerJSON, 'layer' | 'activation'>;

/** The weights that colour the drawing's edges: Wˡ, ∂L/∂Wˡ or Wˡ after the update. */
export type EdgeKind = 'weights' | 'gradient' | 'updated';

const EDGE_FIELDS: Readonly<Record<EdgeKind, LayerField>> = {
  weights: 'weights',
  gradient: 'gradWeights',
  updated: 'updatedWeights',
};

/** The numbers of an explanation's JSON, as cells with their paths. */
export interface Quantities {
  /**
   * A field of Dense layer l as a labelled term: a vector as the lecture's column (`column`)
   * or as a row, a matrix as it is, or transposed (`transposed`, cells keep their paths).
   */
  values(
    label: string,
    l: number,
    field: LayerField,
    shape?: 'column' | 'row' | 'transposed',
  ): Term;
  /** A vector field of layer l, one cell per unit. */
  vector(l: number, field: LayerField): Cell[];
  /** The weights of layer l that colour the edges: [nˡ, nˡ⁻¹]. */
  edges(l: number, kind: EdgeKind): Cell[][];
  /** x or y of the example as a labelled column. */
  example(label: string, which: 'x' | 'y'): Term;
  /** The loss value, `loss.value`. */
  loss(): Term;
}

/**
 * The cells of an explanation's JSON whose layers are all Dense (`layers[l − 1]` is layer l).
 * @throws {ConfigError} (when read) for a summarised matrix or a missing field.
 */
export function quantities(json: ExplanationJSON, layers: readonly LayerJSON[]): Quantities {
  const field = (l: number, name: LayerField): ValuesJSON =>
    numbers(layers[l - 1]![name], `layers.${l - 1}.${name}`);
  const cellsOf = (values: ValuesJSON, path: string): Cell[][] =>
    isMatrix(values)
      ? values.map((row, j) => row.map((value, k) => ({ value, path: `${path}.${j}.${k}` })))
      : [(values as number[]).map((value, i) => ({ value, path: `${path}.${i}` }))];
  const vectorCells = (l: number, name: LayerField): Cell[] =>
    cellsOf(field(l, name), `layers.${l - 1}.${name}`).flat();
  const column = (cells: Cell[]): Cell[][] => cells.map((cell) => [cell]);
  return {
    values(label, l, name, shape = 'row') {
      const path = `layers.${l - 1}.${name}`;
      const cells = cellsOf(field(l, name), path);
      if (shape === 'column') return { kind: 'values', label, cells: column(cells.flat()) };
      if (shape === 'transposed') {
        const transposed = cells[0]!.map((_, k) => cells.map((row) => row[k]!));
        return { kind: 'values', label, cells: transposed };
      }
      return { kind: 'values', label, cells };
    },
    vector: vectorCells,
    edges: (l, kind) =>
      cellsOf(field(l, EDGE_FIELDS[kind]), `layers.${l - 1}.${EDGE_FIELDS[kind]}`),
    example: (label, which) => ({
      kind: 'values',
      label,
      cells: column(cellsOf(numbers(json[which], which), which).flat()),
    }),
    loss: () => ({
      kind: 'values',
      label: 'L',
      cells: [[{ value: json.loss.value, path: 'loss.value' }]],
    }),
  };
}

/** An operator term: +, =, ⊙, … */
export function op(text: string): Term {
  return { kind: 'operator', text };
}

function isMatrix(values: ValuesJSON): values is number[][] {
  return Array.isArray(values) && Array.isArray(values[0]);
}

/** The numbers of a JSON field, refusing a summary or null. */
function numbers(values: ValuesJSON | null | undefined, path: string): ValuesJSON {
  if (values === null || values === undefined || !Array.isArray(values)) {
    throw new ConfigError(
      `the step-through needs every number of ${path}; explain's JSON has ${values === null || values === undefined ? 'none' : 'a summary'}`,
    );
  }
  return values;
}
