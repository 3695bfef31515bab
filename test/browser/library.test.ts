import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Dense,
  Sequential,
  loadModel,
  modelToText,
  tableFromRecords,
  type DType,
} from '@backpropjs/core';
import {
  SKIP_REASON,
  chromiumInstalled,
  launchChromium,
  root,
  startPlayground,
  watchErrors,
  type Browser,
} from './chromium.js';
import type {} from './library-page/main.js';

// The library's browser entry in Chromium (test/browser/library-page/, served from source by
// Vite): fit keeps the page drawing frames; models round-trip through localstorage://,
// indexeddb://, downloads:// and http(s):// bit for bit, against the same models in Node; and
// tableFromRecords gives in the page what it gives in Node.

if (!chromiumInstalled) console.warn(SKIP_REASON);

/** The model both runtimes build: 3-16-2, tanh and softmax, seeded. */
const SPEC = { seed: 5, sizes: [3, 16, 2] } as const;
/** Inputs both runtimes predict. */
const X = [
  [0.5, -1, 2],
  [1e-3, 7, -0.25],
  [-3, 0, 1],
];

function nodeModel(dtype: DType): Sequential {
  return new Sequential(
    [
      new Dense(SPEC.sizes[0], SPEC.sizes[1], { activation: 'tanh' }),
      new Dense(SPEC.sizes[1], SPEC.sizes[2], { activation: 'softmax' }),
    ],
    { dtype, seed: SPEC.seed },
  );
}

