import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyPreprocessing } from '../../core/src/data/preprocess.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { backprop, errorLine } from './backprop.js';
import { carModel, csv, saved } from './model-files.js';

// `backprop evaluate` computes its loss and its metrics from one forward pass per batch
// (model.evaluate with an onBatch visitor), with the library's accumulators (issue 15, item 12).

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-evaluate-pass-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const CARS = [
  ['2500', '82', '4', '31', '80'],
  ['4300', '70', '8', '14', '190'],
  ['3100', '76', '6', '20', '105'],
];

describe('backprop evaluate, one forward pass', () => {
  it('gives per-target mse and mae in the targets’ units, as a float64 reference', async () => {
    const cars = await saved(carModel(), directory, 'cars.json');
    const input = csv(directory, 'cars.csv', [
      'weight,year,cylinders,mpg,hp',
      ...CARS.map((row) => row.join(',')),
    ]);
    const forward = vi.spyOn(Sequential.prototype, 'forwardTrace');
    try {
      const run = await backprop('evaluate', '--model', cars, '--input', input, '--json');
      expect(run.status).toBe(0);
      // 3 rows are one batch: one forward pass (the loss and the errors share it).
      expect(forward).toHaveBeenCalledTimes(1);
      const result = JSON.parse(run.stdout) as { mse: number[]; mae: number[] };
      // Reference: the outputs a [3, 2] of the same model, unscaled by hand in float64.
      const model = carModel();
      const a = model.predict(
        applyPreprocessing(
          model.preprocessing!,
          CARS.map((row) => row.slice(0, 3)),
        ),
      );
      const { offset, scale } = model.preprocessing!.targetScaling!;
      for (let j = 0; j < 2; j++) {
        const errors = CARS.map(
          (row, i) => a.get(i, j) * scale[j]! + offset[j]! - Number(row[3 + j]),
        );
        const mse = errors.reduce((sum, e) => sum + e * e, 0) / 3;
        const mae = errors.reduce((sum, e) => sum + Math.abs(e), 0) / 3;
        expect(result.mse[j]).toBeCloseTo(mse, 9);
        expect(result.mae[j]).toBeCloseTo(mae, 9);
      }
    } finally {
      forward.mockRestore();
    }
  });

  it('refuses a non-finite output, naming the row', async () => {
    // Finite parameters (a model file may not hold others) whose outputs overflow float32.
    const model = carModel();
    model.denseLayers[1]!.weights.data.fill(3e38);
    const path = await saved(model, directory, 'overflow.json');
    const input = csv(directory, 'overflow.csv', [
      'weight,year,cylinders,mpg,hp',
      ...CARS.map((row) => row.join(',')),
    ]);
    expect(errorLine(await backprop('evaluate', '--model', path, '--input', input))).toMatch(
      /^error: evaluate: row 1 \(1-based\): expected finite outputs, found (-?Infinity|NaN) in output 1 of 2;/,
    );
  });
});
