import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ConfusionMatrix,
  Random,
  explain,
  explanationToJSON,
  explanationToText,
  type LossName,
  modelFromText,
  preprocessRows,
  type Sequential,
  type TabularData,
} from '../../packages/core/src/index.js';
import { runInProcess } from '../../packages/cli/test/in-process.js';
import { typeErrors } from '../type-check.js';
import { artifacts, screenshot, watchErrors, type Shared } from './chromium.js';
import { checkEveryStep } from './step-through-page.js';
import { viewShot } from './view-shot.js';

// The playground's "Your data and your model" panel in Chromium: a CSV loaded and trained in
// the page, its exported code type-checked and run in Node (same losses, same confusion
// matrix), and model files written by `backprop train` loaded and explained on an example.

/** Equal to 9 significant digits: Chromium's and Node's V8 differ in Math.exp's last bit. */
function expectClose(shown: readonly number[], expected: readonly number[]): void {
  expect(shown).toHaveLength(expected.length);
  shown.forEach((value, i) => {
    const tolerance = 1e-9 * Math.max(Math.abs(value), Math.abs(expected[i]!)) + 1e-15;
    if (!(Math.abs(value - expected[i]!) <= tolerance))
      expect(value, `epoch ${i + 1}`).toBe(expected[i]);
  });
}

