import { parse } from 'csv-parse/browser/esm/sync';
import { describe, expect, it } from 'vitest';
import { DataError, tableFromRecords } from '../../packages/core/src/index.js';
import { parseCsvText, textColumns } from '../../web/playground/own/csv-text.js';

// The playground's CSV reader given hostile files: each is read as csv-parse's own discovery
// of the line ends reads it, or refused with a one-line DataError naming the file.

/** The records csv-parse gives when it discovers the line ends itself (the reader's options). */
function discovered(text: string): string[][] {
  const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  return rows as string[][];
}

const values = (text: string) => {
  const csv = parseCsvText(text, 'f.csv');
  return [csv.header, ...csv.records.map((record) => csv.header.map((name) => record[name]!))];
};

describe('parseCsvText names the line end as csv-parse discovers it', () => {
  const files = {
    LF: 'a,b\n1,2\n3,4\n',
    CRLF: 'a,b\r\n1,2\r\n3,4',
    'CR (old Mac)': 'a,b\r1,2\r3,4\r',
    'a quoted header with a line break': '"a\nb",c\r\n1,2\r\n3,4\r\n',
    'a quoted header with a CR, then LF': '"a\rb",c\n1,"x\ry"\n',
    'escaped quotes in the header': '"a""\n",b\r1,2\r',
    'a BOM, then CRLF': '\uFEFFa,b\r\n1,2\r\n',
    'no line end at all': 'a,b',
  };
  for (const [name, text] of Object.entries(files)) {
    it(name, () => {
      if (discovered(text).length < 2) {
        expect(() => parseCsvText(text, 'f.csv')).toThrow(
          new DataError('f.csv: a header row and no data rows'),
        );
      } else {
        expect(values(text)).toEqual(
          discovered(text).map((row, r) => (r === 0 ? row.map((name) => name.trim()) : row)),
        );
      }
    });
  }
});

describe('parseCsvText with hostile files', () => {
  it('reads a 10 MB header field (csv-parse discovering the line end took 10–17 s over it)', () => {
    const long = 'x'.repeat(10_000_000);
    const csv = parseCsvText(`${long},b\r\n1,2\r\n`, 'f.csv');
    expect(csv.header.map((h) => h.length)).toEqual([10_000_000, 1]);
    expect(csv.records.map((record) => record['b'])).toEqual(['2']);
  });

  it('reads 100 000 columns, and names a duplicate among them', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
    const ones = names.map(() => '1').join(',');
    const csv = parseCsvText(`${names.join(',')}\n${ones}\n`, 'f.csv');
    expect(csv.header.length).toBe(100_000);
    expect(csv.records[0]!['c99999']).toBe('1');
    expect(() => parseCsvText(`${names.join(',')},c5\n${ones},1\n`, 'f.csv')).toThrow(
      new DataError('f.csv, row 1: two columns are named "c5"'),
    );
  });

  it('refuses a BOM alone, whitespace alone, and a binary file, naming the file', () => {
    expect(() => parseCsvText('\uFEFF', 'f.csv')).toThrow(
      new DataError('f.csv: the file is empty; expected a header row, then data rows'),
    );
    expect(() => parseCsvText('  \n\n', 'f.csv')).toThrow(
      new DataError('f.csv, row 1: column 1 has no name'),
    );
    expect(() => parseCsvText('\u0000\u0001PK\u0003\u0004', 'f.zip')).toThrow(
      new DataError('f.zip: a header row and no data rows'),
    );
  });

  it('keeps a column named __proto__ as data, polluting no prototype', () => {
    const csv = parseCsvText('__proto__,constructor\n1,2\n', 'f.csv');
    const [record] = csv.records;
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(record!['__proto__']).toBe('1');
    expect(record!['constructor']).toBe('2');
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
  });
});

describe('textColumns reads a cell as the library does', () => {
  it('finds hex, Infinity, 1_000 and impossible dates text, which the library then one-hot encodes', () => {
    const cells = ['0x10', 'Infinity', '1_000', '2012-13-45', '1e999', '２'];
    for (const cell of cells) {
      const csv = parseCsvText(`a,n,y\n${cell},1,p\n2,.5,q\n7,-3e2,p\n`, 'f.csv');
      expect(textColumns(csv)).toEqual(['a', 'y']);
      const data = tableFromRecords(csv.records, { target: 'y', categorical: ['a'], test: 0 });
      expect(data.x.cols).toBe(4); // one per category of a (the cell, 2, 7), and n
    }
    const numbers = parseCsvText('a,d,y\n+5,2012-01-31,p\n.5,2012-02-29T10:00,q\n5.,,p\n', 'f.csv');
    expect(textColumns(numbers)).toEqual(['y']);
  });
});
