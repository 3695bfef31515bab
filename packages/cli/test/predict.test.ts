import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPreprocessing, unscaleTargets } from '../../core/src/data/preprocess.js';
import { Dense } from '../../core/src/layers/dense.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { backprop, errorLine } from './backprop.js';
import { carModel, csv, flowerModel, saved, FLOWER_COLUMNS } from './model-files.js';

let directory: string;
let flowers: string;
let cars: string;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-predict-'));
  flowers = await saved(flowerModel(), directory, 'flowers.json');
  cars = await saved(carModel(), directory, 'cars.json');
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Rows of flower measurements; the model reads them by column name. */
const FLOWERS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.3, 3.3, 6.0, 2.5],
  [5.9, 2.9, 4.6, 1.3],
];

/** What the library predicts for rows of raw flower measurements. */
function expectedFlowers(rows: number[][]): number[][] {
  const model = flowerModel();
  return model.predict(applyPreprocessing(model.preprocessing!, rows)).toArray();
}

describe('backprop predict', () => {
  it('stops quietly when the reader of its output goes away (| head)', async () => {
    const rows = Array.from({ length: 50_000 }, () => FLOWERS[0]!.join(','));
    const input = csv(directory, 'many.csv', [FLOWER_COLUMNS.join(','), ...rows]);
    const child = spawn(
      process.execPath,
      ['packages/cli/dist/main.js', 'predict', '--model', flowers, '--input', input],
      {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy()); // read the first lines, then close
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('writes class names and probabilities per row, picking columns by name', async () => {
    // Another column order, an extra column and quoted fields: the header decides.
    const input = csv(directory, 'flowers.csv', [
      `id,"${FLOWER_COLUMNS[3]}",${FLOWER_COLUMNS.slice(0, 3)
        .map((c) => `"${c}"`)
        .join(',')}`,
      ...FLOWERS.map((row, i) => [`f${i}`, row[3], ...row.slice(0, 3)].join(',')),
    ]);
    const output = join(directory, 'out', 'p.csv');
    const run = await backprop('predict', '--model', flowers, '--input', input, '--output', output);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`wrote 3 predictions to ${output}\n`);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,class,p(setosa),p(versicolor),p(virginica)');
    const expected = expectedFlowers(FLOWERS);
    lines.slice(1).forEach((line, i) => {
      const [row, name, ...p] = line.split(',');
      expect(Number(row)).toBe(i + 2); // the header is row 1
      expect(p.map(Number)).toEqual(expected[i]);
      const best = expected[i]!.indexOf(Math.max(...expected[i]!));
      expect(name).toBe(['setosa', 'versicolor', 'virginica'][best]);
    });
  });

  it('prints JSON Lines with --json, to stdout without --output', async () => {
    const input = csv(directory, 'flowers2.csv', [
      FLOWER_COLUMNS.join(','),
      ...FLOWERS.map((row) => row.join(',')),
    ]);
    const run = await backprop('predict', '--model', flowers, '--input', input, '--json');
    expect(run.status).toBe(0);
    const records = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { row: number; class: string; probabilities: object });
    expect(records).toHaveLength(3);
    const expected = expectedFlowers(FLOWERS);
    records.forEach((record, i) => {
      expect(record.row).toBe(i + 2);
      expect(Object.keys(record.probabilities)).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(Object.values(record.probabilities)).toEqual(expected[i]);
    });
  });

  it('writes regression values in the targets’ units', async () => {
    const input = csv(directory, 'cars.csv', ['cylinders,year,weight', '4,82,2500', '8,70,4300']);
    const run = await backprop('predict', '--model', cars, '--input', input);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,mpg,hp');
    const model = carModel();
    const x = applyPreprocessing(model.preprocessing!, [
      [2500, 82, 4],
      [4300, 70, 8],
    ]);
    const expected = unscaleTargets(model.preprocessing!, model.predict(x)).toArray();
    expect(lines.slice(1).map((line) => line.split(',').slice(1).map(Number))).toEqual(expected);
  });

  it('streams files of many batches, one output line per row', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => FLOWERS[i % 3]!.join(','));
    const input = csv(directory, 'many.csv', [FLOWER_COLUMNS.join(','), ...rows]);
    const run = await backprop('predict', '--model', flowers, '--input', input);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2501);
    expect(lines.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(
      rows.map((_, i) => i + 2),
    );
  });

  it('drops rows with a missing value with --drop-missing, and says how many', async () => {
    const input = csv(directory, 'missing.csv', [
      FLOWER_COLUMNS.join(','),
      '5.1,3.5,1.4,0.2',
      '6.3,,6.0,2.5',
      '5.9,2.9,4.6,NA',
      '5.9,2.9,4.6,1.3',
    ]);
    const run = await backprop('predict', '--model', flowers, '--input', input, '--drop-missing');
    expect(run.status).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    ).toEqual(['2', '5']);
    expect(run.stderr).toBe('note: dropped 2 rows with a missing value (--drop-missing)\n');
  });

  it('takes an MNIST model’s 784 columns in order when it has no preprocessing', async () => {
    const model = new Sequential([new Dense(784, 10, { activation: 'softmax' })], {
      seed: 1,
      metadata: { data: { name: 'MNIST' } },
    });
    const path = await saved(model, directory, 'mnist.json');
    const pixels = Array.from({ length: 784 }, (_, k) => (k % 29) / 28);
    const header = Array.from({ length: 784 }, (_, k) => `pixel${k}`).join(',');
    const input = csv(directory, 'digits.csv', [header, pixels.join(',')]);
    const run = await backprop('predict', '--model', path, '--input', input);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      `row,class,${Array.from({ length: 10 }, (_, d) => `p(${d})`).join(',')}`,
    );
    const p = run.stdout.split('\n')[1]!.split(',').slice(2).map(Number);
    expect(p).toEqual(model.predict([pixels]).toArray()[0]);

    const raw = csv(directory, 'raw-digits.csv', [header, pixels.map((v) => v * 255).join(',')]);
    expect(errorLine(await backprop('predict', '--model', path, '--input', raw))).toMatch(
      /raw-digits\.csv, row 2 \(header = row 1\), column 2: expected a pixel value in \[0, 1\], found .*divide the values by 255/,
    );
  });
});

