import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import {
  LECTURE_EXAMPLE,
  LECTURE_LEARNING_RATE,
  explain,
  explanationToJSON,
  lectureNetwork,
  type ExplanationJSON,
  type Sequential,
} from '../../packages/core/src/index.js';
import { formatNumber } from '../../web/format.js';
import { DEFAULT_CONFIG, buildData, buildModel } from '../../web/playground/config.js';
import { LESSONS } from '../../web/playground/presets.js';
import { screenshot, watchErrors, type Shared } from './chromium.js';
import { crop } from './crop.js';

// The playground's step-through in Chromium: every number it shows (in its panels and on its
// network drawing) is the number at the same place in explain's JSON, computed here in Node
// with the library for the same weights and example; ← and → move between steps. Screenshots
// go to test-artifacts/.

/** A number on the page: its JSON path, exact value and text; in the panel or on a unit. */
interface Shown {
  kind: 'cell' | 'unit';
  path: string;
  value: number;
  text: string | null;
}

/** The value at a dotted path of explain's JSON, e.g. `layers.0.z.2`. */
function at(json: ExplanationJSON, path: string): number {
  const value = path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], json);
  if (typeof value !== 'number') throw new Error(`explain's JSON has no number at ${path}`);
  return value;
}

/**
 * Equal to 1e-13 relative. The page and Node run the same float64 code, but the V8 of Chromium
 * and the V8 of Node differ in the last bit of Math.exp for some arguments (see
 * playground-page.ts), which sigmoid and tanh use.
 */
function expectClose(shown: number, expected: number, what: string): void {
  const tolerance = 1e-13 * Math.max(Math.abs(shown), Math.abs(expected)) + 1e-300;
  if (!(Math.abs(shown - expected) <= tolerance)) expect(shown, what).toBe(expected);
}

/** Every number the step-through shows now: the panel's cells and the drawing's unit labels. */
async function shownNumbers(page: Page): Promise<Shown[]> {
  return page
    .locator('#step-panel td[data-path], #step-network .unit-values text[data-path]')
    .evaluateAll((elements) =>
      elements.map((element) => ({
        kind: element.tagName === 'TD' ? ('cell' as const) : ('unit' as const),
        path: element.getAttribute('data-path')!,
        value: Number(element.getAttribute('data-value')),
        text: element.textContent,
      })),
    );
}

/**
 * Steps through every panel with the → key and checks every number against `json`; returns
 * how many steps and numbers there were.
 */
export async function checkEveryStep(page: Page, json: ExplanationJSON) {
  const count = Number(/of (\d+)/.exec((await page.locator('.step-count').textContent())!)![1]);
  let numbers = 0;
  const equations: string[] = [];
  /** Per step, the JSON fields of the panel's numbers, then those of the drawing's labels. */
  const fields: string[][] = [];
  for (let index = 0; index < count; index++) {
    if (index > 0) await page.keyboard.press('ArrowRight');
    await page.locator(`#step-panel[data-index="${index}"]`).waitFor();
    equations.push((await page.locator('#step-panel .equation').textContent())!);
    const shown = await shownNumbers(page);
    expect(shown.length, `step ${index + 1}`).toBeGreaterThan(0);
    for (const { path, value, text } of shown) {
      expectClose(value, at(json, path), `step ${index + 1}, ${path}`);
      expect(text, `step ${index + 1}, ${path}`).toBe(formatNumber(value));
    }
    // The weight lines carry the numbers that colour them.
    const lines = await page
      .locator('#step-network line[data-path]')
      .evaluateAll((elements) =>
        elements.map((e) => [e.getAttribute('data-path')!, Number(e.getAttribute('data-value'))]),
      );
    for (const [path, value] of lines as [string, number][]) {
      expectClose(value, at(json, path), `step ${index + 1}, line ${path}`);
    }
    numbers += shown.length;
    const field = (path: string) => path.replace(/(\.\d+)+$/, '');
    const panel = new Set(shown.filter((n) => n.kind === 'cell').map((n) => field(n.path)));
    const units = new Set(shown.filter((n) => n.kind === 'unit').map((n) => field(n.path)));
    fields.push([...panel, '|', ...units]);
  }
  return { count, numbers, equations, fields };
}

