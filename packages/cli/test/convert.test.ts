import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { jsBackend } from '../../core/src/backend/js.js';
import { Dense } from '../../core/src/layers/dense.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { loadModel, saveModel } from '../../core/src/io/model-file.js';
import { fromOnnx } from '@backpropjs/onnx';
import { inProcess } from './in-process.js';

const directory = mkdtempSync(join(tmpdir(), 'convert-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const path = (name: string) => join(directory, name);
const x = [
  [0.5, -1, 2],
  [3, 0.25, -0.75],
];

async function saved(): Promise<Sequential> {
  const model = new Sequential(
    [
      new Dense(3, 4, { activation: 'tanh' }),
      new Dense(4, 4, { activation: 'relu' }),
      new Dense(4, 2, { activation: 'softmax' }),
    ],
    { seed: 8, backend: jsBackend, classNames: ['no', 'yes'] },
  );
  await saveModel(model, path('model.json'));
  return model;
}

describe('backprop convert', () => {
  it('json → safetensors → json is bit-exact; → tfjs within float32; → onnx; → js', async () => {
    const model = await saved();
    const expected = model.predict(x).data;
    let run = await inProcess(
      'convert',
      '--model',
      path('model.json'),
      '--to',
      'safetensors',
      '--output',
      path('m.safetensors'),
    );
    expect(run.error).toBeUndefined();
    expect(run.stdout).toContain(`wrote ${path('m.safetensors')}: Sequential(Dense(3 => 4, tanh)`);
    run = await inProcess(
      'convert',
      '--model',
      path('m.safetensors'),
      '--to',
      'json',
      '--output',
      path('back.json'),
    );
    expect(run.error).toBeUndefined();
    const back = await loadModel(path('back.json'), { backend: jsBackend });
    expect(back.predict(x).data).toEqual(expected);
    expect(back.classNames).toEqual(['no', 'yes']);

    run = await inProcess(
      'convert',
      '--model',
      path('back.json'),
      '--to',
      'tfjs',
      '--output',
      path('tfjs'),
    );
    expect(run.error).toBeUndefined();
    expect(JSON.parse(readFileSync(path('tfjs/model.json'), 'utf8')).format).toBe('layers-model');
    const tfjs = await loadModel(path('tfjs'), { backend: jsBackend });
    expect(tfjs.predict(x).data).toEqual(expected); // float32 weights, same sums

    run = await inProcess(
      'convert',
      '--model',
      path('tfjs/model.json'),
      '--to',
      'onnx',
      '--output',
      path('m.onnx'),
    );
    expect(run.error).toBeUndefined();
    const onnx = fromOnnx(new Uint8Array(readFileSync(path('m.onnx'))), { backend: jsBackend });
    expect(onnx.predict(x).data).toEqual(expected);

    run = await inProcess(
      'convert',
      '--model',
      path('m.onnx'),
      '--to',
      'js',
      '--output',
      path('predict.mjs'),
    );
    expect(run.error).toBeUndefined();
    expect(existsSync(path('predict.d.mts'))).toBe(true);
    const generated = (await import(pathToFileURL(path('predict.mjs')).href)) as {
      predict(x: number[][]): number[][];
    };
    expect(generated.predict(x)).toEqual(model.predict(x).toArray());
  });

  it('--from forces the format; brain.js files are read', async () => {
    const brain = {
      type: 'NeuralNetwork',
      sizes: [2, 1],
      layers: [
        { weights: [], biases: [] },
        { weights: [[0.5, -2]], biases: [0.25] },
      ],
      trainOpts: { activation: 'relu' },
    };
    writeFileSync(path('brain.txt'), JSON.stringify(brain));
    const run = await inProcess(
      'convert',
      '--model',
      path('brain.txt'),
      '--from',
      'brainjs',
      '--to',
      'json',
      '--output',
      path('brain.json'),
    );
    expect(run.error).toBeUndefined();
    expect((await loadModel(path('brain.json'))).predict([[3, 0.5]]).data[0]).toBe(0.75);
    const wrong = await inProcess(
      'convert',
      '--model',
      path('brain.txt'),
      '--from',
      'safetensors',
      '--to',
      'json',
      '--output',
      path('x.json'),
    );
    expect(wrong.error?.message).toMatch(
      /brain\.txt: header length \d+ exceeds the \d+ bytes after the 8-byte length prefix/,
    );
  });

  it('--help lists the formats; bad options and files give one clear error', async () => {
    const help = await inProcess('convert', '--help');
    for (const format of ['json', 'tfjs', 'safetensors', 'brainjs', 'onnx', 'js'])
      expect(help.stdout).toMatch(new RegExp(`^  ${format} `, 'm'));
    const bad = await inProcess(
      'convert',
      '--model',
      path('model.json'),
      '--to',
      'keras',
      '--output',
      path('k'),
    );
    expect(`${bad.stderr}${bad.error?.message}`).toContain(
      '--to must be one of json, tfjs, safetensors, onnx, js; received keras',
    );
    writeFileSync(path('cut.safetensors'), readFileSync(path('m.safetensors')).subarray(0, 100));
    const cut = await inProcess(
      'convert',
      '--model',
      path('cut.safetensors'),
      '--to',
      'json',
      '--output',
      path('c.json'),
    );
    expect(cut.error?.message).toMatch(/cut\.safetensors: (header length|the tensors take)/);
  });
});

describe('backprop export --format js (the alias)', () => {
  it('writes model.mjs and model.d.mts beside the model file', async () => {
    const model = await saved();
    const run = await inProcess('export', '--model', path('model.json'), '--format', 'js');
    expect(run.error).toBeUndefined();
    expect(run.stdout).toBe(`wrote ${path('model.mjs')} and ${path('model.d.mts')}: ${model}\n`);
    expect(readFileSync(path('model.d.mts'), 'utf8')).toContain('export declare function predict(');
  });
});
