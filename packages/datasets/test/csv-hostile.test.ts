import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../core/src/errors.js';
import { parseDate } from '../../core/src/data/columns.js';
import { loadCsv, MAX_RECORD_CHARS, readCsvRows } from '../src/csv.js';
import { preprocessRows } from '../../core/src/data/preprocess.js';
import { loadRecords } from '../src/records.js';

// Issue 15: hostile CSV files (huge records, prototype keys, early years, overflowing values).

const directory = mkdtempSync(join(tmpdir(), 'backprop-csv-hostile-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
function csv(text: string | Uint8Array): string {
  const path = join(directory, `f${++files}.csv`);
  writeFileSync(path, text);
  return path;
}

describe('a record longer than 16 MiB', () => {
  it('is a DataError naming the file and the row, for readCsvRows and loadCsv', async () => {
    expect(MAX_RECORD_CHARS).toBe(16 * 1024 * 1024);
    // Two good rows, a blank line, then 17 MiB without a line end (as /dev/zero would give).
    const head = new TextEncoder().encode('a,b\n1,2\n\n3,');
    const bytes = new Uint8Array(head.length + 17 * 2 ** 20).fill(0x37);
    bytes.set(head);
    const path = csv(bytes);
    const message = `${path}, row 4: expected a line end within 16777216 characters (16 MiB), found a longer record; is it a CSV file?`;
    const rows: number[] = [];
    await expect(
      (async () => {
        for await (const { row } of readCsvRows(path)) rows.push(row);
      })(),
    ).rejects.toThrow(new DataError(message));
    expect(rows).toEqual([2]);
    await expect(loadCsv(path, { target: 'b' })).rejects.toThrow(new DataError(message));
  });

  it('a file longer than 16 MiB in all, of shorter rows, is read whole', async () => {
    const line = `${'7'.repeat(1000)},${'8'.repeat(1000)}\n`;
    const path = csv(`a,b\n${line.repeat(9000)}`); // 18 MB
    let count = 0;
    for await (const { values } of readCsvRows(path)) count += values[1]!.length === 1000 ? 1 : 0;
    expect(count).toBe(9000);
  });
});

describe('columns named like Object.prototype members', () => {
  it('__proto__ and constructor are fields of the record like any other', async () => {
    const path = csv('__proto__,constructor,toString\n1,2,3\n');
    const rows = [];
    for await (const row of readCsvRows(path)) rows.push(row);
    const { record } = rows[0]!;
    expect(Object.keys(record)).toEqual(['__proto__', 'constructor', 'toString']);
    expect([record['__proto__'], record['constructor'], record['toString']]).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(Object.getPrototypeOf(record)).toBe(null);
  });

  it('loadCsv trains on a __proto__ column', async () => {
    const path = csv('__proto__,y\n1,10\n2,20\n3,30\n4,40\n');
    const data = await loadCsv(path, { target: 'y', scale: 'none', scaleTargets: false, test: 0 });
    expect(data.featureNames).toEqual(['__proto__']);
    expect(Array.from(data.x.data)).toEqual([1, 2, 3, 4]);
  });

  it('a record without a constructor field reads as missing, not as Object', async () => {
    const records = JSON.parse(
      '[{"constructor": 1, "y": 1}, {"y": 2}, {"constructor": 3, "y": 3}]',
    );
    await expect(loadRecords(records, { target: 'y', test: 0 })).rejects.toThrow(
      'records, records[1], column "constructor": missing value (nothing)',
    );
    const preprocessing = (
      await loadRecords(JSON.parse('[{"__proto__": 1, "y": 1}, {"__proto__": 2, "y": 2}]'), {
        target: 'y',
        scale: 'none',
        test: 0,
      })
    ).preprocessing;
    const rows = [JSON.parse('{"__proto__": 5}') as Record<string, unknown>];
    expect(Array.from(preprocessRows(preprocessing, rows).x.data)).toEqual([5]);
    expect(() => preprocessRows(preprocessing, [{}])).toThrow('column "__proto__": missing value');
  });
});

describe('ISO dates in years 0000-0099', () => {
  it('are not mapped to 1900-1999', () => {
    expect(parseDate('0050-03-01')).toEqual({ year: 50, dayOfYear: 60, daysInYear: 365 });
    // 0048 is a leap year (divisible by 4, proleptic Gregorian); 0000 too (divisible by 400).
    expect(parseDate('0048-12-31')).toEqual({ year: 48, dayOfYear: 366, daysInYear: 366 });
    expect(parseDate('0000-02-29')).toEqual({ year: 0, dayOfYear: 60, daysInYear: 366 });
    expect(parseDate('0100-02-29')).toBeUndefined(); // 100 is not a leap year
    expect(parseDate('0004-02-29')).toEqual({ year: 4, dayOfYear: 60, daysInYear: 366 });
    // 1900 is not a leap year: with Date.UTC's mapping, 0000-02-29 was refused.
    expect(parseDate('2024-02-29')).toEqual({ year: 2024, dayOfYear: 60, daysInYear: 366 });
  });
});

describe('a value that overflows the dtype', () => {
  it('names the file, the row as a spreadsheet counts it, the column and the value', async () => {
    const path = csv('a,b,y\n1,2,x\n3,1e300,y\n2,4,x\n3,5,y\n');
    await expect(loadCsv(path, { target: 'y', scale: 'none', test: 0 })).rejects.toThrow(
      new DataError(
        `${path}, row 3 (header = row 1), column "b": expected a value that fits float32 after ` +
          'scaling (magnitude up to 3.4e38), found 1e+300 after scaling',
      ),
    );
    const fine = await loadCsv(path, { target: 'y', scale: 'none', test: 0, dtype: 'float64' });
    expect(fine.x.data[3]).toBe(1e300);
  });

  it('at predict time too (preprocessRows), with the row numbers given', async () => {
    const path = csv('a,y\n1,1\n2,2\n3,3\n');
    const { preprocessing } = await loadCsv(path, { target: 'y', scale: 'none', test: 0 });
    expect(() =>
      preprocessRows(preprocessing, [['1'], ['-4e38']], { source: 'new.csv', rows: [2, 3] }),
    ).toThrow(
      'new.csv, row 3 (header = row 1), column "a": expected a value that fits float32 after scaling (magnitude up to 3.4e38), found -4e+38 after scaling',
    );
  });
});
