import { expect } from 'vitest';

/**
 * The numbers of an equation's result, the rightmost block of the lines under the equation's
 * symbolic line (from the last ' = ' of its middle line, or the whole line when it has none),
 * each with the number of decimals it was printed with.
 */
export function result(text: string, equation: string): { value: number; decimals: number }[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`  ${equation}`);
  expect(start, equation).toBeGreaterThan(-1);
  const body: string[] = [];
  // After the label line, up to the blank line; not the summary lines ('W¹: …') or notes.
  for (let i = start + 2; i < lines.length && lines[i] !== ''; i++) {
    if (!/^ {4}(\S+: |\((?! ))/.test(lines[i]!)) body.push(lines[i]!);
  }
  const middle = body[Math.floor((body.length - 1) / 2)]!;
  const column = middle.lastIndexOf(' = ') < 0 ? 0 : middle.lastIndexOf(' = ') + 3;
  return body.flatMap((line) =>
    (line.slice(column).match(/-?\d+\.?\d*(e-?\d+)?/g) ?? []).map((token) => ({
      value: Number(token),
      decimals: /\.(\d+)/.exec(token)?.[1]!.length ?? 0,
    })),
  );
}

/** Every printed number equals the library's to the precision it was printed with. */
export function expectPrinted(text: string, equation: string, expected: ArrayLike<number>) {
  const printed = result(text, equation);
  expect(printed.map((p) => p.value).length, equation).toBe(expected.length);
  printed.forEach(({ value, decimals }, i) => {
    expect(Math.abs(value - expected[i]!), `${equation} [${i}]`).toBeLessThanOrEqual(
      0.5 * 10 ** -decimals * (1 + 1e-9),
    );
  });
}
