import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LECTURE_EXAMPLE, lectureNetwork, Matrix, saveModel } from '../../core/src/index.js';
import { expectPrinted } from '../../core/test/explain/printed.js';
import { backprop, errorLine } from './backprop.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-explain-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** The library's own forward and backward pass and SGD step for the lecture's example. */
function libraryValues() {
  const model = lectureNetwork();
  const x = [[...LECTURE_EXAMPLE.x]];
  const y = [[...LECTURE_EXAMPLE.y]];
  const trace = model.forward(x);
  const gradients = model.backward(trace, y, 'mse');
  const step = (m: Matrix, g: Matrix) => Array.from(m.data, (w, i) => w - 0.5 * g.data[i]!);
  return { model, trace, gradients, loss: model.evaluate(x, y, { loss: 'mse' })['loss']!, step };
}

describe('backprop explain with no arguments', () => {
  it("prints the lecture network's steps with the numbers of the library's backward pass", async () => {
    const run = await backprop('explain');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const text = run.stdout;
    const { trace, gradients, loss, step, model } = libraryValues();
    expect(text).toMatch(
      /^backprop explain: Sequential\(Dense\(3 => 3, sigmoid\), Dense\(3 => 2, sigmoid\)\), float64\n/,
    );
    expect(text).toContain('loss mse, learning rate η = 0.5');
    expectPrinted(text, 'z¹ = W¹a⁰ + b¹', trace.z[1]!.data);
    expectPrinted(text, 'a¹ = σ(z¹)', trace.a[1]!.data);
    expectPrinted(text, 'z² = W²a¹ + b²', trace.z[2]!.data);
    expectPrinted(text, 'a² = σ(z²)', trace.a[2]!.data);
    expectPrinted(text, 'L = ½‖a² − y‖² = ½ Σⱼ (a²ⱼ − yⱼ)²', [loss]);
    expectPrinted(text, 'δ² = ∂L/∂a² ⊙ σ′(z²)', gradients.delta[2]!.data);
    expectPrinted(text, '∂L/∂W² = δ²(a¹)ᵀ', gradients.weights[2]!.data);
    expectPrinted(text, '∂L/∂b² = δ²', gradients.bias[2]!.data);
    expectPrinted(text, 'δ¹ = ∂L/∂a¹ ⊙ σ′(z¹)', gradients.delta[1]!.data);
    expectPrinted(text, '∂L/∂W¹ = δ¹(a⁰)ᵀ', gradients.weights[1]!.data);
    expectPrinted(text, '∂L/∂b¹ = δ¹', gradients.bias[1]!.data);
    for (const l of [1, 2]) {
      const layer = model.denseLayers[l - 1]!;
      const s = '¹²'[l - 1];
      expectPrinted(
        text,
        `W${s} ← W${s} − η ∂L/∂W${s}`,
        step(layer.weights, gradients.weights[l]!),
      );
      expectPrinted(text, `b${s} ← b${s} − η ∂L/∂b${s}`, step(layer.bias, gradients.bias[l]!));
    }
  });

  it('prints the same values as JSON, exactly', async () => {
    const run = await backprop('explain', '--json');
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    const { trace, gradients, loss } = libraryValues();
    expect(json.loss).toEqual({ name: 'mse', value: loss });
    expect(json.learningRate).toBe(0.5);
    expect(json.x).toEqual(LECTURE_EXAMPLE.x);
    expect(json.y).toEqual(LECTURE_EXAMPLE.y);
    for (const l of [1, 2]) {
      const layer = json.layers[l - 1];
      expect(layer.layer).toBe(l);
      expect(layer.z).toEqual(Array.from(trace.z[l]!.data));
      expect(layer.a).toEqual(Array.from(trace.a[l]!.data));
      expect(layer.delta).toEqual(Array.from(gradients.delta[l]!.data));
      expect(layer.gradWeights).toEqual(gradients.weights[l]!.toArray());
      expect(layer.gradBias).toEqual(Array.from(gradients.bias[l]!.data));
    }
  });

  it('prints Markdown with the LaTeX equations', async () => {
    const run = await backprop('explain', '--format', 'markdown');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^# Backpropagation, step by step\n/);
    expect(run.stdout).toContain('$$z^{1} = W^{1} a^{0} + b^{1}$$');
    expect(run.stdout).toContain(
      "$$\\delta^{l-1} = (W^{l})^{\\top} \\delta^{l} \\odot g'(z^{l-1})$$",
    );
    expect(run.stdout).toContain('\\begin{bmatrix}');
  });

  it('prints the gradient check beside the backprop gradients', async () => {
    const run = await backprop('explain', '--gradcheck');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /\n {2}W²\[1,1\] +-0\.0681966391\d+ +-0\.0681966391\d+ +\d\.\de-\d+\n/,
    );
    expect(run.stdout).toMatch(/20 of 20 parameters checked/);
    expect(run.stdout).toMatch(
      /largest relative error \d\.\de-\d+: backprop agrees with the estimates/,
    );
  });

  it('focuses on one unit, and takes another example', async () => {
    const unit = await backprop('explain', '--layer', '2', '--unit', '1');
    expect(unit.status).toBe(0);
    expect(unit.stdout).toContain('  z²₁ = Σₖ w²₁ₖ a¹ₖ + b²₁');
    expect(unit.stdout).not.toContain('z¹ = W¹a⁰ + b¹');
    const other = await backprop('explain', '--input', '[1, 0, -1]', '--target', '0,1', '--json');
    const json = JSON.parse(other.stdout);
    expect(json.x).toEqual([1, 0, -1]);
    expect(json.y).toEqual([0, 1]);
    const target = JSON.parse((await backprop('explain', '--target', '0,1', '--json')).stdout);
    expect(target.x).toEqual(LECTURE_EXAMPLE.x);
    expect(target.y).toEqual([0, 1]);
  });
});

