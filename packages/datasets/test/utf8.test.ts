import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@backpropjs/core';
import { loadCsv } from '../src/csv.js';

const directory = mkdtempSync(join(tmpdir(), 'utf8-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(directory, name);
  writeFileSync(path, bytes);
  return path;
}

const text = 'size,label\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n7,a\n8,b\n9,a\n10,b\n';

describe('CSV files must be UTF-8 (a fresh tester found bytes silently turned into U+FFFD)', () => {
  it('refuses a byte that is not UTF-8, naming the file, the row and the byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('size,label\n1,a\n2,b\n3,'),
      Buffer.from([0xff]),
      Buffer.from('a\n4,b\n'),
    ]);
    const path = file('latin.csv', bytes);
    const error = await loadCsv(path, { target: 'label' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(
      `${path}, row 4: byte 0xff is not UTF-8; expected a UTF-8 text file (save it as UTF-8)`,
    );
  });

  it('refuses a file that ends inside a character', async () => {
    const path = file('cut.csv', Buffer.concat([Buffer.from(text), Buffer.from([0xe2, 0x82])]));
    await expect(loadCsv(path, { target: 'label' })).rejects.toThrow(
      /row 12: the file ends inside a UTF-8 character/,
    );
  });

  it('reads multi-byte UTF-8 (é, €, 🐧) as it is', async () => {
    const path = file('utf8.csv', text.replace(/,a\n/g, ',é€🐧\n'));
    const data = await loadCsv(path, { target: 'label' });
    expect(data.preprocessing.classNames).toEqual(['b', 'é€🐧']);
  });
});