describe('backprop predict rejects bad input with one error line', () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      'a missing value',
      () => [
        '--input',
        csv(directory, 'gap.csv', [FLOWER_COLUMNS.join(','), '5.1,3.5,1.4,0.2', '6.3,,6.0,2.5']),
      ],
      /gap\.csv, row 3 \(header = row 1\), column "sepal width": missing value \(""\).*--drop-missing/,
    ],
    [
      'a value that is not a number',
      () => ['--input', csv(directory, 'text.csv', [FLOWER_COLUMNS.join(','), '5.1,3.5,big,0.2'])],
      /text\.csv, row 2 \(header = row 1\), column "petal length": expected a number, found "big"/,
    ],
    [
      'a missing column',
      () => [
        '--input',
        csv(directory, 'three.csv', ['sepal length,sepal width,petal length', '1,2,3']),
      ],
      /three\.csv: expected the model's input columns "sepal length", "sepal width", "petal length", "petal width"; missing "petal width"/,
    ],
    [
      'a ragged row',
      () => ['--input', csv(directory, 'ragged.csv', [FLOWER_COLUMNS.join(','), '1,2,3'])],
      /ragged\.csv, row 2 \(header = row 1\): expected 4 fields like the header, found 3/,
    ],
    [
      'an input file that does not exist',
      () => ['--input', join(directory, 'absent.csv')],
      /absent\.csv: no such file/,
    ],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const run = await backprop('predict', '--model', flowers, ...args());
    expect(errorLine(run)).toMatch(message);
  });

  it('a model file that is not JSON', async () => {
    const model = join(directory, 'notes.json');
    writeFileSync(model, 'hello');
    const input = csv(directory, 'ok.csv', [FLOWER_COLUMNS.join(','), '1,2,3,4']);
    expect(errorLine(await backprop('predict', '--model', model, '--input', input))).toMatch(
      /notes\.json: expected a JSON model file, found text that is not JSON/,
    );
  });

  it('no --model', async () => {
    expect(errorLine(await backprop('predict', '--input', 'x.csv'))).toMatch(
      /required option '--model <path>' not specified; see backprop predict --help/,
    );
  });

  it('leaves no half-written --output and keeps an existing one', async () => {
    const output = join(directory, 'keep', 'p.csv');
    await backprop(
      'predict',
      '--model',
      flowers,
      '--input',
      csv(directory, 'a.csv', [FLOWER_COLUMNS.join(','), '1,2,3,4']),
      '--output',
      output,
    );
    const before = readFileSync(output, 'utf8');
    const rows = [...Array.from({ length: 3000 }, () => '1,2,3,4'), '1,2,x,4'];
    const input = csv(directory, 'late-error.csv', [FLOWER_COLUMNS.join(','), ...rows]);
    const run = await backprop('predict', '--model', flowers, '--input', input, '--output', output);
    expect(errorLine(run)).toMatch(/row 3002 \(header = row 1\), column "petal length"/);
    expect(readFileSync(output, 'utf8')).toBe(before);
    expect(readdirSync(join(directory, 'keep'))).toEqual(['p.csv']);
    expect(existsSync(join(directory, 'keep', 'q.csv'))).toBe(false);
  });
});
