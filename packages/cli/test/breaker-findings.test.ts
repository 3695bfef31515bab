import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  fromBrainJs,
  fromTfjs,
  ModelFileError,
  saveModel,
  Sequential,
  toTfjs,
} from '../../core/src/index.js';
import { checkOutput } from '../src/output.js';
import { runInProcess } from './in-process.js';

// What a fresh tester found in the CLI (issue 15's done-when); each test failed before its fix.
const directory = mkdtempSync(join(tmpdir(), 'breaker-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const path = (name: string) => join(directory, name);

async function model(): Promise<string> {
  const file = path(`m${Math.random().toString(36).slice(2)}.json`);
  await saveModel(new Sequential([new Dense(2, 1, { activation: 'sigmoid' })], { seed: 1 }), file);
  return file;
}

describe('the breaker findings, fixed', () => {
  it('the backprop command is a committed executable, linked before dist/ is built', () => {
    const bin = new URL('../bin/backprop.js', import.meta.url);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.bin).toEqual({ backprop: 'bin/backprop.js' }); // npm 11 drops a ./ bin on publish
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('an output on a file system that refuses new files is found before training', () => {
    expect(() => checkOutput('/proc/m.json')).toThrow(ConfigError);
    expect(() => checkOutput('/proc/m.json')).toThrow(
      /--output \/proc\/m\.json cannot be written: \/proc refused a new file/,
    );
  });

  it('convert refuses an output that is the model through a symlink', async () => {
    const file = await model();
    const before = readFileSync(file);
    symlinkSync(file, path('link.json'));
    const run = await runInProcess(
      'convert',
      '--model',
      path('link.json'),
      '--to',
      'safetensors',
      '--output',
      file,
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--output .* is the model file itself/);
    expect(readFileSync(file)).toEqual(before);
  });

  it('convert refuses an output named for another format (an ONNX file called .json)', async () => {
    const file = await model();
    const run = await runInProcess(
      'convert',
      '--model',
      file,
      '--to',
      'onnx',
      '--output',
      path('x.json'),
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `--output ${path('x.json')} has the extension of a json file, but --to is onnx`,
    );
    expect(existsSync(path('x.json'))).toBe(false);
    const ok = await runInProcess(
      'convert',
      '--model',
      file,
      '--to',
      'onnx',
      '--output',
      path('x.onnx'),
    );
    expect(ok.status).toBe(0);
  });

  it('predict refuses an output that is its model or its input', async () => {
    const file = await model();
    const input = path('in.csv');
    writeFileSync(input, '0.5,1\n');
    const before = readFileSync(file);
    for (const [output, name] of [
      [file, 'model'],
      [input, 'input'],
    ] as const) {
      const run = await runInProcess(
        'predict',
        '--model',
        file,
        '--input',
        input,
        '--output',
        output,
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`is the ${name} file itself`);
    }
    expect(readFileSync(file)).toEqual(before);
    expect(readFileSync(input, 'utf8')).toBe('0.5,1\n');
  });

  it('a tfjs model with NaN weights is refused, naming the weight', () => {
    const { modelJson, weights } = toTfjs(new Sequential([new Dense(2, 1)], { seed: 1 }));
    const nan = new Uint8Array(weights.byteLength);
    new DataView(nan.buffer).setFloat32(0, NaN, true);
    const shard = (modelJson as { weightsManifest: { paths: string[] }[] }).weightsManifest[0]!
      .paths[0]!;
    expect(() => fromTfjs(modelJson, new Map([[shard, nan]]), 'm/model.json')).toThrow(
      ModelFileError,
    );
    expect(() => fromTfjs(modelJson, new Map([[shard, nan]]), 'm/model.json')).toThrow(
      /expected finite values, found NaN at index 0/,
    );
    expect(existsSync(directory)).toBe(true);
  });

  it('a brain.js net with one output named in outputLookup gives that class its own probability', () => {
    const net = {
      type: 'NeuralNetwork',
      sizes: [1, 1],
      layers: [{}, { weights: [[0]], biases: [-0.2] }],
      inputLookup: null,
      inputLookupLength: 0,
      outputLookup: { yes: 0 },
      outputLookupLength: 1,
      options: { inputSize: 0, outputSize: 0, binaryThresh: 0.5 },
      trainOpts: { activation: 'sigmoid' },
    };
    const imported = fromBrainJs(net, 'net.json');
    expect(imported.classNames).toEqual(['not yes', 'yes']);
    const p = imported.predict([[1]]).data[0]!;
    expect(p).toBeCloseTo(1 / (1 + Math.exp(0.2)), 6); // σ(−0.2) ≈ 0.4502: P(yes)
  });
});
