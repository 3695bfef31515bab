import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense, Sequential } from '@backpropjs/core';
import {
  SKIP_REASON,
  requireChromium,
  root,
  skipBrowserTests,
  launchChromium,
  startPlayground,
  watchErrors,
  type Browser,
} from './chromium.js';
import type {} from './library-page/main.js';

// trainInWorker in Chromium (test/browser/library-page/, the browser entry from source, served
// by Vite with and without the playground's cross-origin-isolation headers): XOR trained in the
// library's own Web Worker streams logs and snapshots, ends bit-identical to fit on the page
// and in Node, stops at a batch boundary (by a shared flag, or by a message), keeps the page
// drawing, and refuses functions.

if (skipBrowserTests) console.warn(SKIP_REASON);

/** XOR, the playground's classic: 4 points, 2-4-1 tanh/sigmoid, seeded. */
const XOR = {
  x: [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  y: [[0], [1], [1], [0]],
  seed: 3,
  options: { loss: 'binaryCrossEntropy', learningRate: 0.5, batchSize: 2, epochs: 60 },
} as const;

/** The page's two ways to stop a worker: a shared flag where it is isolated, else a message. */
const PAGES = [
  { isolated: true, headers: {} },
  {
    isolated: false,
    headers: {
      'Cross-Origin-Opener-Policy': 'unsafe-none',
      'Cross-Origin-Embedder-Policy': 'unsafe-none',
    },
  },
];

for (const { isolated, headers } of PAGES) {
  describe.skipIf(skipBrowserTests)(
    `trainInWorker in Chromium, ${isolated ? 'cross-origin isolated' : 'not isolated'}`,
    () => {
      let server: ViteDevServer | undefined;
      let browser: Browser | undefined;
      let page: Page;
      let errors: string[];

      beforeAll(async () => {
        requireChromium();
        const started = await startPlayground({
          root: join(root, 'test/browser/library-page'),
          server: { host: '127.0.0.1', port: 0, watch: null, hmr: false, headers },
        });
        server = started.server;
        browser = await launchChromium();
        page = await browser.context.newPage();
        errors = watchErrors(page);
        await page.goto(started.url);
        await page.waitForFunction(() => window.backprop !== undefined);
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
      }, 90_000);

      afterAll(async () => {
        await browser?.close();
        await server?.close();
      });

      it('trains XOR in a worker with logs and snapshots, bit-identical to fit on the page and in Node', async () => {
        const run = await page.evaluate(async (xor) => {
          const { Dense, Sequential, trainInWorker } = window.backprop;
          const build = () =>
            new Sequential(
              [new Dense(2, 4, { activation: 'tanh' }), new Dense(4, 1, { activation: 'sigmoid' })],
              { seed: xor.seed },
            );
          const onPage = build();
          const pageHistory = await onPage.fit(xor.x, xor.y, xor.options);
          const model = build();
          const epochs: number[] = [];
          const losses: number[] = [];
          const batches: string[] = [];
          // What the page's model predicts at each snapshot (the weights of that epoch).
          const predictions: number[] = [];
          const job = trainInWorker(model, xor.x, xor.y, {
            ...xor.options,
            onBatchEnd: (batch, logs) => batches.push(`${batch}:${logs['loss']}`),
            onEpochEnd: (epoch, logs) => {
              epochs.push(epoch);
              losses.push(logs['loss']!);
            },
            onSnapshot: (_, snapshot) => predictions.push(snapshot.predict([[1, 0]]).get(0, 0)),
          });
          const trained = await job;
          const history = await job.history;
          return {
            same: trained === model,
            backend: model.backend.name,
            epochs,
            losses,
            batches: batches.length,
            predictions,
            historyLoss: history.history['loss'],
            pageLoss: pageHistory.history['loss'],
            weights: model.getWeights().map((w) => Array.from(w.data)),
            pageWeights: onPage.getWeights().map((w) => Array.from(w.data)),
            random: model.random.getState(),
            pageRandom: onPage.random.getState(),
            trainingConfig: model.trainingConfig,
          };
        }, XOR);
        expect(run.same).toBe(true);
        expect(run.epochs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(run.batches).toBe(60 * 2);
        expect(run.predictions).toHaveLength(60);
        expect(run.historyLoss).toEqual(run.losses);
        // Bit for bit: the same losses, weights and generator state as fit on the page.
        expect(run.losses).toEqual(run.pageLoss);
        expect(run.weights).toEqual(run.pageWeights);
        expect(run.random).toEqual(run.pageRandom);
        expect(run.trainingConfig?.loss).toBe('binaryCrossEntropy');
        // The last snapshot is the final model; training lowered the loss.
        expect(run.losses.at(-1)!).toBeLessThan(run.losses[0]!);

        // And as fit in Node on the same backend (float32 'wasm': the same kernels in both): the
        // same weights bit for bit. The float64 loss logs may differ in the last bit, as Chromium's
        // and Node's V8 differ in the last bit of Math.log for some arguments.
        const node = new Sequential(
          [new Dense(2, 4, { activation: 'tanh' }), new Dense(4, 1, { activation: 'sigmoid' })],
          { seed: XOR.seed },
        );
        expect(node.backend.name).toBe(run.backend);
        const history = await node.fit(XOR.x, XOR.y, XOR.options);
        expect(run.weights).toEqual(node.getWeights().map((w) => Array.from(w.data)));
        history.history['loss']!.forEach((loss, i) => expect(run.losses[i]).toBeCloseTo(loss, 14));
      });

      it('stops at a batch boundary: every batch trained was reported, and fit stopped there agrees', async () => {
        const run = await page.evaluate(async () => {
          const { Dense, Matrix, Random, Sequential, trainInWorker } = window.backprop;
          const random = new Random(2);
          const x = new Matrix(256, 2, 'float64');
          const y = new Matrix(256, 1, 'float64');
          for (let i = 0; i < 256; i++) {
            x.set(i, 0, random.normal());
            x.set(i, 1, random.normal());
            y.set(i, 0, x.get(i, 0) * x.get(i, 1) > 0 ? 1 : 0);
          }
          const build = () =>
            new Sequential(
              [new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 1, { activation: 'sigmoid' })],
              { seed: 4, dtype: 'float64' },
            );
          const options = { loss: 'binaryCrossEntropy' as const, batchSize: 4, epochs: 1000 };
          let reported = 0;
          const model = build();
          const job = trainInWorker(model, x, y, {
            ...options,
            onBatchEnd: () => {
              if (++reported === 100) job.stop();
            },
          });
          const history = await job.history;
          // The same run on the page, stopped after as many batches as the worker reported.
          const onPage = build();
          let batches = 0;
          await onPage.fit(x, y, {
            ...options,
            onBatchEnd: () => {
              if (++batches === reported) onPage.stopTraining = true;
            },
          });
          return {
            reported,
            epochs: history.epoch.length,
            same:
              JSON.stringify(model.getWeights().map((w) => Array.from(w.data))) ===
              JSON.stringify(onPage.getWeights().map((w) => Array.from(w.data))),
          };
        });
        // 64 batches an epoch: the stop came in epoch 2 and ended it; the worker may have trained
        // a few batches while the stop was on its way, and it reported each of them.
        console.log(`stop() at batch 100's log: the worker stopped after batch ${run.reported}`);
        expect(run.reported).toBeGreaterThanOrEqual(100);
        expect(run.reported).toBeLessThan(1000 * 64);
        expect(run.epochs).toBe(Math.ceil(run.reported / 64));
        expect(run.same).toBe(true);
      });

      it('keeps the page drawing frames while the worker trains', async () => {
        const run = await page.evaluate(async () => {
          const { Dense, Matrix, Random, Sequential, trainInWorker } = window.backprop;
          const random = new Random(1);
          const x = new Matrix(4096, 8);
          for (let i = 0; i < x.data.length; i++) x.data[i] = random.normal();
          const y = new Matrix(4096, 1);
          for (let i = 0; i < 4096; i++) y.data[i] = x.data[i * 8]! > 0 ? 1 : 0;
          const model = new Sequential(
            [
              new Dense(8, 128, { activation: 'relu' }),
              new Dense(128, 1, { activation: 'sigmoid' }),
            ],
            { seed: 1 },
          );
          let frames = 0;
          let counting = true;
          const count = () => {
            if (!counting) return;
            frames++;
            requestAnimationFrame(count);
          };
          await new Promise((resolve) => requestAnimationFrame(resolve));
          requestAnimationFrame(count);
          const started = performance.now();
          // Epochs until 600 ms have passed: a callback in the page stops the job after an epoch.
          const job = trainInWorker(model, x, y, {
            loss: 'binaryCrossEntropy',
            batchSize: 16,
            epochs: 10_000,
            callbacks: [{ onEpochEnd: () => ({ stop: performance.now() - started > 600 }) }],
          });
          await job;
          const ms = performance.now() - started;
          counting = false;
          return { frames, ms };
        });
        console.log(`frames while training in a worker: ${run.frames} in ${run.ms.toFixed(0)} ms`);
        expect(run.frames).toBeGreaterThan(run.ms / 16.7 / 3);
      });

      it(`creates the 'wasm' backend with threads in the worker ${isolated ? 'bit-identical to one thread' : 'only where the page is isolated'}`, async () => {
        const run = await page.evaluate(async (xor) => {
          const { Dense, Sequential, trainInWorker } = window.backprop;
          const train = async (threads?: number) => {
            const model = new Sequential(
              [
                new Dense(2, 16, { activation: 'relu' }),
                new Dense(16, 1, { activation: 'sigmoid' }),
              ],
              { seed: xor.seed },
            );
            return trainInWorker(model, xor.x, xor.y, { ...xor.options, threads }).result.then(
              () => model.getWeights().map((w) => Array.from(w.data)),
              (error: Error) => `${error.name}: ${error.message}`,
            );
          };
          return { one: await train(), two: await train(2), bad: await train(0) };
        }, XOR);
        if (isolated) expect(run.two).toEqual(run.one);
        else
          expect(run.two).toMatch(
            /^ConfigError: threads > 1 in a browser needs .*cross-origin-isolated/,
          );
        expect(run.bad).toMatch(/^ConfigError: .*threads/);
      });

      it('refuses activations and losses given as functions, naming them, before a worker starts', async () => {
        const refused = await page.evaluate(() => {
          const { Dense, Sequential, trainInWorker, getLoss } = window.backprop;
          const cube = {
            name: 'cube',
            g: (z: number) => z ** 3,
            derivative: (z: number) => 3 * z * z,
          };
          const model = new Sequential(
            [new Dense(2, 3, { activation: cube }), new Dense(3, 1, { activation: 'sigmoid' })],
            { seed: 1 },
          );
          const loss = { ...getLoss('mse'), name: 'mine', config: undefined };
          try {
            trainInWorker(model, [[0, 1]], [[1]], { loss: loss as never });
            return 'accepted';
          } catch (error) {
            return `${(error as Error).name}: ${(error as Error).message}`;
          }
        });
        expect(refused).toMatch(/^ConfigError: trainInWorker cannot send functions to a worker/);
        expect(refused).toContain('the activation "cube" of layer 1 Dense(2 => 3');
        expect(refused).toContain('the loss "mine"');
      });

      it("rejects with the worker's error, its class and message unchanged", async () => {
        const [inWorker, onPage] = await page.evaluate(async () => {
          const { Dense, Sequential, trainInWorker } = window.backprop;
          const build = () => new Sequential([new Dense(2, 1, { activation: 'sigmoid' })]);
          const describe = (error: Error) => `${error.name}: ${error.message}`;
          const options = { loss: 'binaryCrossEntropy', learningRate: -1 } as const;
          return Promise.all([
            trainInWorker(build(), [[0, 1]], [[1]], options).result.then(
              () => 'resolved',
              describe,
            ),
            build()
              .fit([[0, 1]], [[1]], options)
              .then(() => 'resolved', describe),
          ]);
        });
        expect(inWorker).toMatch(/^ConfigError: /);
        expect(inWorker).toBe(onPage);
      });

      it('rejects with a BackpropError when the worker script cannot run', async () => {
        const failed = await page.evaluate(async () => {
          const { Dense, Sequential, trainInWorker } = window.backprop;
          // A URL the server answers with its HTML page: not a module script.
          const job = trainInWorker(new Sequential([new Dense(2, 1)]), [[0, 1]], [[1]], {
            worker: new URL('./index.html', location.href),
          });
          return job.result.then(
            () => 'resolved',
            (error: Error) => `${error.name}: ${error.message}`,
          );
        });
        expect(failed).toMatch(/^BackpropError: the training worker failed: /);
      });

      it('reported no console errors', () => {
        expect(errors).toEqual([]);
      });
    },
  );
}
