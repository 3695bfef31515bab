import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPreprocessing } from '../../core/src/data/preprocess.js';
import { toOnnx } from '../../onnx/src/export.js';
import { backprop, errorLine } from './backprop.js';
import { flowerModel, saved } from './model-files.js';

let directory: string;
let flowers: string;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-export-'));
  flowers = await saved(flowerModel(), directory, 'flowers.json');
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('backprop export', () => {
  it('writes the ONNX file beside the model by default, as toOnnx does', async () => {
    const run = await backprop('export', '--model', flowers);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const output = join(directory, 'flowers.onnx');
    expect(run.stdout).toBe(
      `wrote ${output}: ONNX opset 13, float32, input "input" [N, 4], output "output" [N, 3]; ` +
        'the feature scaling is in the graph\n',
    );
    expect(new Uint8Array(readFileSync(output))).toEqual(toOnnx(flowerModel()));
  });

  it('writes --output, and the file runs in onnxruntime on raw features', async () => {
    const output = join(directory, 'nested', 'f.onnx');
    const run = await backprop(
      'export',
      '--model',
      flowers,
      '--format',
      'onnx',
      '--output',
      output,
      '--json',
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      path: output,
      format: 'onnx',
      opset: 13,
      dtype: 'float32',
      input: { name: 'input', shape: ['N', 4] },
      output: { name: 'output', shape: ['N', 3] },
      preprocessing: true,
    });
    const session = await ort.InferenceSession.create(readFileSync(output));
    const raw = [5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6.0, 2.5];
    const result = await session.run({
      input: new ort.Tensor('float32', Float32Array.from(raw), [2, 4]),
    });
    const model = flowerModel();
    const expected = model.predict(
      applyPreprocessing(model.preprocessing!, [raw.slice(0, 4), raw.slice(4)]),
    ).data;
    const actual = result['output']!.data as Float32Array;
    expected.forEach((value, i) => expect(Math.abs(actual[i]! - value)).toBeLessThanOrEqual(1e-6));
  });
});

describe('backprop export rejects bad input with one error line', () => {
  it('another format', async () => {
    expect(errorLine(await backprop('export', '--model', flowers, '--format', 'tflite'))).toMatch(
      /--format must be one of onnx, js; received tflite/,
    );
  });

  it('a model file that does not exist', async () => {
    const run = await backprop('export', '--model', join(directory, 'absent.json'));
    expect(errorLine(run)).toMatch(/cannot read the model file .*absent\.json: ENOENT/);
    expect(existsSync(join(directory, 'absent.onnx'))).toBe(false);
  });

  it('an --output that is the model file', async () => {
    expect(errorLine(await backprop('export', '--model', flowers, '--output', flowers))).toMatch(
      /--output .*flowers\.json is the model file itself/,
    );
  });

  it('an --output that is a directory', async () => {
    expect(errorLine(await backprop('export', '--model', flowers, '--output', directory))).toMatch(
      /--output .* is a directory; give a file path/,
    );
  });
});
