import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  explain,
  explanationToJSON,
  explanationToMarkdown,
  explanationToText,
  LECTURE_EXAMPLE,
  lectureNetwork,
  Sequential,
  type LayerJSON,
  type SummaryJSON,
} from '../../src/index.js';
import { formatNumbers } from '../../src/explain/number-format.js';

const lecture = () =>
  explain(lectureNetwork(), LECTURE_EXAMPLE.x, LECTURE_EXAMPLE.y, { learningRate: 0.5 });

/** A 784-128-10 network (untrained) and one example of its widths. */
function mnistSized() {
  const model = new Sequential(
    [new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' })],
    { seed: 2 },
  );
  const x = Array.from({ length: 784 }, (_, i) => (i % 28 > 8 && i % 28 < 20 ? 0.5 : 0));
  const y = Array.from({ length: 10 }, (_, j) => (j === 7 ? 1 : 0));
  return explain(model, x, y, { learningRate: 0.1 });
}

describe('formatNumbers', () => {
  it('gives a group the same decimals, enough for the smallest magnitude', () => {
    expect(formatNumbers([0.95, -1.6, 0.85], 4)).toEqual(['0.9500', '-1.6000', '0.8500']);
    expect(formatNumbers([-0.09457107720139422, 0.10852287768136148], 4)).toEqual([
      '-0.09457',
      '0.10852',
    ]);
    expect(formatNumbers([1, 0], 4)).toEqual(['1.000', '0']);
  });

  it('switches to scientific notation for a wide range or tiny values', () => {
    expect(formatNumbers([1.5e-7, 0.25], 3)).toEqual(['1.50e-7', '2.50e-1']);
    expect(formatNumbers([2e-6], 2)).toEqual(['2.0e-6']);
    expect(formatNumbers([NaN, Infinity, 0], 4)).toEqual(['NaN', 'Infinity', '0']);
  });
});

describe('explanationToText', () => {
  it('writes each equation in symbols, then its numbers with the result last', () => {
    const text = explanationToText(lecture());
    expect(text).toContain(
      [
        '  z¹ = W¹a⁰ + b¹',
        '                 W¹                   a⁰            b¹            z¹',
        '    ⎡  0.1000  -0.2000   0.3000 ⎤ ⎡  0.5000 ⎤   ⎡  0.1000 ⎤   ⎡  0.9500 ⎤',
        '    ⎢  0.4000   0.5000  -0.6000 ⎥ ⎢ -1.0000 ⎥ + ⎢ -0.1000 ⎥ = ⎢ -1.6000 ⎥',
        '    ⎣ -0.7000   0.8000   0.9000 ⎦ ⎣  2.0000 ⎦   ⎣  0.2000 ⎦   ⎣  0.8500 ⎦',
      ].join('\n'),
    );
    for (const equation of [
      'zˡ = Wˡaˡ⁻¹ + bˡ',
      'aˡ = g(zˡ)',
      'δᴸ = ∂L/∂aᴸ ⊙ g′(zᴸ)',
      '∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ',
      '∂L/∂bˡ = δˡ',
      'δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹)',
      '  δ² = ∂L/∂a² ⊙ σ′(z²)',
      '  ∂L/∂W² = δ²(a¹)ᵀ',
      '  ∂L/∂a¹ = (W²)ᵀδ²',
      '  δ¹ = ∂L/∂a¹ ⊙ σ′(z¹)',
      '  W² ← W² − η ∂L/∂W²',
      'SGD update with η = 0.5',
    ]) {
      expect(text).toContain(equation);
    }
  });

  it('shows one unit with scalars and the row of its weights', () => {
    const e = explain(lectureNetwork(), LECTURE_EXAMPLE.x, LECTURE_EXAMPLE.y, {
      learningRate: 0.5,
      focus: { layer: 1, unit: 2 },
    });
    const text = explanationToText(e);
    expect(text).toContain('  z¹₂ = Σₖ w¹₂ₖ a⁰ₖ + b¹₂\n');
    expect(text).toMatch(/\[ 0\.4000 {2}0\.5000 {2}-0\.6000 \] ⎢ -1\.0000 ⎥ \+ -0\.1000 = -1\.600/);
    expect(text).toContain('  δ¹₂ = ∂L/∂a¹₂ · σ′(z¹₂)');
    expect(text).toMatch(/0\.09349 · 0\.1398 {2}= 0\.01307/);
    expect(text).not.toContain('z² = W²a¹ + b²');
  });

  it('summarises large matrices: first rows and columns, shape, norm, largest entries', () => {
    const e = mnistSized();
    const text = explanationToText(e);
    expect(text).toMatch(
      /\n {4}W¹: 128×784, the first 5 rows and columns shown; ‖W¹‖ = \d+\.\d+, from -0\.\d+ to 0\.\d+; largest: \[\d+,\d+\] -?0\.\d+(, \[\d+,\d+\] -?0\.\d+){4}\n/,
    );
    expect(text).toMatch(/\n {4}a⁰: 784 entries, the first 5 shown; ‖a⁰‖ = /);
    expect(text).toContain('⋯ ⎤');
    expect(text).toContain('⋮');
    const lines = text.split('\n');
    expect(lines.length).toBeLessThan(400);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(320);
    // W¹'s block shows 5 rows and a row of ⋮, not 128 rows.
    const w1 = lines.findIndex((line) => line === '  z¹ = W¹a⁰ + b¹');
    expect(lines[w1 + 7]).toMatch(/^ {4}⎣ +⋮ +⋮ +⋮ +⋮ +⋮ +⋱ ⎦/);
  });

  it('prints everything with full', () => {
    const text = explanationToText({ ...mnistSized(), focus: { layer: 2 } }, { full: true });
    const row = text
      .split('\n')
      .find((line) => line.startsWith('    ⎡ ') && line.includes('W²') === false);
    expect(text).not.toContain('⋯');
    expect(text).not.toContain('the first 5');
    expect(row!.match(/-?\d+\.\d+/g)!.length).toBeGreaterThanOrEqual(128); // a row of W² whole
  });

  it('rejects digits outside 1 to 17', () => {
    expect(() => explanationToText(lecture(), { digits: 0 })).toThrow(ConfigError);
    expect(() => explanationToText(lecture(), { digits: 18 })).toThrow(
      /^digits must be an integer from 1 to 17; received 18$/,
    );
  });
});

describe('explanationToMarkdown', () => {
  it('writes the LaTeX equations, general and with the layer numbers, and bmatrix numbers', () => {
    const md = explanationToMarkdown(lecture());
    for (const latex of [
      '$$z^{l} = W^{l} a^{l-1} + b^{l}$$',
      '$$a^{l} = g(z^{l})$$',
      "$$\\delta^{L} = \\frac{\\partial L}{\\partial a^{L}} \\odot g'(z^{L})$$",
      '$$\\frac{\\partial L}{\\partial W^{l}} = \\delta^{l} (a^{l-1})^{\\top}$$',
      '$$\\frac{\\partial L}{\\partial b^{l}} = \\delta^{l}$$',
      "$$\\delta^{l-1} = (W^{l})^{\\top} \\delta^{l} \\odot g'(z^{l-1})$$",
      '$$z^{1} = W^{1} a^{0} + b^{1}$$',
      "$$\\delta^{2} = \\frac{\\partial L}{\\partial a^{2}} \\odot \\sigma'(z^{2})$$",
      '$$\\frac{\\partial L}{\\partial a^{1}} = (W^{2})^{\\top} \\delta^{2}$$',
      '$$W^{2} \\leftarrow W^{2} - \\eta \\frac{\\partial L}{\\partial W^{2}}$$',
      '\\underbrace{\\begin{bmatrix} 0.9500 \\\\ -1.6000 \\\\ 0.8500 \\end{bmatrix}}_{z^{1}}',
      '## SGD update with $\\eta = 0.5$',
    ]) {
      expect(md).toContain(latex);
    }
  });

  it('summarises with \\cdots, \\vdots and \\ddots and a line of facts', () => {
    const md = explanationToMarkdown(mnistSized());
    expect(md).toContain('\\cdots \\\\');
    expect(md).toContain('\\vdots & \\vdots & \\vdots & \\vdots & \\vdots & \\ddots');
    expect(md).toMatch(
      /\$W\^\{1\}\$: 128×784, the first 5 rows and columns shown; \$\\lVert W\^\{1\} \\rVert\$ = /,
    );
  });

  it('puts the gradient check in a table', () => {
    const e = explain(lectureNetwork(), LECTURE_EXAMPLE.x, LECTURE_EXAMPLE.y, { gradcheck: true });
    const md = explanationToMarkdown(e);
    expect(md).toContain('| parameter | backprop | estimate | relative error |');
    expect(md).toMatch(/\| W²\[2,3\] \| 0\.0760275623\d* \| 0\.0760275623\d* \| \d\.\de-\d+ \|/);
  });
});

describe('explanationToJSON', () => {
  it('gives vectors flat and matrices nested, with the exact values', () => {
    const e = lecture();
    const json = JSON.parse(JSON.stringify(explanationToJSON(e)));
    expect(json.layers[0].z).toEqual(Array.from(e.layers[0]!.z.data));
    expect(json.layers[1].gradWeights).toEqual(e.layers[1]!.gradWeights.toArray());
    expect(json.loss).toEqual({ name: 'mse', value: e.loss.value });
    expect(json.x).toEqual([0.5, -1, 2]);
  });

  it('summarises large matrices unless full, and keeps the focused layer only', () => {
    const e = mnistSized();
    const json = explanationToJSON(e);
    const w1 = (json.layers[0] as LayerJSON).weights as SummaryJSON;
    expect(w1.summarised).toBe(true);
    expect(w1.shape).toEqual([128, 784]);
    expect(w1.first).toHaveLength(5);
    expect(w1.largest).toHaveLength(5);
    expect(((json.layers[1] as LayerJSON).bias as number[]).length).toBe(10);
    const full = explanationToJSON({ ...e, focus: { layer: 1 } }, { full: true });
    expect(full.layers).toHaveLength(1);
    expect(((full.layers[0] as LayerJSON).weights as number[][]).length).toBe(128);
  });
});
