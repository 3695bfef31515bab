import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { minifySync } from 'rolldown/experimental';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFromJSON } from '../../src/io/model-json.js';
import { jsBackend } from '../../src/backend/js.js';
import { applyPreprocessing, type Preprocessing } from '../../src/data/preprocess.js';
import { ActivationLayer } from '../../src/layers/activation.js';
import { BatchNormalization } from '../../src/layers/batch-normalization.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Sequential } from '../../src/model/sequential.js';
import { toStandaloneModule } from '../../src/io/standalone/generate.js';
import { Random } from '../../src/tensor/random.js';
import type { DType } from '../../src/tensor/matrix.js';

const directory = mkdtempSync(join(tmpdir(), 'standalone-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Generated {
  predict(x: number[][]): number[][];
  predictRecords(records: unknown[]): unknown[];
  classify(record: unknown): { className: string; probabilities: Record<string, number> };
  inputs: number;
}

/** Bytes of the module's code, data left out, after minification (oxc, as esbuild --minify). */
function minifiedCode(model: Sequential): number {
  const { js } = toStandaloneModule(model);
  // Data left out: the base64 weights and the preprocessing's JSON (column names, statistics).
  const code = js
    .replace(/"[A-Za-z0-9+/=]{8,}"/g, '""')
    .replace(/^export const preprocessing = .*;$/m, 'export const preprocessing = {};');
  const minified = minifySync('model.mjs', code).code.length;
  console.log(`standalone module: ${js.length} bytes; code ${code.length}, minified ${minified}`);
  return minified;
}

let count = 0;
/** Writes the module and its .d.ts, and imports it as a user would. */
async function load(model: Sequential): Promise<Generated> {
  const { js, dts } = toStandaloneModule(model);
  const path = join(directory, `model${++count}.mjs`);
  writeFileSync(path, js);
  writeFileSync(path.replace(/\.mjs$/, '.d.mts'), dts);
  return (await import(pathToFileURL(path).href)) as Generated;
}

const random = new Random(9);
const rows = (n: number, width: number) =>
  [...Array(n).keys()].map(() => [...Array(width).keys()].map(() => 6 * random.uniform() - 3));

async function trained(dtype: DType): Promise<Sequential> {
  const model = new Sequential(
    [
      new Dense(5, 9, { activation: { name: 'leakyRelu', slope: 0.1 } }),
      new Dropout(0.2),
      new Dense(9, 7, { activation: { name: 'elu', alpha: 0.7 } }),
      new ActivationLayer('swish'),
      new Dense(7, 6, { activation: 'selu' }),
      new Dense(6, 5, { activation: { name: 'hardSigmoid', slope: 0.25, offset: 0.4 } }),
      new Dense(5, 4, { activation: 'tanh' }),
      new Dense(4, 3, { activation: 'softmax' }),
    ],
    { dtype, seed: 2, backend: jsBackend },
  );
  const x = rows(64, 5);
  const y = x.map((r) => [0, 1, 2].map((c) => (c === (r[0]! > 0 ? 0 : r[1]! > 0 ? 1 : 2) ? 1 : 0)));
  await model.fit(x, y, { loss: 'crossEntropy', learningRate: 0.05, batchSize: 16, epochs: 3 });
  return model;
}

describe('the standalone predict module (backprop export --format js)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`predict(x) is bit-identical to model.predict on the js backend (${dtype})`, async () => {
      const model = await trained(dtype);
      const generated = await load(model);
      const x = rows(300, 5);
      expect(generated.predict(x)).toEqual(model.predict(x).toArray());
      expect(generated.inputs).toBe(5);
    });
  }

  it('is within 1e-5 relative of the default backend, with the same top class', async () => {
    const model = await trained('float32');
    const fast = modelFromJSON(model.toJSON()); // the default backend (WASM where available)
    const x = rows(500, 5);
    const ours = (await load(model)).predict(x);
    const theirs = fast.predict(x).toArray();
    ours.forEach((row, i) => {
      row.forEach((v, j) =>
        expect(Math.abs(v - theirs[i]![j]!)).toBeLessThanOrEqual(1e-5 * Math.abs(v) + 1e-7),
      );
      expect(row.indexOf(Math.max(...row))).toBe(theirs[i]!.indexOf(Math.max(...theirs[i]!)));
    });
  });

  it('its code apart from the weights is under 5 kB minified', async () => {
    const { js } = toStandaloneModule(await trained('float32'));
    // Data left out: the base64 weights and the preprocessing's JSON (column names, statistics).
    const code = js
      .replace(/"[A-Za-z0-9+/=]{8,}"/g, '""')
      .replace(/^export const preprocessing = .*;$/m, 'export const preprocessing = {};');
    const minified = minifySync('model.mjs', code).code;
    console.log(
      `standalone module: ${js.length} bytes, code ${code.length} bytes, minified ${minified.length} bytes`,
    );
    expect(minified.length).toBeLessThan(5000);
  });

  it('predictRecords and classify apply the stored preprocessing, as the library does', async () => {
    const preprocessing: Preprocessing = {
      columns: [
        { name: 'size', kind: 'number' },
        { name: 'colour', kind: 'category', categories: ['blue', 'green', 'red'] },
        { name: 'seen', kind: 'date' },
      ],
      featureNames: [
        'size',
        'colour=blue',
        'colour=green',
        'colour=red',
        'seen (year)',
        'seen (day of year, sin)',
        'seen (day of year, cos)',
      ],
      scaling: {
        kind: 'standard',
        offset: [3, 0.3, 0.3, 0.3, 2010, 0, 0],
        scale: [2, 0.5, 0.5, 0.5, 7, 0.7, 0.7],
      },
      task: 'classification',
      targetNames: ['kind'],
      classNames: ['x', 'y'],
    };
    const model = new Sequential(
      [new Dense(7, 4, { activation: 'relu' }), new Dense(4, 2, { activation: 'softmax' })],
      {
        seed: 4,
        backend: jsBackend,
        preprocessing,
      },
    );
    const records = [
      { size: 2.5, colour: 'red', seen: '2012-03-04' },
      { size: '7', colour: 'blue', seen: '2001-12-31' },
      { size: -1, colour: 'green', seen: '2020-02-29' },
    ];
    const generated = await load(model);
    expect(minifiedCode(model)).toBeLessThan(5000); // with the preprocessing's encoders
    const probabilities = model.predict(applyPreprocessing(preprocessing, records)).toArray();
    const answers = generated.predictRecords(records) as {
      className: string;
      probabilities: Record<string, number>;
    }[];
    answers.forEach((answer, i) => {
      expect([answer.probabilities['x'], answer.probabilities['y']]).toEqual(probabilities[i]);
      expect(answer.className).toBe(probabilities[i]![0]! >= probabilities[i]![1]! ? 'x' : 'y');
    });
    expect(generated.classify([2.5, 'red', '2012-03-04'])).toEqual(answers[0]);
    expect(() => generated.classify({ size: 1, colour: 'purple', seen: '2012-01-01' })).toThrow(
      'row 0, column "colour": expected one of "blue", "green", "red"',
    );
  });

  it('refuses what it cannot compute, naming the layer', () => {
    const model = new Sequential([
      new Dense(2, 3),
      new BatchNormalization(),
      new Dense(3, 1, { activation: 'gelu' }),
    ]);
    expect(() => toStandaloneModule(model)).toThrow(
      /layer 2 BatchNormalization.*: the standalone module computes Dense/,
    );
    const gelu = new Sequential([new Dense(2, 1, { activation: 'gelu' })]);
    expect(() => toStandaloneModule(gelu)).toThrow(
      /layer 1 Dense\(2 => 1, gelu\): the standalone module has no gelu/,
    );
  });
});