/** The library's explanation in Node, as `backprop explain --json --full` prints it. */
function explained(
  model: Sequential,
  x: number[],
  y: number[],
  loss: 'mse' | 'binaryCrossEntropy',
  learningRate: number,
): ExplanationJSON {
  return explanationToJSON(explain(model, x, y, { loss, learningRate }), { full: true });
}

/** The tests of the step-through, in a describe block of pages.test.ts. */
export function stepThroughPage(shared: Shared): void {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await shared.browser.context.newPage();
    errors = watchErrors(page);
    await page.goto(shared.url);
    await page.locator('#inspector table').first().waitFor();
  }, 60_000);

  it("steps through the lecture's network showing explain's numbers, every one of them", async () => {
    await page.locator('#lesson').selectOption('lecture');
    await page.locator('#step-panel[data-index="0"]').waitFor();
    expect(await page.locator('#lesson-text').textContent()).toBe(LESSONS[0]!.text);
    const json = explained(
      lectureNetwork(),
      [...LECTURE_EXAMPLE.x],
      [...LECTURE_EXAMPLE.y],
      'mse',
      LECTURE_LEARNING_RATE,
    );
    const { count, numbers, equations, fields } = await checkEveryStep(page, json);
    // z, a for 2 layers; the loss; δ²; ∂L/∂W², ∂L/∂b², δ¹; ∂L/∂W¹, ∂L/∂b¹; 2 updates.
    expect(count).toBe(13);
    expect(equations).toEqual([
      'z¹ = W¹a⁰ + b¹',
      'a¹ = σ(z¹)',
      'z² = W²a¹ + b²',
      'a² = σ(z²)',
      'L = ½‖a² − y‖² = ½ Σⱼ (a²ⱼ − yⱼ)²',
      'δ² = ∂L/∂a² ⊙ σ′(z²)',
      '∂L/∂W² = δ²(a¹)ᵀ',
      '∂L/∂b² = δ²',
      'δ¹ = (W²)ᵀδ² ⊙ σ′(z¹)',
      '∂L/∂W¹ = δ¹(a⁰)ᵀ',
      '∂L/∂b¹ = δ¹',
      'W¹ ← W¹ − η ∂L/∂W¹,  b¹ ← b¹ − η ∂L/∂b¹',
      'W² ← W² − η ∂L/∂W²,  b² ← b² − η ∂L/∂b²',
    ]);
    expect(numbers).toBeGreaterThan(150);
    // Each step shows the quantities its equation names, from the right place of the JSON.
    const [l1, l2] = ['layers.0', 'layers.1'];
    const update = (l: string) =>
      [
        `${l}.weights`,
        'learningRate',
        `${l}.gradWeights`,
        `${l}.updatedWeights`,
        `${l}.bias`,
      ].concat([`${l}.gradBias`, `${l}.updatedBias`, '|', `${l}.updatedBias`]);
    expect(fields).toEqual([
      [`${l1}.weights`, `${l1}.input`, `${l1}.bias`, `${l1}.z`, '|', `${l1}.z`],
      [`${l1}.z`, `${l1}.a`, '|', `${l1}.a`],
      [`${l2}.weights`, `${l2}.input`, `${l2}.bias`, `${l2}.z`, '|', `${l2}.z`],
      [`${l2}.z`, `${l2}.a`, '|', `${l2}.a`],
      [`${l2}.a`, 'y', 'loss.value', '|', `${l2}.a`],
      [`${l2}.a`, 'y', `${l2}.gradA`, `${l2}.derivative`, `${l2}.delta`, '|', `${l2}.delta`],
      [`${l2}.delta`, `${l2}.input`, `${l2}.gradWeights`, '|', `${l2}.delta`],
      [`${l2}.delta`, `${l2}.gradBias`, '|', `${l2}.delta`],
      [`${l2}.weights`, `${l2}.delta`, `${l1}.gradA`, `${l1}.derivative`, `${l1}.delta`].concat([
        '|',
        `${l1}.delta`,
      ]),
      [`${l1}.delta`, `${l1}.input`, `${l1}.gradWeights`, '|', `${l1}.delta`],
      [`${l1}.delta`, `${l1}.gradBias`, '|', `${l1}.delta`],
      update(l1),
      update(l2),
    ]);
    // The lecture's hand-computed δ² (test/model/lecture-reference.ts), as the page shows it.
    await page.keyboard.press('Home'); // not a step key: nothing moves
    expect(await page.locator('#step-panel').getAttribute('data-index')).toBe('12');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await page.locator('#step-panel[data-index="8"]').waitFor(); // δ¹ = (W²)ᵀδ² ⊙ σ′(z¹)
    await crop(page, 'step-through-lecture', ['#step-through']);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await page.locator('#step-panel[data-index="5"]').waitFor();
    const delta = page.locator('#step-panel td[data-path^="layers.1.delta."]');
    expect(await delta.allTextContents()).toEqual(['-0.094571', '0.10852']);
    await screenshot(page, 'step-through-lecture-page');
  }, 60_000);

  it('moves with ← and → but not while typing in a field, and stops at the ends', async () => {
    await page.keyboard.press('ArrowLeft');
    await page.locator('#step-panel[data-index="4"]').waitFor();
    await page.locator('#step-previous').click();
    await page.locator('#step-panel[data-index="3"]').waitFor();
    await page.locator('#step-next').click();
    await page.locator('#step-panel[data-index="4"]').waitFor();
    await page.locator('#seed').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#step-panel').getAttribute('data-index')).toBe('4');
    await page.locator('#seed').blur();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    await page.locator('#step-panel[data-index="0"]').waitFor();
    expect(await page.locator('#step-previous').isDisabled()).toBe(true);
    expect(await page.locator('#step-next').isDisabled()).toBe(false);
  });

  it("steps through the playground's own network on a chosen example with explain's numbers", async () => {
    await page.locator('#lesson').selectOption('xor-too-small');
    await page.locator('#step-through').waitFor({ state: 'hidden' });
    await page.locator('#lesson').selectOption(''); // no lesson: back to the default settings
    await page.locator('#hidden').fill('4, 3');
    await page.locator('#hidden').dispatchEvent('change');
    await page
      .locator('#network .unit')
      .nth(2 + 4 + 3)
      .waitFor();
    const example = 7;
    await page.locator('#example').fill(String(example));
    await page.locator('#example').dispatchEvent('change');
    await page.locator(`#inspector[data-example="${example}"]`).waitFor();
    await page.locator('#step-through-open').click();
    await page.locator('#step-panel[data-index="0"]').waitFor();

    const config = { ...DEFAULT_CONFIG, dataset: 'xor' as const, hidden: [4, 3] };
    const { train } = buildData(config);
    const json = explained(
      buildModel(config), // epoch 0: the page's initial weights, from the same seed
      Array.from(train.x.row(example)),
      [train.y.get(example, 0)],
      config.loss,
      config.learningRate,
    );
    const { count, equations } = await checkEveryStep(page, json);
    expect(count).toBe(3 * 2 + 1 + 1 + 3 * 2 + 2 + 3);
    expect(equations[7]).toBe('δ³ = ∂L/∂z³ = a³ − y'); // sigmoid + cross-entropy, fused
    await crop(page, 'step-through-playground', ['#step-through']);
  }, 60_000);

  it('reported no console errors', () => {
    expect(errors).toEqual([]);
  });
}
