import { describe, expect, it } from 'vitest';
import { parseNumber } from '../src/options.js';
import { ConfigError } from '../../core/src/errors.js';
import { inProcess } from './in-process.js';

// Issue 15, item 10: one number parser for every numeric option; no silent schedule keys.

describe('numeric options', () => {
  it('parseNumber takes decimals as people type them and nothing else', () => {
    const rule = { min: 0, expected: 'a finite number >= 0' };
    expect(['0', '0.5', '.5', '1e-3', '+2', '16'].map((t) => parseNumber('--l2', t, rule))).toEqual(
      [0, 0.5, 0.5, 0.001, 2, 16],
    );
    for (const text of ['0x10', ' 5', '5 ', '', 'Infinity', '1_000', '0b1', '-1']) {
      expect(() => parseNumber('--l2', text, rule)).toThrow(ConfigError);
    }
    expect(() => parseNumber('--epochs', '1e3', { integer: true, expected: 'an integer' })).toThrow(
      '--epochs must be an integer; received 1e3',
    );
  });

  const refused: [string[], string][] = [
    [['--l1', '0x10'], '--l1 must be a finite number >= 0; received 0x10'],
    [['--l2', ' 5'], '--l2 must be a finite number >= 0; received " 5"'],
    [['--weight-decay', '0x10'], '--weight-decay must be a finite number >= 0; received 0x10'],
    [['--learning-rate', ' 5'], '--learning-rate must be a finite number > 0; received " 5"'],
    [
      ['--schedule', 'cosine:__proto__=1'],
      '--schedule cosine:__proto__=1: a cosine schedule has no option "__proto__"; valid ' +
        'options are type, warmupEpochs, minLearningRate',
    ],
    [['--schedule', 'step:gamma=0x1'], '--schedule gamma must be a decimal number; received 0x1'],
  ];
  for (const [args, message] of refused) {
    it(`backprop train refuses ${args.join(' ')}`, async () => {
      const run = await inProcess('train', '--limit', '10', ...args);
      expect(run.error).toBeInstanceOf(ConfigError);
      expect(run.error!.message).toBe(message);
      expect(run.stdout).toBe('');
    });
  }
});
