import type { Matrix } from '../tensor/matrix.js';
import type { Explanation, GradientCheck } from './explanation.js';
import { formatNumbers, summaryLine } from './number-format.js';
import { explanationSteps, LECTURE_EQUATIONS, type Term } from './steps.js';
import { isLarge, shownIndices } from './summary.js';
import { checkDigits, parameterName, TRAINING_MODE, type FormatOptions } from './text.js';

/**
 * The explanation as Markdown with LaTeX math (`$$…$$` display blocks, as GitHub, Jupyter,
 * Obsidian and KaTeX/MathJax pages render them): the lecture's equations, then each step in
 * symbols and in numbers with `bmatrix` matrices labelled by `\underbrace`, and the gradient
 * check as a table. Large matrices are summarised as in the plain text (first rows and columns
 * with ⋯ and ⋮, and a line with shape, norm and largest entries) unless `full`.
 * @throws {ConfigError} when digits is not an integer from 1 to 17.
 */
export function explanationToMarkdown(
  explanation: Explanation,
  options: FormatOptions = {},
): string {
  const digits = checkDigits(options.digits);
  const full = options.full ?? false;
  const { x, y, focus } = explanation;
  const out = [
    `# Backpropagation, step by step`,
    '',
    `Model \`${explanation.model}\` (${explanation.dtype}); loss \`${explanation.loss.name}\`; ` +
      `learning rate $\\eta = ${explanation.learningRate}$.`,
    '',
    `Example${options.source ? ` (${options.source})` : ''}: ` +
      `$x = a^{0} = ${vector(x, digits, full)}$, $y = ${vector(y, digits, full)}$.` +
      (focus.layer === undefined
        ? ''
        : ` Focus: layer ${focus.layer}${focus.unit === undefined ? '' : `, unit ${focus.unit}`}.`) +
      (explanation.training ? ` ${TRAINING_MODE[0]!.toUpperCase()}${TRAINING_MODE.slice(1)}.` : ''),
    '',
    `## The lecture's equations`,
    '',
    ...LECTURE_EQUATIONS.map((equation) => `$$${equation.latex}$$`),
  ];
  const summarised = new Set<string>(); // each quantity's summary line is printed once
  for (const section of explanationSteps(explanation)) {
    out.push('', `## ${section.title.replace(/η = (.*)$/, '$\\eta = $1$')}`);
    for (const equation of section.equations) {
      if (equation.heading !== undefined) out.push('', `**${equation.heading}**`);
      out.push('', `$$${equation.latex}$$`, '');
      out.push(`$$${equation.terms.map((term) => toLatex(term, digits, full)).join(' ')}$$`);
      for (const term of equation.terms) {
        if (term.kind !== 'matrix' || full || summarised.has(term.symbol.latex)) continue;
        const line = summaryLine(`$${term.symbol.latex}$`, term.matrix, digits, (name) =>
          name.replace(/^\$(.*)\$$/, '$\\lVert $1 \\rVert$'),
        );
        if (line !== undefined) out.push('', line);
        summarised.add(term.symbol.latex);
      }
      if (equation.note !== undefined) out.push('', `*${equation.note}*`);
    }
  }
  if (explanation.gradcheck) out.push('', ...gradcheckTable(explanation.gradcheck, explanation));
  return `${out.join('\n')}\n`;
}

/** A number in LaTeX: 1.5e-3 → 1.5 \times 10^{-3}. */
function latexNumber(text: string): string {
  const match = /^(-?[\d.]+)e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  return `${match[1]} \\times 10^{${Number(match[2])}}`;
}

/** A matrix as a bmatrix, summarised with \cdots, \vdots and \ddots when large. */
function bmatrix(matrix: Matrix, digits: number, full: boolean): string {
  const summarised = !full && isLarge(matrix.rows, matrix.cols);
  const rows = shownIndices(matrix.rows, summarised);
  const cols = shownIndices(matrix.cols, summarised);
  const text = formatNumbers(
    rows.flatMap((i) => cols.map((j) => matrix.get(i, j))),
    digits,
  ).map(latexNumber);
  const moreCols = cols.length < matrix.cols;
  const lines = rows.map((_, i) => {
    const cells = text.slice(i * cols.length, (i + 1) * cols.length);
    return [...cells, ...(moreCols ? ['\\cdots'] : [])].join(' & ');
  });
  if (rows.length < matrix.rows) {
    lines.push([...cols.map(() => '\\vdots'), ...(moreCols ? ['\\ddots'] : [])].join(' & '));
  }
  return `\\begin{bmatrix} ${lines.join(' \\\\ ')} \\end{bmatrix}`;
}

/** A [1, n] example vector, written as the transpose of a row (the lecture's column). */
function vector(m: Matrix, digits: number, full: boolean): string {
  return `${bmatrix(m, digits, full)}^{\\top}`;
}

function toLatex(term: Term, digits: number, full: boolean): string {
  switch (term.kind) {
    case 'matrix':
      return `\\underbrace{${bmatrix(term.matrix, digits, full)}}_{${term.symbol.latex}}`;
    case 'scalar':
      return `\\underbrace{${latexNumber(formatNumbers([term.value], digits)[0]!)}}_{${term.symbol.latex}}`;
    case 'operator':
      return term.latex;
  }
}

function gradcheckTable(check: GradientCheck, explanation: Explanation): string[] {
  const numbers = formatNumbers(
    check.entries.flatMap((entry) => [entry.backprop, entry.estimate]),
    10,
  );
  return [
    `## Gradient check`,
    '',
    `Backprop's gradient beside the central difference $(L(\\theta + h) - L(\\theta - h)) / 2h$, ` +
      `$h = ${latexNumber(check.epsilon.toExponential())}$, in float64; ${check.entries.length} of ${check.total} parameters.`,
    '',
    '| parameter | backprop | estimate | relative error |',
    '| --- | ---: | ---: | ---: |',
    ...check.entries.map(
      (entry, i) =>
        `| ${parameterName(entry, explanation)} | ${numbers[2 * i]} | ${numbers[2 * i + 1]} | ` +
        `${entry.relativeError.toExponential(1)} |`,
    ),
    '',
    `Largest relative error: ${check.maxRelativeError.toExponential(1)}.`,
  ];
}