/** `rows` rows of x1, x2 (seeded normals) and a label; `extra` adds columns. */
function csvText(
  rows: number,
  label: (x1: number, x2: number, i: number) => string,
  extra?: (i: number) => string[],
) {
  const random = new Random(11);
  const lines = [['x1', 'x2', ...(extra ? ['colour'] : []), 'label'].join(',')];
  for (let i = 0; i < rows; i++) {
    const x1 = random.normal();
    const x2 = random.normal();
    lines.push([x1.toFixed(4), x2.toFixed(4), ...(extra?.(i) ?? []), label(x1, x2, i)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The tests of the own-data panel, in a describe block of teach.test.ts. */
export function ownDataPage(shared: Shared): void {
  let page: Page;
  let errors: string[];
  let directory: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'backprop-own-data-'));
    files['blobs'] = join(directory, 'blobs.csv');
    writeFileSync(
      files['blobs'],
      csvText(80, (x1, x2) => (x1 + x2 > 0 ? 'up' : 'down')),
    );
    files['colours'] = join(directory, 'colours.csv');
    const colours = ['red', 'green', 'blue'];
    writeFileSync(
      files['colours'],
      csvText(
        90,
        (x1, _, i) => (i % 3 === 0 ? 'c' : x1 > 0 ? 'a' : 'b'),
        (i) => [colours[i % 3]!],
      ),
    );
    page = await shared.browser.context.newPage();
    errors = watchErrors(page);
    await page.goto(shared.url);
    await page.locator('#own-csv').waitFor();
  }, 60_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** Loads a CSV, sets the run, trains; returns the page's losses. */
  async function trainOn(file: string, settings: Record<string, string>): Promise<number[]> {
    await page.locator('#own-csv').setInputFiles(file);
    await page.locator('#own-train:not([disabled])').waitFor();
    for (const [id, value] of Object.entries(settings)) {
      const control = page.locator(`#own-${id}`);
      const kind =
        (await control.getAttribute('type')) ?? (await control.evaluate((e) => e.tagName));
      if (kind === 'SELECT') await control.selectOption(value);
      else if (kind === 'checkbox') await control.setChecked(value === 'on');
      else await control.fill(value);
    }
    await page.locator('#own-train').click();
    await page.locator('#own-results[data-state="trained"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#own-error').textContent()).toBe('');
    return JSON.parse(
      (await page.locator('#own-results').getAttribute('data-losses'))!,
    ) as number[];
  }

  /** The exported code, saved under test-artifacts/ (so it resolves the workspace's packages), type-checked and run. */
  async function runExported(name: string, csv: string) {
    await page.locator('#own-export').click();
    await page.locator('#own-code:not([hidden])').waitFor();
    const code = (await page.locator('#own-code').textContent())!;
    expect(code).toContain(`await loadCsv('${name}.csv', {`);
    const folder = join(artifacts, 'export');
    mkdirSync(folder, { recursive: true });
    const module = join(folder, `${name}-run.ts`);
    writeFileSync(module, code.replace(`loadCsv('${name}.csv'`, `loadCsv(${JSON.stringify(csv)}`));
    expect(typeErrors(module)).toEqual([]);
    return {
      code,
      run: (await import(/* @vite-ignore */ module)) as {
        history: { history: Record<string, number[]> };
        model: Sequential;
        data: TabularData;
      },
    };
  }

  it('trains on a CSV with two inputs: decision boundary, accuracy, confusion matrix', async () => {
    const losses = await trainOn(files['blobs']!, {
      epochs: '30',
      hidden: '6',
      activation: 'tanh',
    });
    expect(losses).toHaveLength(30);
    expect(await page.locator('#own-target').inputValue()).toBe('label');
    expect(await page.locator('#own-categorical').textContent()).toContain('none');
    expect(await page.locator('#own-boundary').isVisible()).toBe(true);
    expect(
      Number(await page.locator('#own-train-accuracy').getAttribute('data-value')),
    ).toBeGreaterThan(0.9);
    expect(await page.locator('#own-confusion td').count()).toBe(4);
    await screenshot(page, 'playground-own-data');
    await viewShot(page.locator('#own-results'), 'own-data');
  }, 60_000);

  it('exports code that type-checks and, run in Node, gives the page’s losses and scores', async () => {
    const losses = JSON.parse(
      (await page.locator('#own-results').getAttribute('data-losses'))!,
    ) as number[];
    const { run } = await runExported('blobs', files['blobs']!);
    expectClose(losses, run.history.history['loss']!);
    const test = run.model.evaluate(run.data.test.x, run.data.test.y, {
      loss: 'crossEntropy',
      accuracy: true,
    });
    expect(Number(await page.locator('#own-test-accuracy').getAttribute('data-value'))).toBe(
      test['accuracy'],
    );
  }, 60_000);

  it('one-hot encodes a text column and shows the 3-class confusion matrix that Node computes', async () => {
    const losses = await trainOn(files['colours']!, {
      epochs: '20',
      hidden: '8',
      diagnose: 'on',
    });
    expect(await page.locator('#own-categorical input[value="colour"]').isChecked()).toBe(true);
    expect(await page.locator('#own-boundary').isVisible()).toBe(false); // 2 + 3 inputs
    const { code, run } = await runExported('colours', files['colours']!);
    expect(code).toContain("categorical: ['colour'],");
    expect(run.data.featureNames).toHaveLength(5);
    expectClose(losses, run.history.history['loss']!);
    const matrix = new ConfusionMatrix(3);
    matrix.update(run.model.predict(run.data.test.x), run.data.test.y);
    const counts = matrix.toArray();
    for (const [t, name] of run.data.classNames!.entries()) {
      for (const [p, predicted] of run.data.classNames!.entries()) {
        const cell = page.locator(
          `#own-confusion td[data-true="${name}"][data-predicted="${predicted}"]`,
        );
        expect(Number(await cell.getAttribute('data-value')), `${name} as ${predicted}`).toBe(
          counts[t]![p],
        );
      }
    }
  }, 60_000);

  it('shows the diagnostics when asked: the latest epoch, per layer, warnings in words', async () => {
    await page.locator('#own-diagnostics[data-epoch="20"]').waitFor();
    expect(await page.locator('#own-diagnostics tr[data-layer]').count()).toBe(2);
    const norm = Number(
      await page
        .locator('#own-diagnostics tr[data-layer="1"] [data-q="gradient-norm"]')
        .getAttribute('data-value'),
    );
    expect(norm).toBeGreaterThan(0);
    await screenshot(page, 'playground-diagnostics');
    await viewShot(page.locator('#own-diagnostics'), 'diagnostics-panel');
  });

  it('loads a model file written by backprop train and explains it on a row of the CSV', async () => {
    const modelFile = join(directory, 'blobs-model.json');
    const trained = await runInProcess(
      'train',
      ...['--input', files['blobs']!, '--target', 'label', '--epochs', '3', '--output', modelFile],
    );
    expect(trained.status).toBe(0);
    await page.locator('#own-csv').setInputFiles(files['blobs']!);
    await page.locator('#own-model').setInputFiles(modelFile);
    await page.locator('#own-model-explain:not(:empty)').waitFor();
    const model = modelFromText(readFileSync(modelFile, 'utf8'), 'blobs-model.json');
    expect(await page.locator('#own-model-summary').textContent()).toBe(model.summary());
    await page.locator('#own-example').fill('4');
    await page.locator('#own-example').dispatchEvent('change');
    // Row 6 of the file (header = row 1) is example 4, preprocessed as at training.
    const text = readFileSync(files['blobs']!, 'utf8').trim().split('\n');
    const [x1, x2, label] = text[5]!.split(',');
    const { x } = preprocessRows(model.preprocessing!, [{ x1, x2, label }], { dtype: model.dtype });
    const k = model.classNames!.indexOf(label!);
    const y = model.classNames!.map((_, j) => (j === k ? 1 : 0));
    const expected = explanationToText(explain(model, Array.from(x.row(0)), y), {
      source: 'blobs.csv, row 6',
    });
    await expect.poll(() => page.locator('#own-model-explain').textContent()).toBe(expected);
    // The step-through view reads the same model and example.
    // (A string, not a function: vitest would rewrite a function's dynamic import.)
    const source = (await page.evaluate(`import('/playground/step-source.ts').then((module) => {
      const current = module.stepThroughSource();
      return { x: current.x, y: current.y, label: current.label };
    })`)) as { x: number[]; y: number[]; label: string };
    expect(source).toEqual({ x: Array.from(x.row(0)), y, label: 'blobs.csv, row 6' });
    // Its button opens the step-through on them, with the loss and η of the model's training;
    // every number on every step is the library's.
    await page.locator('#own-model-step').click();
    const training = model.trainingConfig!;
    const json = explanationToJSON(
      explain(model, Array.from(x.row(0)), y, {
        loss: training.loss as LossName,
        learningRate: training.optimizer.config['learningRate'] as number,
      }),
      { full: true },
    );
    const walked = await checkEveryStep(page, json);
    expect(walked.count).toBeGreaterThan(5);
    await page.locator('#step-close').click();
    await screenshot(page, 'playground-model-file');
    await viewShot(page.locator('#own-model-view'), 'model-file');
  }, 60_000);

  it('exports the main playground run as code (its Node test: test/web/export-playground.test.ts)', async () => {
    await page.locator('#export-code').click();
    await expect
      .poll(() => page.locator('#error').textContent())
      .toBe('train at least one epoch, then export the run');
    await page.locator('#step').click();
    await page.locator('#epoch[data-value="1"]').waitFor();
    await page.locator('#export-code').click();
    const code = (await page.locator('#playground-code').textContent())!;
    expect(code).toContain('  epochs: 1,\n});');
    expect(code.match(/^ {2}\[-?\d.*\],$/gm)).toHaveLength(2 * 200); // x and y of 200 points
    expect(await page.locator('#error').textContent()).toBe('');
  });

  it('loads an MNIST model as the digits page uses, with its large layers summarised', async () => {
    const modelFile = join(directory, 'mnist.json');
    const trained = await runInProcess(
      'train',
      ...['--limit', '300', '--epochs', '1', '--layers', '784,16,10', '--backend', 'js'],
      ...['--output', modelFile],
    );
    expect(trained.status).toBe(0);
    await page.locator('#own-model').setInputFiles(modelFile);
    await expect
      .poll(() => page.locator('#own-model-explain').textContent())
      .toContain('a blank input');
    const text = (await page.locator('#own-model-explain').textContent())!;
    // W¹ is 16 × 784: summarised by its shape and norm, not printed whole.
    expect(text).toContain('W¹: 16×784, the first 5 rows and columns shown; ‖W¹‖ = ');
    expect(text.split('\n').length).toBeLessThan(400);
    expect(await page.locator('#own-model-error').textContent()).toBe('');
    await page.locator('#own-model').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format": "backprop-model"'),
    });
    await expect
      .poll(() => page.locator('#own-model-error').textContent())
      .toMatch(/^bad\.json: expected a JSON model file/);
    expect(errors).toEqual([]);
  }, 90_000);
}
