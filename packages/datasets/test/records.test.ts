import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../core/src/errors.js';
import { loadRecords } from '../src/records.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-records-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('loadRecords', () => {
  it('loads objects like CSV rows: keys are columns, numbers may be text', async () => {
    const data = await loadRecords(
      [
        { size: 1, weight: '2.5', kind: 'small' },
        { size: 3, weight: 4, kind: 'large' },
        { weight: 5, size: 2, kind: 'small' }, // key order does not matter
      ],
      { target: 'kind', scale: 'none', test: 0, dtype: 'float64' },
    );
    expect(data.featureNames).toEqual(['size', 'weight']);
    expect(data.x.toArray()).toEqual([
      [1, 2.5],
      [3, 4],
      [2, 5],
    ]);
    expect(data.classNames).toEqual(['large', 'small']);
    expect(data.source).toBe('records');
  });

  it('treats null, an absent key and NaN as missing, naming records[i] (0-based, as in JSON)', async () => {
    const records = [
      { a: 1, label: 'x' },
      { a: null, label: 'y' },
      { label: 'x' },
      { a: Number.NaN, label: 'y' },
      { a: 2, label: 'y' },
    ];
    await expect(loadRecords(records, { target: 'label', test: 0 })).rejects.toThrow(
      /^records, records\[1\], column "a": missing value \(null\); 3 of 5 rows have a missing value/,
    );
    const data = await loadRecords(records, { target: 'label', test: 0, dropMissing: true });
    expect(data.dropped).toBe(3);
    expect(data.x.rows).toBe(2);
  });

  it('reads a JSON file and names it in errors', async () => {
    const path = join(directory, 'r.json');
    writeFileSync(
      path,
      JSON.stringify([
        { a: 1, b: 'x' },
        { a: true, b: 'y' },
      ]),
    );
    await expect(loadRecords(path, { target: 'b' })).rejects.toThrow(
      /r\.json, records\[1\], column "a": expected a number, found true/,
    );
  });

  const cases: [string, string, RegExp][] = [
    ['text that is not JSON', '[{"a": 1},', /: expected JSON records, found text that is not JSON/],
    [
      'an object instead of an array',
      '{"a": 1}',
      /: expected an array of records \(objects\), found an object$/,
    ],
    [
      'an element that is not an object',
      '[{"a": 1}, [1, 2]]',
      /, records\[1\]: expected an object, found an array$/,
    ],
    ['an empty array', '[]', /: expected at least one data row after the header, found none$/],
  ];
  it.each(cases)('rejects %s', async (_, text, message) => {
    const path = join(directory, 'bad.json');
    writeFileSync(path, text);
    const error = await loadRecords(path, { target: 'a' }).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(path);
  });

  it('rejects a file that does not exist', async () => {
    await expect(loadRecords(join(directory, 'none.json'), { target: 'a' })).rejects.toThrow(
      /^cannot read JSON file .*none\.json: no such file$/,
    );
  });
});
