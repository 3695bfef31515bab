import type { Sequential } from '../model/sequential.js';
import { Matrix } from '../tensor/matrix.js';
import type { Explanation, GradientCheck, StepExplanation } from './explanation.js';
import {
  centralDifferences,
  type CheckSettings,
  type ParameterIndex,
} from './finite-differences.js';
import { shownSteps } from './sequence.js';
import { isLarge, largestEntries, shownIndices, SUMMARY_LARGEST } from './summary.js';

/**
 * The central-difference check of every trainable parameter of the layers in the focus (of
 * the focused unit's weights and bias with a unit focus): Dense layers' W and b, and the other
 * layers' γ, β, … ; for a large tensor only the entries a summary shows unless `full`.
 * @returns the entries in layer order, each parameter's row-major
 * @throws never
 */
export function checkGradients(
  model: Sequential,
  explanation: Explanation,
  settings: CheckSettings,
): GradientCheck {
  const { unit } = explanation.focus;
  const indices: ParameterIndex[] = [];
  const gradients: Matrix[] = [];
  let total = 0;
  for (const step of shownSteps(explanation)) {
    for (const { name, gradient } of parametersOf(step)) {
      // A vector (b, γ, β) is a column: select along its units, as for the rows of W.
      const grid = name === 'weights' ? gradient : new Matrix(gradient.cols, 1, gradient.data);
      const rows = unit === undefined ? range(grid.rows) : [unit - 1];
      total += rows.length * grid.cols;
      for (const [row, col] of selectEntries(grid, rows, settings.full)) {
        const [r, c] = name === 'weights' ? [row, col] : [0, row];
        indices.push({ layer: step.position, parameter: name, row: r, col: c });
        gradients.push(gradient);
      }
    }
  }
  const estimates = centralDifferences(model, explanation, settings, indices);
  const entries = indices.map((index, i) => {
    const backprop = gradients[i]!.get(index.row, index.col);
    const estimate = estimates[i]!;
    const scale = Math.max(Math.abs(backprop), Math.abs(estimate), 1e-8);
    return {
      layer: index.layer,
      parameter: index.parameter,
      j: (index.parameter === 'weights' ? index.row : index.col) + 1,
      k: index.parameter === 'weights' ? index.col + 1 : 1,
      backprop,
      estimate,
      relativeError: Math.abs(backprop - estimate) / scale,
    };
  });
  const maxRelativeError = Math.max(0, ...entries.map((entry) => entry.relativeError));
  return { epsilon: settings.epsilon, entries, total, maxRelativeError };
}

/** A step's trainable parameters with their gradients, in the layer's order. */
function parametersOf(step: StepExplanation): { name: string; gradient: Matrix }[] {
  if (step.kind !== 'Dense') return step.parameters;
  return [
    { name: 'weights', gradient: step.gradWeights },
    { name: 'bias', gradient: step.gradBias },
  ];
}

/**
 * The [row, col] pairs to check among `rows` of a gradient: all of them when `full` or small,
 * else the first rows and columns a summary shows plus the largest gradients, in row-major order.
 */
function selectEntries(grid: Matrix, rows: number[], full: boolean): [number, number][] {
  const all = (row: number) => range(grid.cols).map((col): [number, number] => [row, col]);
  if (full || !isLarge(rows.length, grid.cols)) return rows.flatMap(all);
  const keys = new Set<number>();
  const cols = shownIndices(grid.cols, true);
  for (const row of shownIndices(rows.length, true)) {
    for (const col of cols) keys.add(rows[row]! * grid.cols + col);
  }
  const focused = new Matrix(rows.length, grid.cols, grid.dtype);
  rows.forEach((row, i) => focused.data.set(grid.row(row), i * grid.cols));
  for (const entry of largestEntries(focused, SUMMARY_LARGEST)) {
    keys.add(rows[entry.row]! * grid.cols + entry.col);
  }
  return [...keys]
    .sort((p, q) => p - q)
    .map((key) => [Math.floor(key / grid.cols), key % grid.cols]);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
