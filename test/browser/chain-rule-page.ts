import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { Value, chainRule, parseExpression } from '../../packages/core/src/index.js';
import { screenshot, watchErrors, type Shared } from './chromium.js';
import { viewShot } from './view-shot.js';

// The chain-rule page (web/chain-rule.html) in Chromium: the lecture's f = xyz drawn with every
// node's value, backward() stepped one node at a time, and every value and gradient the page
// shows equal to Value's own in Node; a typed expression, and errors shown, not thrown.

/** Every node the page draws: name, value and gradient (undefined before the pass reaches it). */
async function shownNodes(page: Page) {
  return page.locator('#graph .node').evaluateAll((groups) =>
    groups.map((group) => ({
      name: group.getAttribute('data-name')!,
      value: Number(group.getAttribute('data-value')),
      grad: group.hasAttribute('data-grad') ? Number(group.getAttribute('data-grad')) : undefined,
    })),
  );
}

/** The nodes of an expression as Value computes them in Node: values and gradients by name. */
function nodeValues(expression: string, variables: Record<string, number>) {
  const { output } = parseExpression(expression, variables);
  output.backward();
  return output.topoOrder().map((node: Value) => ({ value: node.data, grad: node.grad }));
}

/** The tests of the chain-rule page, in a describe block of teach.test.ts. */
export function chainRulePage(shared: Shared): void {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await shared.browser.context.newPage();
    errors = watchErrors(page);
    await page.goto(`${shared.url}chain-rule.html`);
    await page.locator('#graph .node').first().waitFor();
  }, 60_000);

  it('draws the lecture’s f = xyz with x = r, y = rs, z = s at r = 3, s = −2, values only', async () => {
    expect(await page.locator('#expression').inputValue()).toBe('x = r; y = r*s; z = s; f = x*y*z');
    const nodes = await shownNodes(page);
    const expected = nodeValues('x = r; y = r*s; z = s; f = x*y*z', { r: 3, s: -2 });
    expect(nodes.map((node) => node.value)).toEqual(expected.map((node) => node.value));
    expect(nodes.map((node) => node.name)).toEqual(chainRule().nodes.map((node) => node.name));
    expect(await page.locator('#graph .node[data-name="s"] .name').textContent()).toBe('s = z');
    expect(nodes.at(-1)!.value).toBe(36);
    expect(nodes.every((node) => node.grad === undefined)).toBe(true);
    expect(await page.locator('#step-panel').getAttribute('data-position')).toBe('0');
  });

  it('steps through backward() with the arrow key: each step’s local derivatives and terms', async () => {
    const rule = chainRule();
    await page.locator('#graph').click();
    for (let i = 0; i < rule.steps.length; i++) {
      await page.keyboard.press('ArrowRight');
      await page.locator(`#step-panel[data-position="${i + 1}"]`).waitFor();
      const step = rule.steps[i]!;
      expect(Number(await page.locator('[data-q="node-grad"]').getAttribute('data-value'))).toBe(
        step.grad,
      );
      const terms = page.locator('#step-panel .terms li');
      expect(await terms.count()).toBe(step.terms.length);
      for (let t = 0; t < step.terms.length; t++) {
        const term = step.terms[t]!;
        const item = terms.nth(t);
        for (const [q, value] of [
          ['local', term.local],
          ['added', term.added],
          ['grad-after', term.gradAfter],
        ] as const) {
          expect(Number(await item.locator(`[data-q="${q}"]`).getAttribute('data-value'))).toBe(
            value,
          );
        }
      }
      // The edges of the node stepped are labelled with the local derivatives used.
      expect(await page.locator('#graph .edge.active').count()).toBe(step.terms.length);
    }
    expect(await page.locator('#step-next').isDisabled()).toBe(true);
  });

  it('ends with every node’s gradient equal to Value’s, and ∂f/∂s = −36 as a sum of paths', async () => {
    const nodes = await shownNodes(page);
    const expected = nodeValues('x = r; y = r*s; z = s; f = x*y*z', { r: 3, s: -2 });
    expect(nodes.map((node) => node.grad)).toEqual(expected.map((node) => node.grad));
    const s = page.locator('#step-panel .sums li[data-variable="s"]');
    expect(Number(await s.locator('[data-q="sum"]').getAttribute('data-value'))).toBe(-36);
    expect(await s.textContent()).toBe('∂f/∂s = -18 + -18 = -36 (2 paths)');
    const r = page.locator('#step-panel .sums li[data-variable="r"]');
    expect(Number(await r.locator('[data-q="sum"]').getAttribute('data-value'))).toBe(24);
    await screenshot(page, 'chain-rule');
    await viewShot(page.locator('section[aria-labelledby="graph-title"]'), 'chain-rule');
  });

  it('draws a typed expression with its own variables, values and gradients as Value’s', async () => {
    const expression = 'h = tanh(w*x + b); L = (h - 1)^2';
    await page.locator('#expression').fill(expression);
    await page.locator('#variables').fill('w = 0.5, x = −1.5, b = 0.25');
    await page.locator('#draw').click();
    await page.locator('#graph .node[data-name="L"]').waitFor();
    await page.locator('#step-end').click();
    const nodes = await shownNodes(page);
    const expected = nodeValues(expression, { w: 0.5, x: -1.5, b: 0.25 });
    expect(nodes.map(({ value, grad }) => ({ value, grad }))).toEqual(expected);
    expect(await page.locator('#chain-error').textContent()).toBe('');
  });

  it('shows an error in the expression or the variables, and keeps the last graph', async () => {
    const before = await page.locator('#graph .node').count();
    await page.locator('#expression').fill('f = x * (2 + ');
    await page.locator('#draw').click();
    await expect
      .poll(() => page.locator('#chain-error').textContent())
      .toBe('"f = x * (2 + ": expected a number, a name or "("; found the end');
    expect(await page.locator('#graph .node').count()).toBe(before);
    await page.locator('#expression').fill('f = x * q');
    await page.locator('#variables').fill('x = 2');
    await page.locator('#draw').click();
    await expect
      .poll(() => page.locator('#chain-error').textContent())
      .toBe('"f = x * q": variable q has no value; give it one after “at”, e.g. q = 1');
    await page.locator('#variables').fill('x = two');
    await page.locator('#draw').click();
    await expect
      .poll(() => page.locator('#chain-error').textContent())
      .toBe('variables: expected name = number, e.g. r = 3; received "x = two"');
    expect(errors).toEqual([]);
  });
}
