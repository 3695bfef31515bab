import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/src/errors.js';
import { loadCsv, readCsvRows } from '../src/csv.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-csv-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Writes `text` to a fresh file in the temporary directory and returns its path. */
let files = 0;
function csv(text: string, name = `f${++files}.csv`): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

/** Six flowers, two classes, three numeric columns; every value exact in float32. */
const FLOWERS = [
  'length,width,height,kind',
  '1,10,0.5,a',
  '2,20,0.5,b',
  '3,30,1.5,a',
  '4,40,1.5,b',
  '5,50,2.5,a',
  '6,60,2.5,b',
].join('\n');

describe('loadCsv reads well-formed files', () => {
  it('reads a header, numeric features and string labels (one-hot, classes sorted)', async () => {
    const data = await loadCsv(csv(`${FLOWERS}\n`), {
      target: 'kind',
      scale: 'none',
      test: 0,
      dtype: 'float64',
    });
    expect(data.task).toBe('classification');
    expect(data.featureNames).toEqual(['length', 'width', 'height']);
    expect(data.targetNames).toEqual(['kind']);
    expect(data.classNames).toEqual(['a', 'b']);
    expect(data.x.toArray()).toEqual([
      [1, 10, 0.5],
      [2, 20, 0.5],
      [3, 30, 1.5],
      [4, 40, 1.5],
      [5, 50, 2.5],
      [6, 60, 2.5],
    ]);
    expect(data.y.toArray()).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    expect(Array.from(data.labels!)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(data.dropped).toBe(0);
    expect(data.train.x.rows).toBe(6);
    expect(data.test.x.rows).toBe(0);
  });

  it('handles a UTF-8 BOM, CRLF line ends, quoted fields and no trailing newline', async () => {
    const text =
      '\ufeff"sepal length",note,species\r\n' +
      '5.1,"tall, ""quoted""",setosa\r\n' +
      '"4.9","two\r\nlines",versicolor\r\n' +
      ' 6.2 ,plain,"virginica"';
    const path = csv(text);
    const data = await loadCsv(path, {
      target: 'species',
      features: ['sepal length'],
      scale: 'none',
      test: 0,
      dtype: 'float64',
    });
    expect(data.featureNames).toEqual(['sepal length']); // the BOM is not part of the name
    expect(data.x.toArray()).toEqual([[5.1], [4.9], [6.2]]);
    expect(data.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const rows = [];
    for await (const row of readCsvRows(path)) rows.push(row);
    expect(rows.map((row) => row.row)).toEqual([2, 3, 4]); // a quoted line break stays one row
    expect(rows[0]!.record).toEqual({
      'sepal length': '5.1',
      note: 'tall, "quoted"',
      species: 'setosa',
    });
    expect(rows[1]!.values).toEqual(['4.9', 'two\r\nlines', 'versicolor']);
  });

  it('chooses the target by index, counting from 0 or from the end', async () => {
    const path = csv(FLOWERS);
    for (const target of [3, -1, '3', '-1']) {
      const data = await loadCsv(path, { target, test: 0 });
      expect(data.targetNames).toEqual(['kind']);
    }
    const first = await loadCsv(path, { target: 0, features: [1, 2], test: 0 });
    expect(first.targetNames).toEqual(['length']);
    expect(first.task).toBe('regression');
  });

  it('reads several numeric targets for multi-output regression, standardised on training rows', async () => {
    const data = await loadCsv(csv(FLOWERS), {
      target: ['width', 'height'],
      features: ['length'],
      test: 0,
      dtype: 'float64',
    });
    expect(data.task).toBe('regression');
    expect(data.y.shape).toEqual([6, 2]);
    expect(data.classNames).toBeUndefined();
    const scaling = data.preprocessing.targetScaling!;
    expect(scaling.offset).toEqual([35, 1.5]);
    // Population standard deviations (÷ n): √(1750 / 6) for width, √(4 / 6) for height.
    expect(scaling.scale[0]).toBeCloseTo(Math.sqrt(291.6666666666667), 12);
    expect(scaling.scale[1]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(data.y.get(0, 0)).toBeCloseTo((10 - 35) / scaling.scale[0]!, 12);
  });

  it('turns an ISO date column into the fractional year and the season', async () => {
    const data = await loadCsv(
      csv('date,rain,weather\n2012-01-01,0,sun\n2012-07-02,1.5,rain\n2013-12-31,3,rain\n'),
      { target: 'weather', scale: 'none', test: 0, dtype: 'float64' },
    );
    expect(data.featureNames).toEqual([
      'date (year)',
      'date (day of year, sin)',
      'date (day of year, cos)',
      'rain',
    ]);
    const [jan1, jul2, dec31] = data.x.toArray();
    expect(jan1).toEqual([2012, 0, 1, 0]);
    expect(jul2![0]).toBeCloseTo(2012 + 183 / 366, 12); // 2012 is a leap year: 2 July is day 184
    expect(jul2![2]).toBeCloseTo(Math.cos((2 * Math.PI * 183) / 366), 12);
    expect(dec31![0]).toBeCloseTo(2013 + 364 / 365, 12);
    expect(dec31![1]).toBeCloseTo(Math.sin((2 * Math.PI * 364) / 365), 12);
  });

  it('one-hot encodes categorical columns', async () => {
    const data = await loadCsv(csv('origin,hp,mpg\nUSA,130,18\nJapan,95,24\nUSA,150,15\n'), {
      target: 'mpg',
      categorical: ['origin'],
      scale: 'none',
      test: 0,
    });
    expect(data.featureNames).toEqual(['origin=Japan', 'origin=USA', 'hp']);
    expect(data.x.toArray()).toEqual([
      [0, 1, 130],
      [1, 0, 95],
      [0, 1, 150],
    ]);
  });

  it('drops rows with missing values when asked, and counts them', async () => {
    const path = csv('a,b,label\n1,2,x\n,3,y\n4,NA,x\n5,6,\n7,8,y\n9,10,x\n');
    const data = await loadCsv(path, {
      target: 'label',
      dropMissing: true,
      test: 0,
      scale: 'none',
    });
    expect(data.dropped).toBe(3);
    expect(data.x.toArray()).toEqual([
      [1, 2],
      [7, 8],
      [9, 10],
    ]);
    expect(data.classNames).toEqual(['x', 'y']);
  });
});

describe('loadCsv rejects malformed files with a message naming file, row and column', () => {
  const cases: [name: string, text: string, options: object, message: RegExp][] = [
    [
      'a non-numeric value',
      'a,b,label\n1,2,x\n3,abc,y\n',
      {},
      /, row 3 \(header = row 1\), column "b": expected a number, found "abc"; a missing value is empty or one of NA, N\/A, NaN, null, None, \?/,
    ],
    [
      'a missing value',
      'a,b,label\n1,2,x\n3,,y\n4,NA,x\n',
      {},
      /, row 3 \(header = row 1\), column "b": missing value \(""\); 2 of 3 rows have a missing value; help: drop them with --drop-missing \(dropMissing: true in the library\)$/,
    ],
    [
      'a missing label',
      'a,b,label\n1,2,x\n3,4,\n5,6,y\n',
      {},
      /, row 3 \(header = row 1\), column "label": missing value \(""\); 1 of 3 rows/,
    ],
    [
      'a row with too few fields',
      'a,b,label\n1,2,x\n3,4\n',
      {},
      /, row 3 \(header = row 1\): expected 3 fields like the header, found 2$/,
    ],
    [
      'a row with too many fields',
      'a,b,label\n1,2,x\n\n3,4,y,extra\n',
      {},
      /, row 4 \(header = row 1\): expected 3 fields like the header, found 4$/, // blank row 3 counts
    ],
    ['an empty file', '', {}, /: the file is empty; expected a header row, then data rows$/],
    [
      'a header only',
      'a,b,label\n',
      {},
      /: expected at least one data row after the header, found none$/,
    ],
    [
      'an unclosed quote',
      'a,b,label\n1,"2,x\n',
      {},
      /^malformed CSV .*: Quote Not Closed: the parsing is finished with an opening quote at line 2/,
    ],
    [
      'an unnamed column',
      'a,,label\n1,2,x\n',
      {},
      /, row 1 \(the header\): column 2 has no name; every column needs one$/,
    ],
    [
      'a duplicated column',
      'a,b,a\n1,2,3\n',
      {},
      /, row 1 \(the header\): columns 1 and 3 are both named "a"$/,
    ],
    [
      'a single class',
      'a,label\n1,x\n2,x\n',
      {},
      /: the target column "label" holds 1 class \("x"\); a classifier needs at least 2$/,
    ],
    [
      'text in a feature column',
      'origin,hp,mpg\nUSA,130,18\n',
      { target: 'mpg' },
      /row 2 \(header = row 1\), column "origin": expected a number, found "USA"; .* name the column in categorical \(--categorical\)$/,
    ],
    [
      'an impossible date',
      'day,label\n2021-02-28,x\n2021-02-29,y\n',
      {},
      /row 3 \(header = row 1\), column "day": expected a date like 2012-01-31, found "2021-02-29"$/,
    ],
  ];
  it.each(cases)('%s', async (_, text, options, message) => {
    const path = csv(text);
    const error = await loadCsv(path, { target: 'label', test: 0, ...options }).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(path);
  });

  it('rejects a file that does not exist', async () => {
    await expect(loadCsv(join(directory, 'nope.csv'), { target: 'a' })).rejects.toThrow(
      /^cannot read CSV file .*nope\.csv: no such file$/,
    );
  });
});

describe('loadCsv rejects wrong options, listing the columns', () => {
  const cases: [name: string, options: object, message: RegExp][] = [
    [
      'a misspelt target',
      { target: 'knd' },
      /^target: .* has no column "knd" \(did you mean "kind"\?\); the columns are "length", "width", "height", "kind"$/,
    ],
    [
      'no target',
      {},
      /^loadCsv needs a target column \(--target <column>\); the columns of .* are "length"/,
    ],
    [
      'an index out of range',
      { target: 7 },
      /^target: column index 7 is out of range; .* has 4 columns, indices 0 to 3 \(or -4 to -1 from the end\)$/,
    ],
    [
      'an unknown feature',
      { target: 'kind', features: ['depth'] },
      /^features: .* has no column "depth"; the columns are/,
    ],
    [
      'a target among the features',
      { target: 'kind', features: ['length', 'kind'] },
      /^column "kind" is both a target and a feature$/,
    ],
    [
      'several targets for classification',
      { target: ['kind', 'width'], task: 'classification' },
      /^classification takes one target column; received 2 \("kind", "width"\)$/,
    ],
    [
      'an unknown option',
      { target: 'kind', dropmissing: true },
      /^loadCsv has no option "dropmissing" \(did you mean dropMissing\?\); valid options are/,
    ],
    [
      'a bad scaling',
      { target: 'kind', scale: 'zscore' },
      /^scale must be one of standard, minmax, none; received "zscore"$/,
    ],
    [
      'a bad test fraction',
      { target: 'kind', test: 1 },
      /^test must be a fraction in \[0, 1\); received 1$/,
    ],
  ];
  it.each(cases)('%s', async (_, options, message) => {
    const error = await loadCsv(csv(FLOWERS), options).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
  });
});

describe('readCsvRows streams rows', () => {
  it('yields rows one at a time and stops early without reading the rest', async () => {
    const lines = ['x,y'];
    for (let i = 0; i < 20000; i++) lines.push(`${i},${2 * i}`);
    const path = csv(`${lines.join('\n')}\n`);
    let count = 0;
    let last = 0;
    for await (const { row, record } of readCsvRows(path)) {
      count++;
      last = row;
      expect(Number(record['y'])).toBe(2 * (row - 2));
      if (count === 5) break;
    }
    expect([count, last]).toEqual([5, 6]);
  });

  it('reports a ragged row while streaming, after yielding the good rows', async () => {
    const path = csv('x,y\n1,2\n3\n');
    const seen: number[] = [];
    const error = await (async () => {
      for await (const { row } of readCsvRows(path)) seen.push(row);
    })().catch((e) => e);
    expect(seen).toEqual([2]);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      /, row 3 \(header = row 1\): expected 2 fields like the header, found 1$/,
    );
  });

  it('rejects an empty file', async () => {
    const path = csv('');
    const iterate = async () => {
      for await (const row of readCsvRows(path)) void row;
    };
    await expect(iterate()).rejects.toThrow(/the file is empty/);
  });
});
