import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import {
  openFileAtomic,
  writeDirectoryAtomic,
  writeFileAtomic,
} from '../../src/io/atomic-write.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'atomic-'));
const temporaries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('refuses /dev/null with a ConfigError naming it, and /dev/null stays a character device', async () => {
    await expect(writeFileAtomic('/dev/null', 'x')).rejects.toThrow(
      new ConfigError(
        'cannot write /dev/null: expected a regular file or a new path, found a character device; it is left as it is',
      ),
    );
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('refuses a FIFO and a directory, and leaves them as they are', async () => {
    const dir = scratch();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(writeFileAtomic(fifo, 'x')).rejects.toThrow(/found a FIFO \(named pipe\)/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    await expect(openFileAtomic(dir)).rejects.toThrow(`cannot write ${dir}: expected a regular`);
    expect(temporaries(dir)).toEqual([]);
  });

  it('writes through a symlink: the link stays a link, its target gets the content', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'model.json'), 'old');
    symlinkSync(join('real', 'model.json'), join(dir, 'link.json'));
    await writeFileAtomic(join(dir, 'link.json'), 'new');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.json'))).toBe(join('real', 'model.json'));
    expect(readFileSync(join(dir, 'real', 'model.json'), 'utf8')).toBe('new');
    expect([...temporaries(dir), ...temporaries(join(dir, 'real'))]).toEqual([]);
  });

  it('keeps the permission bits of the file it replaces', async () => {
    const path = join(scratch(), 'f.txt');
    writeFileSync(path, 'old', { mode: 0o640 });
    await writeFileAtomic(path, 'new');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('removes stale temporary files of the same target only (dead process, older)', async () => {
    const dir = scratch();
    const old = new Date(Date.now() - 60_000);
    // pid 2^22 + 1 is above Linux's pid_max default: no such process.
    const stale = [
      `.model.json.4194305-0123456789ab.tmp`,
      `.model.json.${process.pid}-aaaaaaaaaaaa.tmp`,
    ];
    const kept = [
      `.other.json.4194305-0123456789ab.tmp`,
      `.model.json.4194305-xyz.tmp`,
      'model.json.tmp',
    ];
    for (const name of [...stale, ...kept]) {
      writeFileSync(join(dir, name), 'partial');
      utimesSync(join(dir, name), old, old);
    }
    await writeFileAtomic(join(dir, 'model.json'), '{}');
    expect(readdirSync(dir).sort()).toEqual([...kept, 'model.json'].sort());
  });

  it('a write that fails mid-file leaves the old target intact and no temporary file', async () => {
    const dir = scratch();
    const path = join(dir, 'model.json');
    writeFileSync(path, 'old content');
    const data = new Uint8Array(200_000).fill(65);
    const seen: number[] = [];
    const hooks = {
      beforeWrite(written: number) {
        seen.push(written);
        if (written >= 65_536) throw new Error('disk full (injected)');
      },
    };
    await expect(writeFileAtomic(path, data, hooks)).rejects.toThrow('disk full (injected)');
    expect(seen).toEqual([0, 65_536]); // one 64 KiB chunk was on disk when it failed
    expect(readFileSync(path, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('streams chunks, and nothing is at the path before commit', async () => {
    const dir = scratch();
    const path = join(dir, 'sub', 'out.csv');
    const file = await openFileAtomic(path);
    await file.write('a,b\n');
    await file.write(new TextEncoder().encode('1,2\n'));
    expect(readdirSync(join(dir, 'sub'))).toHaveLength(1); // only the temporary file
    await file.commit();
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['out.csv']);
  });
});

describe('writeDirectoryAtomic', () => {
  it('creates a missing directory with all the files at once', async () => {
    const dir = join(scratch(), 'report');
    await writeDirectoryAtomic(dir, { 'a.txt': 'A', 'b.bin': new Uint8Array([1, 2, 3]) });
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.bin']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('A');
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    expect(temporaries(join(dir, '..'))).toEqual([]);
  });

  it('a failure on the second file leaves a missing directory missing', async () => {
    const parent = scratch();
    let calls = 0;
    const hooks = {
      beforeWrite() {
        if (++calls === 2) throw new Error('disk full (injected)');
      },
    };
    await expect(
      writeDirectoryAtomic(join(parent, 'report'), { 'a.txt': 'A', 'b.txt': 'B' }, hooks),
    ).rejects.toThrow('disk full (injected)');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('in an existing directory keeps other files, and a failure replaces none', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'model.json'), 'model');
    writeFileSync(join(dir, 'a.txt'), 'old A');
    let calls = 0;
    const failing = {
      beforeWrite() {
        if (++calls === 2) throw new Error('disk full (injected)');
      },
    };
    await expect(
      writeDirectoryAtomic(dir, { 'a.txt': 'A', 'b.txt': 'B' }, failing),
    ).rejects.toThrow('disk full (injected)');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'model.json']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old A');
    await writeDirectoryAtomic(dir, { 'a.txt': 'A', 'b.txt': 'B' });
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.txt', 'model.json']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('A');
  });

  it('refuses a file where the directory goes, and a FIFO where a file goes', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), 'x');
    await expect(writeDirectoryAtomic(join(dir, 'file'), { 'a.txt': 'A' })).rejects.toThrow(
      `cannot write ${join(dir, 'file')}: expected a directory or a new path, found a regular file`,
    );
    execFileSync('mkfifo', [join(dir, 'a.txt')]);
    await expect(writeDirectoryAtomic(dir, { 'a.txt': 'A' })).rejects.toThrow(ConfigError);
    expect(lstatSync(join(dir, 'a.txt')).isFIFO()).toBe(true);
    await expect(writeDirectoryAtomic(dir, { '../x': 'A' })).rejects.toThrow(
      `${dir}: expected plain file names, found "../x" in the file set`,
    );
  });
});
