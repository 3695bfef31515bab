import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutput } from '../../../cli/src/output.js';
import { openOutput, writeOutputFile } from '../../../cli/src/output-file.js';
import { loadRecords } from '../../../datasets/src/records.js';
import { ConfigError, DataError, ModelFileError } from '../../src/errors.js';
import { saveModel } from '../../src/io/model-file.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/model/sequential.js';
import {
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointJSON,
} from '../../src/training/checkpoint.js';

// Every writer goes through the atomic helper (issue 15 items 1 and 9): the model file, the
// checkpoint, predict's streamed --output and export's file.

const scratch = () => mkdtempSync(join(tmpdir(), 'writers-'));
const model = () => new Sequential([new Dense(2, 1)], { seed: 3 });
const refusal = (path: string, kind: string) =>
  `cannot write ${path}: expected a regular file or a new path, found ${kind}; it is left as it is`;

describe('writers refuse what is not a regular file, and write through symlinks', () => {
  it('saveModel to /dev/null: a ModelFileError, and /dev/null stays a character device', async () => {
    await expect(saveModel(model(), '/dev/null')).rejects.toThrow(
      new ModelFileError(
        `cannot write the model file /dev/null: ${refusal('/dev/null', 'a character device')}`,
      ),
    );
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('saveCheckpoint to a FIFO: refused, the FIFO stays', async () => {
    const fifo = join(scratch(), 'checkpoint.json');
    execFileSync('mkfifo', [fifo]);
    await expect(saveCheckpoint(fifo, {} as CheckpointJSON)).rejects.toThrow(
      `cannot write the checkpoint ${fifo}: ${refusal(fifo, 'a FIFO (named pipe)')}`,
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("predict's streamed output: /dev/null refused before anything, a symlink written through", async () => {
    await expect(openOutput('/dev/null')).rejects.toThrow(
      new ConfigError(refusal('/dev/null', 'a character device')),
    );
    const dir = scratch();
    writeFileSync(join(dir, 'real.csv'), 'old');
    symlinkSync('real.csv', join(dir, 'out.csv'));
    const out = await openOutput(join(dir, 'out.csv'));
    await out.write('row,class\n');
    await out.write('2,setosa\n');
    expect(readFileSync(join(dir, 'real.csv'), 'utf8')).toBe('old'); // nothing before commit
    await out.commit();
    expect(lstatSync(join(dir, 'out.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.csv'), 'utf8')).toBe('row,class\n2,setosa\n');
    expect(readdirSync(dir).sort()).toEqual(['out.csv', 'real.csv']);
  });

  it("export's file: refused for a directory, stale temporaries of the target removed", async () => {
    const dir = scratch();
    await expect(writeOutputFile(dir, new Uint8Array([1]))).rejects.toThrow(
      new ConfigError(refusal(dir, 'a directory')),
    );
    const stale = join(dir, '.model.onnx.4194305-00000000000a.tmp');
    writeFileSync(stale, 'left by a SIGKILL');
    utimesSync(stale, new Date(0), new Date(0));
    await writeOutputFile(join(dir, 'model.onnx'), new Uint8Array([1, 2]));
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });

  it('a failure while writing is a DataError naming the file; the old file stays', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'out.csv'), 'old');
    const out = await openOutput(join(dir, 'out.csv'));
    await out.abort();
    await expect(out.write('x')).rejects.toThrow(DataError);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });
});

describe('--output is checked before training (train, predict, export)', () => {
  it('refuses /dev/null and a FIFO at once, so no run is lost at the end', () => {
    expect(() => checkOutput('/dev/null')).toThrow(
      new ConfigError(
        '--output /dev/null: expected a regular file or a new path, found a device; it is left as it is',
      ),
    );
    const fifo = join(scratch(), 'model.json');
    execFileSync('mkfifo', [fifo]);
    expect(() => checkOutput(fifo)).toThrow('found a FIFO (named pipe)');
    expect(() => checkOutput(join(scratch(), 'model.json'))).not.toThrow();
  });
});

describe('JSON syntax errors stay on one line (issue 15 item 11)', () => {
  it('loadRecords and loadCheckpoint escape the line breaks the parser copies', async () => {
    const dir = scratch();
    const path = join(dir, 'bad.json');
    writeFileSync(path, '[\n1,\n}\n]');
    const records = await loadRecords(path, { target: 'a' }).catch((error: Error) => error);
    expect(records).toBeInstanceOf(DataError);
    expect((records as Error).message).not.toMatch(/[\n\r]/);
    expect((records as Error).message).toBe(
      `${path}: expected JSON records, found text that is not JSON ` +
        `(Unexpected token '}', "[\\n1,\\n}\\n]" is not valid JSON)`,
    );
    const checkpoint = await loadCheckpoint(path).catch((error: Error) => error);
    expect((checkpoint as Error).message).not.toMatch(/[\n\r]/);
    expect((checkpoint as Error).message).toContain('\\n');
  });
});