describe.skipIf(!chromiumInstalled)('the browser entry in Chromium', () => {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const started = await startPlayground({ root: join(root, 'test/browser/library-page') });
    server = started.server;
    browser = await launchChromium();
    page = await browser.context.newPage();
    errors = watchErrors(page);
    await page.goto(started.url);
    await page.waitForFunction(() => window.backprop !== undefined);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps drawing animation frames during a long fit with the default yieldEvery', async () => {
    const run = (yieldEvery: 'auto' | 'never') =>
      page.evaluate(async (yieldEvery) => {
        const { Dense, Matrix, Random, Sequential } = window.backprop;
        const random = new Random(1);
        const x = new Matrix(4096, 8);
        for (let i = 0; i < x.data.length; i++) x.data[i] = random.normal();
        const y = new Matrix(4096, 1);
        for (let i = 0; i < 4096; i++) y.data[i] = x.data[i * 8]! > 0 ? 1 : 0;
        const model = new Sequential(
          [new Dense(8, 128, { activation: 'relu' }), new Dense(128, 1, { activation: 'sigmoid' })],
          { seed: 1 },
        );
        let frames = 0;
        let counting = true;
        const count = () => {
          if (!counting) return;
          frames++;
          requestAnimationFrame(count);
        };
        // The first frame after the counter starts, so both runs start counting alike.
        await new Promise((resolve) => requestAnimationFrame(resolve));
        requestAnimationFrame(count);
        const started = performance.now();
        // Epochs until 600 ms have passed: a fit long enough to span many frames anywhere.
        const options = {
          loss: 'binaryCrossEntropy' as const,
          batchSize: 16,
          epochs: 10_000,
          onEpochEnd: () => {
            if (performance.now() - started > 600) model.stopTraining = true;
          },
        };
        await model.fit(x, y, yieldEvery === 'auto' ? options : { ...options, yieldEvery });
        const ms = performance.now() - started;
        counting = false;
        return { frames, ms };
      }, yieldEvery);
    const auto = await run('auto');
    const never = await run('never');
    console.log(
      `frames during fit: yieldEvery 'auto' ${auto.frames} in ${auto.ms.toFixed(0)} ms; ` +
        `'never' ${never.frames} in ${never.ms.toFixed(0)} ms`,
    );
    // At least a third of the frames a 60 Hz display would show; a fit that never yields
    // shows none (the control: the counter does count what it should).
    expect(auto.frames).toBeGreaterThan(auto.ms / 16.7 / 3);
    expect(never.frames).toBeLessThanOrEqual(1);
  });

  /** Saves and loads a model in the page; returns whether every byte and prediction matched. */
  async function roundTrip(url: string, dtype: DType) {
    return page.evaluate(
      async ({ url, dtype, spec, x }) => {
        const { Dense, Sequential, saveModel, loadModel, modelToText } = window.backprop;
        const saved = new Sequential(
          [
            new Dense(spec.sizes[0], spec.sizes[1], { activation: 'tanh' }),
            new Dense(spec.sizes[1], spec.sizes[2], { activation: 'softmax' }),
          ],
          { dtype, seed: spec.seed },
        );
        await saved.fit(
          x,
          [
            [1, 0],
            [0, 1],
            [1, 0],
          ],
          { loss: 'crossEntropy', epochs: 3 },
        );
        await saveModel(saved, url, { metadata: { page: true } });
        const loaded = await loadModel(url);
        return {
          sameText: modelToText(loaded) === modelToText(saved, { page: true }),
          before: Array.from(saved.predict(x).data),
          after: Array.from(loaded.predict(x).data),
        };
      },
      { url, dtype, spec: SPEC, x: X },
    );
  }

  it.each([
    ['localstorage://xor-float32', 'float32'],
    ['localstorage://xor-float64', 'float64'],
    ['indexeddb://xor-float32', 'float32'],
    ['indexeddb://xor-float64', 'float64'],
  ] as const)('round-trips %s bit-exactly', async (url, dtype) => {
    const { sameText, before, after } = await roundTrip(url, dtype);
    expect(sameText).toBe(true);
    expect(after).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('keeps models apart by name and stores the model file text', async () => {
    const stored = await page.evaluate(async () => {
      const key = `${window.backprop.LOCAL_STORAGE_PREFIX}xor-float64`;
      const model = await window.backprop.loadModel('indexeddb://xor-float32');
      return { dtype: model.dtype, text: localStorage.getItem(key)!.slice(0, 60) };
    });
    expect(stored.dtype).toBe('float32');
    expect(stored.text).toMatch(/^\{\n {2}"format": "backprop-model",\n {2}"version": 3,/);
    const missing = await page.evaluate(() =>
      window.backprop.loadModel('indexeddb://none').then(
        () => 'loaded',
        (error: Error) => `${error.name}: ${error.message}`,
      ),
    );
    expect(missing).toBe(
      'ModelFileError: indexeddb://none: expected a saved model in the database "backprop-models", found none',
    );
  });

  it('offers downloads://name as name.json, the text Node loads bit for bit', async () => {
    const [download, predictions] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(
        async ({ spec, x }) => {
          const { Dense, Sequential, saveModel } = window.backprop;
          const model = new Sequential(
            [
              new Dense(spec.sizes[0], spec.sizes[1], { activation: 'tanh' }),
              new Dense(spec.sizes[1], spec.sizes[2], { activation: 'softmax' }),
            ],
            { dtype: 'float64', seed: spec.seed },
          );
          await saveModel(model, 'downloads://xor');
          return Array.from(model.predict(x).data);
        },
        { spec: SPEC, x: X },
      ),
    ]);
    expect(download.suggestedFilename()).toBe('xor.json');
    const path = await download.path();
    expect(readFileSync(path, 'utf8')).toBe(modelToText(nodeModel('float64')));
    const inNode = await loadModel(path);
    expect(Array.from(inNode.predict(X).data)).toEqual(predictions);
  });

  it('loads http(s):// URLs with fetch: a model made in Node predicts the same bits', async () => {
    const model = nodeModel('float64');
    await page.route('**/models/**', (route) =>
      route.request().url().endsWith('/models/node.json')
        ? route.fulfill({ body: modelToText(model), contentType: 'application/json' })
        : route.fulfill({ status: 404, body: 'no such model' }),
    );
    const result = await page.evaluate(async (x) => {
      const { loadModel } = window.backprop;
      const loaded = await loadModel(new URL('/models/node.json', location.href).href);
      const missing = await loadModel(new URL('/models/gone.json', location.href).href).then(
        () => 'loaded',
        (error: Error) => error.message,
      );
      return { predictions: Array.from(loaded.predict(x).data), missing };
    }, X);
    expect(result.predictions).toEqual(Array.from(model.predict(X).data));
    expect(result.missing).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/models\/gone\.json: expected HTTP 200, found 404/,
    );
  });

  it('fits scaling, one-hot columns and class names from records as Node does', async () => {
    const records = [
      { size: 1.5, colour: 'red', label: 'b' },
      { size: '2.25', colour: 'blue', label: 'a' },
      { size: 7, colour: 'red', label: 'b' },
      { size: -1, colour: 'green', label: 'a' },
      { size: 3, colour: 'blue', label: 'c' },
      { size: 0.5, colour: 'green', label: 'c' },
    ];
    const options = { target: 'label', categorical: ['colour'], test: 0.33, seed: 2 };
    const inPage = await page.evaluate(
      ({ records, options }) => {
        const data = window.backprop.tableFromRecords(records, options);
        return {
          x: Array.from(data.x.data),
          y: Array.from(data.y.data),
          preprocessing: data.preprocessing,
          classNames: data.classNames,
        };
      },
      { records, options },
    );
    const inNode = tableFromRecords(records, options);
    expect(inPage.x).toEqual(Array.from(inNode.x.data));
    expect(inPage.y).toEqual(Array.from(inNode.y.data));
    expect(inPage.preprocessing).toEqual(inNode.preprocessing);
    expect(inPage.classNames).toEqual(['a', 'b', 'c']);
  });
});
