import type { Matrix } from '../tensor/matrix.js';
import { formatNumbers } from './number-format.js';
import { isLarge, shownIndices } from './summary.js';

/** A rectangle of text: a label line above a body, all lines `width` characters. */
export interface Block {
  label: string;
  body: string[];
  width: number;
}

/**
 * A matrix in brackets with its label above, numbers right-aligned per column so that the
 * decimal points line up:
 * ```
 *        W¹
 * ⎡ 0.1000 -0.2000 ⎤
 * ⎣ 0.4000  0.5000 ⎦
 * ```
 * A large matrix (unless `full`) shows its first rows and columns, then ⋮ and ⋯.
 * @throws never
 */
export function matrixBlock(label: string, matrix: Matrix, digits: number, full: boolean): Block {
  const summarised = !full && isLarge(matrix.rows, matrix.cols);
  const rows = shownIndices(matrix.rows, summarised);
  const cols = shownIndices(matrix.cols, summarised);
  const moreRows = rows.length < matrix.rows;
  const moreCols = cols.length < matrix.cols;
  const text = formatNumbers(
    rows.flatMap((i) => cols.map((j) => matrix.get(i, j))),
    digits,
  );
  const cell = (i: number, j: number) => text[i * cols.length + j]!;
  const widths = cols.map((_, j) => Math.max(...rows.map((_, i) => cell(i, j).length)));
  const lines = rows.map((_, i) => {
    const cells = cols.map((_, j) => cell(i, j).padStart(widths[j]!));
    return cells.join('  ') + (moreCols ? '  ⋯' : '');
  });
  if (moreRows) {
    lines.push(widths.map((w) => '⋮'.padStart(w)).join('  ') + (moreCols ? '  ⋱' : ''));
  }
  return block(label, bracket(lines));
}

/** A number with its label above. */
export function scalarBlock(label: string, value: number, digits: number): Block {
  return block(label, formatNumbers([value], digits));
}

/** An operator (=, +, ⊙, …) with no label. */
export function operatorBlock(text: string): Block {
  return block('', [text]);
}

/**
 * Places blocks side by side, one space apart, bodies centred vertically on one another and
 * labels on a common line above them; trailing blanks are removed.
 * @returns the lines, the label line first
 */
export function joinBlocks(blocks: readonly Block[], indent: string): string[] {
  const height = Math.max(...blocks.map((b) => b.body.length));
  const lines = Array.from({ length: height + 1 }, () => indent);
  for (const [n, b] of blocks.entries()) {
    const gap = n === 0 ? '' : ' ';
    const top = Math.floor((height - b.body.length) / 2);
    lines[0] += gap + centre(b.label, b.width);
    for (let i = 0; i < height; i++) {
      const line = b.body[i - top];
      lines[i + 1] += gap + (line ?? '').padEnd(b.width);
    }
  }
  return lines.map((line) => line.trimEnd());
}

function block(label: string, body: string[]): Block {
  const width = Math.max(label.length, ...body.map((line) => line.length));
  const pad = Math.floor((width - Math.max(...body.map((line) => line.length))) / 2);
  return { label, body: body.map((line) => ' '.repeat(pad) + line), width };
}

/** Square brackets drawn over one or more lines. */
function bracket(lines: string[]): string[] {
  const width = Math.max(...lines.map((line) => line.length));
  const padded = lines.map((line) => line.padEnd(width));
  if (padded.length === 1) return [`[ ${padded[0]} ]`];
  return padded.map((line, i) => {
    const [left, right] = i === 0 ? '⎡⎤' : i === padded.length - 1 ? '⎣⎦' : '⎢⎥';
    return `${left} ${line} ${right}`;
  });
}

function centre(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return (' '.repeat(left) + text).padEnd(width);
}