describe('backprop explain rejects bad options', () => {
  const cases: [string[], RegExp][] = [
    [
      ['--layer', '3'],
      /^error: --layer must be an integer from 1 to 2 \(the model's layers\); received 3$/,
    ],
    [['--layer', '0'], /^error: --layer must be an integer >= 1; received 0$/],
    [
      ['--unit', '2'],
      /^error: --unit needs --layer, the unit's layer \(1 to 2\); received --unit 2 alone$/,
    ],
    [
      ['--layer', '2', '--unit', '3'],
      /^error: --unit must be an integer from 1 to 2 \(the units of layer 2\); received 3$/,
    ],
    [
      ['--input', '1,2'],
      /^error: --input must have 3 values \(the model's inputs\); received 2: 1,2$/,
    ],
    [['--input', 'a,b,c'], /^error: --input must be a CSV row \(0\.5,-1,2\) or a JSON array/],
    [['--input', '[1,2'], /^error: --input must be a CSV row/],
    [
      ['--target', '1,0,0', '--input', '1,2,3'],
      /^error: --target must have 2 values \(the model's outputs\); received 3/,
    ],
    [
      ['--input', '1,2,3', '--dataset', 'mnist'],
      /^error: --input and --dataset both choose the example; give one of them$/,
    ],
    [
      ['--dataset', 'mnist'],
      /^error: --dataset mnist has 784 inputs and 10 outputs, but the model takes 3 and gives 2/,
    ],
    [
      ['--dataset', 'cifar'],
      /^error: --dataset must be one of mnist, iris, penguins, cars, seattle-weather; received cifar$/,
    ],
    [
      ['--dataset', 'iris', '--target', '0,1'],
      /^error: --target goes with --input \(a data set brings its own targets\)$/,
    ],
    [['--index', '-1'], /^error: --index must be an integer >= 0; received -1$/],
    [
      ['--json', '--format', 'markdown'],
      /^error: --json and --format markdown both choose the output; give one of them$/,
    ],
    [['--format', 'html'], /^error: --format must be one of text, markdown; received html$/],
    [['--learning-rate', '0'], /^error: --learning-rate must be a finite number > 0; received 0$/],
    [
      ['--loss', 'squaredHinge'],
      /^error: --loss must be one of mse, crossEntropy, binaryCrossEntropy, sparseCrossEntropy, mae, huber, hinge, klDivergence; received squaredHinge$/,
    ],
    [['--digits', '30'], /^error: --digits must be an integer from 1 to 17; received 30$/],
    [
      ['--model', '/no/such/model.json'],
      /^error: cannot read the model file \/no\/such\/model\.json/,
    ],
    [
      ['--no-such-option'],
      /^error: unknown option '--no-such-option'; see backprop explain --help$/,
    ],
  ];
  // One at a time: each spawns node, and a machine with few cores would time them out.
  it.each(cases)('%j', async (args, message) => {
    expect(errorLine(await backprop('explain', ...args))).toMatch(message);
  });

  it('needs an example for a model file', async () => {
    const path = join(directory, 'lecture.json');
    await saveModel(lectureNetwork(), path);
    expect(errorLine(await backprop('explain', '--model', path))).toMatch(
      /^error: a --model needs an example: give --input \(and --target\), or --dataset <name> --index i$/,
    );
    expect(errorLine(await backprop('explain', '--model', path, '--input', '1,2,3'))).toMatch(
      /^error: --input needs --target, the example's y \(2 values, or a class index\)$/,
    );
  });

  it('--help lists the options and examples', async () => {
    const run = await backprop('explain', '--help');
    expect(run.status).toBe(0);
    for (const option of [
      '--model',
      '--input',
      '--target',
      '--dataset',
      '--index',
      '--gradcheck',
      '--full',
      '--layer',
      '--unit',
      '--format',
      '--json',
    ]) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toMatch(/\nExamples:\n {2}backprop explain /);
  });
});
