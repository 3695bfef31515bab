import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { Dense, Random, Sequential, jsBackend } from '../../packages/core/src/index.js';
import { formatNumber } from '../../web/format.js';
import { EXTENT } from '../../web/playground/boundary.js';
import { generate } from '../../web/playground/datasets.js';
import { screenshot, valueOf, watchErrors, type Shared } from './chromium.js';

// The playground page (web/index.html) in Chromium: it loads cleanly, trains XOR live, and its
// unit inspector shows the numbers that the library computes in Node for the same run.

/** The run the test sets up on the page: XOR, 2-4-1 tanh, binary cross-entropy. */
const RUN = {
  dataset: 'xor',
  points: 200,
  noise: 0,
  seed: 1,
  hidden: '4',
  activation: 'tanh',
  loss: 'binaryCrossEntropy',
  learningRate: 0.1,
  batchSize: 10,
} as const;

/** The same run computed in Node with the library: data, model and `fit` for `epochs`. */
async function libraryRun(epochs: number) {
  const data = generate(RUN.dataset, new Random(RUN.seed), {
    points: RUN.points,
    noise: RUN.noise,
  });
  const model = new Sequential(
    [new Dense(2, 4, { activation: RUN.activation }), new Dense(4, 1, { activation: 'sigmoid' })],
    { dtype: 'float64', seed: RUN.seed, backend: jsBackend },
  );
  await model.fit(data.x, data.y, {
    loss: RUN.loss,
    learningRate: RUN.learningRate,
    batchSize: RUN.batchSize,
    epochs,
  });
  return { model, data };
}

/**
 * Equal to 9 significant digits (or within 1e-15). The page and Node run the same code in
 * float64, but their V8 versions differ in the last bit of Math.exp for about one argument in
 * ten (Chromium 156 against Node 20), and sigmoid uses it: after thousands of SGD steps the
 * weights differ from about the 15th digit on.
 */
function expectEqual(shown: number, expected: number, what = ''): void {
  const tolerance = 1e-9 * Math.max(Math.abs(shown), Math.abs(expected)) + 1e-15;
  if (!(Math.abs(shown - expected) <= tolerance)) expect(shown, what).toBe(expected);
}

/** Sets a control the way a person does: type or choose, then commit (a change event). */
async function set(page: Page, id: string, value: string | number): Promise<void> {
  const control = page.locator(`#${id}`);
  if ((await control.evaluate((element) => element.tagName)) === 'SELECT') {
    await control.selectOption(String(value));
  } else {
    await control.fill(String(value));
    await control.dispatchEvent('change');
  }
}

