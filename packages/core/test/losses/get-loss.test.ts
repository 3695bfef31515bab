import { describe, expect, it } from 'vitest';
import { ConfigError, getLoss, LOSS_NAMES, losses, type Loss } from '../../src/index.js';

describe('getLoss with config objects', () => {
  it('records each loss with default options as its plain name', () => {
    for (const name of LOSS_NAMES) {
      expect(losses[name].config).toBe(name);
      expect(getLoss({ name } as Parameters<typeof getLoss>[0])).toBe(losses[name]);
    }
  });

  it('returns the default object for a config with the default options', () => {
    expect(getLoss({ name: 'huber', delta: 1 })).toBe(losses.huber);
    expect(getLoss({ name: 'crossEntropy', labelSmoothing: 0 })).toBe(losses.crossEntropy);
  });

  it('records options that differ from the defaults as { name, ...options }', () => {
    expect(getLoss({ name: 'huber', delta: 2 }).config).toEqual({ name: 'huber', delta: 2 });
    expect(getLoss({ name: 'crossEntropy', labelSmoothing: 0.1 }).config).toEqual({
      name: 'crossEntropy',
      labelSmoothing: 0.1,
    });
    expect(getLoss({ name: 'binaryCrossEntropy', labelSmoothing: 0.2 }).config).toEqual({
      name: 'binaryCrossEntropy',
      labelSmoothing: 0.2,
    });
  });

  it('round-trips config → JSON → getLoss → config', () => {
    for (const spec of [
      { name: 'huber', delta: 0.5 },
      { name: 'crossEntropy', labelSmoothing: 0.05 },
      'klDivergence',
    ] as const) {
      const loss = getLoss(spec);
      const again = getLoss(JSON.parse(JSON.stringify(loss.config)) as typeof spec);
      expect(again.config).toEqual(loss.config);
      expect(again.name).toBe(loss.name);
    }
  });

  it.each([
    [{ name: 'huber', delta: 0 }, /^loss huber: delta must be a finite number > 0; received 0$/],
    [{ name: 'huber', delta: -1 }, /received -1$/],
    [{ name: 'huber', delta: Infinity }, /received Infinity$/],
    [{ name: 'huber', delta: '2' }, /delta must be a finite number > 0; received 2$/],
    [
      { name: 'crossEntropy', labelSmoothing: 1 },
      /^loss crossEntropy: labelSmoothing must be a number in \[0, 1\); received 1$/,
    ],
    [{ name: 'binaryCrossEntropy', labelSmoothing: -0.1 }, /labelSmoothing .* received -0\.1$/],
    [{ name: 'mse', delta: 1 }, /^loss mse has no option "delta"; valid options are name$/],
    [
      { name: 'huber', Delta: 2 },
      /^loss huber has no option "Delta" \(did you mean delta\?\); valid options are name, delta$/,
    ],
    [{ name: 'sparseCrossEntropy', labelSmoothing: 0.1 }, /no option "labelSmoothing"/],
    [
      { name: 'custom' },
      /^unknown loss "custom"; expected one of mse, crossEntropy, binaryCrossEntropy, sparseCrossEntropy, mae, huber, hinge, klDivergence \(or a Loss object with value and gradient functions\)$/,
    ],
    [{ delta: 2 }, /^unknown loss undefined; expected one of/],
  ])('throws ConfigError for %j', (spec, message) => {
    const call = () => getLoss(spec as unknown as Loss);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(message);
  });

  it('throws ConfigError for a value that is neither a name, a config nor a Loss', () => {
    for (const bad of [5, null, [1]]) {
      expect(() => getLoss(bad as unknown as Loss)).toThrow(ConfigError);
    }
    expect(() => getLoss(5 as unknown as Loss)).toThrow(
      /^loss must be a loss name \(mse, .*\), a config such as \{ name: 'huber', delta: 2 \}, or a Loss object; received 5$/,
    );
  });
});

describe('getLoss with a Loss object of the user', () => {
  it('passes it through unchanged', () => {
    const custom: Loss = { ...losses.mae, config: undefined };
    expect(getLoss(custom)).toBe(custom);
  });

  it.each([
    [
      { name: 'mine', value: () => 0 },
      /^loss object "mine" has no gradient function; a Loss needs value\(a, y, z, fused, weights\?\) and gradient\(a, y, out\)$/,
    ],
    [
      { name: 'mine', value: 3, gradient: () => undefined },
      /^loss object "mine" has no value function;/,
    ],
    [{ value: 1, gradient: 2 }, /^loss object undefined has no value and no gradient function;/],
  ])('throws ConfigError naming what is missing: %j', (object, message) => {
    const call = () => getLoss(object as unknown as Loss);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(message);
  });
});
