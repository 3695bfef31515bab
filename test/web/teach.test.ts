import { describe, expect, it } from 'vitest';
import {
  DataError,
  ConfigError,
  chainRule,
  tableFromRecords,
} from '../../packages/core/src/index.js';
import { layoutGraph } from '../../web/chain-rule/layout.js';
import { backwardState, pathSums } from '../../web/chain-rule/progress.js';
import { formatVariables, parseVariables } from '../../web/chain-rule/variables.js';
import { parseCsvText, textColumns } from '../../web/playground/own/csv-text.js';
import { exportCode } from '../../web/playground/own/export-code.js';
import type { OwnRunConfig } from '../../web/playground/own/run-config.js';

// The pure parts of the teaching views, in Node: the page's CSV reader, the chain-rule page's
// variables, backward progress and layout, and the exported code's text.

describe('parseCsvText (the playground reads a CSV as loadCsv does)', () => {
  it('handles a BOM, CRLF, quoted fields with commas and line breaks, blank lines; trims names', () => {
    const csv = parseCsvText('\uFEFF a ,b\r\n1,"x, ""y"""\r\n\r\n2,"two\nlines"\r\n', 'f.csv');
    expect(csv.header).toEqual(['a', 'b']);
    expect(csv.records.map((r) => ({ ...r }))).toEqual([
      { a: '1', b: 'x, "y"' },
      { a: '2', b: 'two\nlines' },
    ]);
  });

  it('names the file and the row of a ragged row, a duplicated or unnamed column, no rows', () => {
    expect(() => parseCsvText('a,b\n1,2\n\n3\n', 'f.csv')).toThrow(
      new DataError('f.csv, row 4: expected 2 fields like the header, found 1'),
    );
    expect(() => parseCsvText('a,a\n1,2\n', 'f.csv')).toThrow(
      new DataError('f.csv, row 1: two columns are named "a"'),
    );
    expect(() => parseCsvText('a,\n1,2\n', 'f.csv')).toThrow(
      new DataError('f.csv, row 1: column 2 has no name'),
    );
    expect(() => parseCsvText('', 'f.csv')).toThrow(/f\.csv: the file is empty/);
    expect(() => parseCsvText('a,b\n', 'f.csv')).toThrow(/a header row and no data rows/);
    expect(() => parseCsvText('a,b\n1,"2\n', 'f.csv')).toThrow(/^f\.csv: /);
  });

  it('finds the text columns (not numbers, ISO dates or missing markers), and the library reads them', () => {
    const csv = parseCsvText(
      'n,day,colour,y\n1.5,2020-01-02,red,a\nNA,2020-02-03,blue,b\n-2,2020-03-04,?,a\n3,2020-04-05,red,b\n',
      'f.csv',
    );
    expect(textColumns(csv)).toEqual(['colour', 'y']);
    const data = tableFromRecords(
      csv.records,
      { target: 'y', categorical: ['colour'], dropMissing: true, test: 0 },
      'f.csv',
    );
    expect(data.x.rows).toBe(2); // rows with NA and ? dropped
  });
});

describe('the chain-rule page’s pure parts', () => {
  it('parseVariables reads "r = 3, s = −2" (typographic minus too) and names a bad part', () => {
    expect({ ...parseVariables('r = 3, s = −2; t=1e-3\nu = -0.5') }).toEqual({
      r: 3,
      s: -2,
      t: 0.001,
      u: -0.5,
    });
    expect(formatVariables({ r: 3, s: -2 })).toBe('r = 3, s = -2');
    expect(() => parseVariables('r = 3, s')).toThrow(
      new ConfigError('variables: expected name = number, e.g. r = 3; received "s"'),
    );
    expect(() => parseVariables('r = ')).toThrow(ConfigError);
  });

  it('backwardState accumulates the terms step by step, ending at Value’s gradients', () => {
    const rule = chainRule();
    const start = backwardState(rule, 0);
    expect(start.grads.every((g) => g === undefined)).toBe(true);
    expect(start.current).toBeUndefined();
    const first = backwardState(rule, 1);
    expect(first.grads.at(-1)).toBe(1);
    expect(first.complete.at(-1)).toBe(true);
    const s = rule.nodes.findIndex((node) => node.name === 's');
    expect(first.grads[s]).toBe(-18); // through z only, so far
    expect(first.complete[s]).toBe(false);
    const end = backwardState(rule, rule.steps.length);
    expect(end.grads).toEqual(rule.nodes.map((node) => node.grad));
    expect(end.complete.every(Boolean)).toBe(true);
    expect(() => backwardState(rule, rule.steps.length + 1)).toThrow(RangeError);
    expect(pathSums(rule).find((v) => v.name === 's')).toEqual({
      id: s,
      name: 's',
      terms: [-18, -18],
      grad: -36,
    });
  });

  it('layoutGraph puts inputs in column 0 and every node right of its inputs', () => {
    const rule = chainRule('a = tanh(x*w + b); f = a*a + x', { x: 1, w: 2, b: 3 });
    const { places, width, height } = layoutGraph(rule.nodes);
    for (const node of rule.nodes) {
      if (node.inputs.length === 0) expect(places[node.id]!.column).toBe(0);
      for (const input of node.inputs) expect(places[input]!.x).toBeLessThan(places[node.id]!.x);
      expect(places[node.id]!.x).toBeLessThanOrEqual(width);
      expect(places[node.id]!.y).toBeLessThanOrEqual(height);
    }
  });
});

describe('exportCode', () => {
  const config: OwnRunConfig = {
    file: "it's.csv",
    target: 'price',
    categorical: ['a\\b'],
    hidden: [4, 3],
    activation: 'relu',
    learningRate: 0.05,
    batchSize: 8,
    epochs: 12,
    seed: 7,
    test: 0.2,
    diagnose: false,
  };

  it('writes a regression run: linear outputs, MSE, quoted names escaped, no accuracy', () => {
    const records = Array.from({ length: 10 }, (_, i) => ({
      x: i,
      'a\\b': i % 2 ? 'p' : 'q',
      price: i * 2,
    }));
    const data = tableFromRecords(records, { target: 'price', categorical: ['a\\b'] });
    const code = exportCode(config, data);
    expect(code).toContain("const data = await loadCsv('it\\'s.csv', {");
    expect(code).toContain("  categorical: ['a\\\\b'],");
    expect(code).toContain("    new Dense(3, 4, { activation: 'relu' }),");
    expect(code).toContain("    new Dense(4, 3, { activation: 'relu' }),");
    expect(code).toContain("    new Dense(3, 1, { activation: 'linear' }),");
    expect(code).toContain("{ dtype: 'float64', seed: 7, backend: jsBackend }");
    expect(code).toContain(
      "  loss: 'mse',\n  learningRate: 0.05,\n  batchSize: 8,\n  epochs: 12,\n});",
    );
    expect(code).not.toContain('accuracy');
    expect(code).not.toContain('Diagnostics');
  });
});
