import { Matrix } from '../tensor/matrix.js';
import { symbol, type Symbol } from './symbols.js';

/** One piece of an equation's numeric form: a matrix or vector, a number, or an operator. */
export type Term =
  | { kind: 'matrix'; symbol: Symbol; matrix: Matrix }
  | { kind: 'scalar'; symbol: Symbol; value: number }
  | { kind: 'operator'; text: string; latex: string };

/** An equation in symbols, then in numbers: `terms` read left to right, the result last. */
export interface Equation {
  text: string;
  latex: string;
  terms: Term[];
  /** A remark printed under the equation. */
  note?: string;
  /** A line printed above the equation: the layer it belongs to, e.g. 'layer 2, Dropout(0.5)'. */
  heading?: string;
}

/** A titled group of equations (forward propagation, the loss, backpropagation, the update). */
export interface Section {
  title: string;
  equations: Equation[];
}

/** An operator such as = or ⊙, in text and LaTeX. */
export const op = (text: string, latex = text): Term => ({ kind: 'operator', text, latex });
export const EQUALS = op('=');
/** A matrix (or vector) term with its label. */
export const matrix = (s: Symbol, m: Matrix): Term => ({ kind: 'matrix', symbol: s, matrix: m });
/** A number with its label. */
export const scalar = (s: Symbol, value: number): Term => ({ kind: 'scalar', symbol: s, value });
/** A [1, n] row as the lecture's column vector [n, 1] (same data). */
export const column = (m: Matrix): Matrix => new Matrix(m.cols, 1, m.data);
/** A [1, n] vector as the lecture's column, labelled. */
export const vector = (s: Symbol, m: Matrix): Term => matrix(s, column(m));
/** Row j of a matrix as a [1, cols] row (same data). */
export const rowOf = (m: Matrix, j: number): Matrix => new Matrix(1, m.cols, m.row(j));
/** Column j of a matrix as a [1, rows] row (a copy). */
export const columnOf = (m: Matrix, j: number): Matrix =>
  new Matrix(
    1,
    m.rows,
    Float64Array.from({ length: m.rows }, (_, i) => m.get(i, j)),
  );

/** mᵀ, a copy. */
export function transpose(m: Matrix): Matrix {
  const out = new Matrix(m.cols, m.rows, m.dtype);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.set(j, i, m.get(i, j));
  return out;
}

/** 2 → '²'. */
export function sup(n: number): string {
  return symbol('', n).text;
}

/** 2 → '₂'. */
export function sub(n: number): string {
  return symbol('', undefined, [n]).text;
}