/** The tests of the playground page, in a describe block of pages.test.ts. */
export function playgroundPage(shared: Shared): void {
  let page: Page;
  let errors: string[];
  /** Epochs trained on the page when it was paused. */
  let epochs = 0;

  beforeAll(async () => {
    page = await shared.browser.context.newPage();
    errors = watchErrors(page);
    await page.goto(shared.url);
    await page.locator('#inspector table').first().waitFor();
  }, 60_000);

  it('loads with no console errors and draws the network, the data and the inspector', async () => {
    expect(await page.title()).toBe('backprop playground');
    expect(await page.locator('#network .unit').count()).toBe(2 + 4 + 1);
    expect(await page.locator('#network line').count()).toBe(2 * 4 + 4 * 1);
    expect(await page.locator('#epoch').textContent()).toBe('0');
    expect(await page.locator('#status').getAttribute('data-state')).toBe('paused');
    expect(errors).toEqual([]);
  });

  it('trains XOR live to at least 95% training accuracy, as fit does in Node', async () => {
    for (const [id, value] of [
      ['dataset', RUN.dataset],
      ['points', RUN.points],
      ['noise', RUN.noise],
      ['seed', RUN.seed],
      ['hidden', RUN.hidden],
      ['activation', RUN.activation],
      ['loss', RUN.loss],
      ['learning-rate', RUN.learningRate],
      ['batch-size', RUN.batchSize],
    ] as const) {
      await set(page, id, value);
    }
    await page.locator('#train').click();
    await page.waitForFunction(
      () => Number(document.querySelector('#train-accuracy')?.getAttribute('data-value')) >= 0.95,
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('#train').click(); // Pause
    await page.locator('#status[data-state="paused"]').waitFor();
    epochs = await valueOf(page, '#epoch');
    const accuracy = await valueOf(page, '#train-accuracy');
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(await page.locator('#loss-chart polyline').getAttribute('data-epochs')).toBe(
      String(epochs),
    );

    // The page's run is one fit call of `epochs` epochs: Node gets the same scores.
    const { model, data } = await libraryRun(epochs);
    const logs = model.evaluate(data.x, data.y, { loss: RUN.loss, accuracy: true });
    expect(accuracy).toBe(logs['accuracy']);
    expectEqual(await valueOf(page, '#train-loss'), logs['loss']!, 'training loss');
  }, 60_000);

  it('shows in the unit inspector the numbers of the library trace for the same example', async () => {
    expect(epochs).toBeGreaterThan(0);
    const { model, data } = await libraryRun(epochs);

    // Choose an example by clicking its point on the decision boundary: one with no other
    // training point within 6 pixels, so the click is unambiguous.
    const box = (await page.locator('#boundary').boundingBox())!;
    const toPixels = ([x1, x2]: number[]) => [
      ((x1! + EXTENT) / (2 * EXTENT)) * box.width,
      ((EXTENT - x2!) / (2 * EXTENT)) * box.height,
    ];
    const pixels = data.x.map(toPixels);
    const example = pixels.findIndex(
      ([px, py], i) =>
        i >= 10 && pixels.every(([qx, qy], j) => j === i || Math.hypot(qx! - px!, qy! - py!) > 6),
    );
    await page
      .locator('#boundary')
      .click({ position: { x: pixels[example]![0]!, y: pixels[example]![1]! } });
    await page.locator(`#inspector[data-example="${example}"]`).waitFor();
    expect(await valueOf(page, '#example-values [data-q="x1"]')).toBe(data.x[example]![0]);
    expect(await valueOf(page, '#example-values [data-q="x2"]')).toBe(data.x[example]![1]);
    expect(await valueOf(page, '#example-values [data-q="y"]')).toBe(data.y[example]![0]);

    // The library's forward and backward passes for this example alone, in Node.
    const x = [data.x[example]!];
    const trace = model.forward(x);
    const gradients = model.backward(trace, [data.y[example]!], RUN.loss);
    expectEqual(await valueOf(page, '#example-values [data-q="output"]'), trace.a[2]!.get(0, 0));

    const expectShown = async (selector: string, expected: number) => {
      const cell = page.locator(`#inspector ${selector}`);
      expectEqual(Number(await cell.getAttribute('data-value')), expected, selector);
      expect(await cell.textContent(), selector).toBe(formatNumber(expected));
    };
    for (const [layer, unit] of [
      [1, 2],
      [2, 0],
    ] as const) {
      await page.locator(`#network .unit[data-layer="${layer}"][data-unit="${unit}"]`).click();
      await page.locator(`#inspector[data-layer="${layer}"][data-unit="${unit}"]`).waitFor();
      const weights = model.denseLayers[layer - 1]!;
      await expectShown('[data-q="z"]', trace.z[layer]!.get(0, unit));
      await expectShown('[data-q="a"]', trace.a[layer]!.get(0, unit));
      await expectShown('[data-q="delta"]', gradients.delta[layer]!.get(0, unit));
      await expectShown('[data-q="b"]', weights.bias.get(0, unit));
      await expectShown('[data-q="grad-b"]', gradients.bias[layer]!.get(0, unit));
      expect(await page.locator('#inspector tr[data-k]').count()).toBe(weights.inputs);
      for (let k = 0; k < weights.inputs; k++) {
        await expectShown(`tr[data-k="${k}"] [data-q="a-prev"]`, trace.a[layer - 1]!.get(0, k));
        await expectShown(`tr[data-k="${k}"] [data-q="w"]`, weights.weights.get(unit, k));
        await expectShown(
          `tr[data-k="${k}"] [data-q="grad-w"]`,
          gradients.weights[layer]!.get(unit, k),
        );
      }
    }
    // For the output unit with sigmoid + cross-entropy, δᴸ = a − y exactly.
    expect(gradients.delta[2]!.get(0, 0)).toBe(trace.a[2]!.get(0, 0) - data.y[example]![0]!);
  }, 30_000);

  it('saves a screenshot as a test artifact', async () => {
    const path = await screenshot(page, 'playground');
    expect(path).toMatch(/test-artifacts\/playground\.png$/);
  });

  it('reported no console errors while training and inspecting', () => {
    expect(errors).toEqual([]);
  });
}
