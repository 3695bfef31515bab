import { ConfigError } from '../errors.js';
import type { Explanation, GradientCheck, GradientEstimate } from './explanation.js';
import { formatNumbers, summaryLine } from './number-format.js';
import { explanationSteps, LECTURE_EQUATIONS, type Term } from './steps.js';
import { isLarge } from './summary.js';
import { parameterSymbol, positioned, superscript } from './symbols.js';
import { joinBlocks, matrixBlock, operatorBlock, scalarBlock, type Block } from './text-layout.js';

/** Options of the explanation formatters. */
export interface FormatOptions {
  /** Significant digits of the numbers, 1 to 17. Default 4. */
  digits?: number;
  /** Print large matrices whole instead of summarising them. Default false. */
  full?: boolean;
  /** Where the example came from, e.g. 'MNIST test image 0 (label 7)'. */
  source?: string;
}

/**
 * The explanation as aligned plain text: a header, the lecture's equations, then each step's
 * equation in symbols followed by its numbers, matrices and column vectors side by side with the
 * result last (`W¹ a⁰ + b¹ = z¹`), and the gradient check when present. Matrices with more than
 * 10 rows or columns show their first 5 rows and columns and a line with their shape, norm,
 * range and largest entries, unless `full`.
 * @throws {ConfigError} when digits is not an integer from 1 to 17.
 * @example
 * console.log(explanationToText(explain(lectureNetwork(), [0.5, -1, 2], [1, 0])));
 */
export function explanationToText(explanation: Explanation, options: FormatOptions = {}): string {
  const digits = checkDigits(options.digits);
  const full = options.full ?? false;
  const out: string[] = [
    ...header(explanation, digits, options.source),
    '',
    'The lecture’s equations',
  ];
  for (const equation of LECTURE_EQUATIONS) out.push(`  ${equation.text}`);
  const summarised = new Set<string>(); // each quantity's summary line is printed once
  for (const section of explanationSteps(explanation)) {
    out.push('', section.title);
    for (const equation of section.equations) {
      if (equation.heading !== undefined) out.push('', `  ${equation.heading}`);
      out.push('', `  ${equation.text}`);
      out.push(
        ...joinBlocks(
          equation.terms.map((term) => toBlock(term, digits, full)),
          '    ',
        ),
      );
      for (const term of equation.terms) {
        if (term.kind !== 'matrix' || full || summarised.has(term.symbol.text)) continue;
        const line = summaryLine(term.symbol.text, term.matrix, digits);
        if (line !== undefined) out.push(`    ${line}`);
        summarised.add(term.symbol.text);
      }
      if (equation.note !== undefined) out.push(`    (${equation.note})`);
    }
  }
  if (explanation.gradcheck) out.push('', ...gradcheckLines(explanation.gradcheck, explanation));
  return `${out.join('\n')}\n`;
}

/** The line that says an explanation shows a training pass. */
export const TRAINING_MODE =
  "a training step: Dropout's mask and GaussianNoise drawn, BatchNormalization on the example's statistics";

/**
 * Checks the digits option of the formatters.
 * @throws {ConfigError} unless an integer from 1 to 17.
 */
export function checkDigits(digits: number | undefined, option = 'digits'): number {
  const value = digits ?? 4;
  if (!Number.isInteger(value) || value < 1 || value > 17) {
    throw new ConfigError(`${option} must be an integer from 1 to 17; received ${value}`);
  }
  return value;
}

/**
 * A checked entry's name, 1-based: 'W²[1,3]' or 'b²[2]' for Dense layer l, 'γ⁽³⁾[2]' for a
 * parameter of the layer at position 3 that is not Dense.
 */
export function parameterName(entry: GradientEstimate, explanation: Explanation): string {
  const step = explanation.steps[entry.layer - 1]!;
  if (step.kind !== 'Dense') {
    return `${positioned(parameterSymbol(entry.parameter), entry.layer).text}[${entry.j}]`;
  }
  const base = `${entry.parameter === 'weights' ? 'W' : 'b'}${superscript(step.layer)}`;
  return entry.parameter === 'weights' ? `${base}[${entry.j},${entry.k}]` : `${base}[${entry.j}]`;
}

function header(explanation: Explanation, digits: number, source?: string): string[] {
  const { x, y } = explanation;
  const vector = (name: string, values: ArrayLike<number>) =>
    isLarge(1, values.length)
      ? `${name} has ${values.length} entries`
      : `${name} = [${formatNumbers(values, digits).join(', ')}]`;
  const focus = explanation.focus;
  return [
    `backprop explain: ${explanation.model}, ${explanation.dtype}`,
    `loss ${explanation.loss.name}, learning rate η = ${explanation.learningRate}`,
    `example${source ? ` (${source})` : ''}: ${vector('x = a⁰', x.data)}; ${vector('y', y.data)}`,
    ...(focus.layer === undefined
      ? []
      : [`focus: layer ${focus.layer}${focus.unit === undefined ? '' : `, unit ${focus.unit}`}`]),
    ...(explanation.training ? [TRAINING_MODE] : []),
  ];
}

function toBlock(term: Term, digits: number, full: boolean): Block {
  switch (term.kind) {
    case 'matrix':
      return matrixBlock(term.symbol.text, term.matrix, digits, full);
    case 'scalar':
      return scalarBlock(term.symbol.text, term.value, digits);
    case 'operator':
      return operatorBlock(term.text);
  }
}

function gradcheckLines(check: GradientCheck, explanation: Explanation): string[] {
  const { entries } = check;
  const names = entries.map((entry) => parameterName(entry, explanation));
  const numbers = formatNumbers(
    entries.flatMap((entry) => [entry.backprop, entry.estimate]),
    10,
  );
  const errors = entries.map((entry) => entry.relativeError.toExponential(1));
  const rows = [
    ['parameter', 'backprop', 'estimate', 'relative error'],
    ...entries.map((_, i) => [names[i]!, numbers[2 * i]!, numbers[2 * i + 1]!, errors[i]!]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const table = rows.map(
    (row) =>
      '  ' +
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  '),
  );
  const verdict =
    explanation.dtype === 'float64'
      ? check.maxRelativeError < 1e-6
        ? 'backprop agrees with the estimates'
        : 'backprop DISAGREES with the estimates'
      : 'a float32 model: expect relative errors up to about 1e-3';
  return [
    `Gradient check: backprop beside central differences (L(θ + h) − L(θ − h)) / 2h, ` +
      `h = ${check.epsilon.toExponential()}, in float64`,
    `  ${entries.length} of ${check.total} parameters checked` +
      (entries.length < check.total
        ? ' (those a summary shows and the largest gradients; all with full)'
        : ''),
    ...table,
    `  largest relative error ${check.maxRelativeError.toExponential(1)}: ${verdict}`,
  ];
}
