import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { relaxedSimdAvailable } from '../../core/src/index.js';
import { backprop, errorLine } from './backprop.js';

const directory = mkdtempSync(join(tmpdir(), 'backprop-relaxed-'));
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Trains 400 MNIST images for one epoch; returns the run and the model file's metadata. */
async function train(...args: string[]) {
  const output = join(directory, `${args.join('') || 'default'}.json`);
  const run = await backprop(
    'train',
    ...args,
    '--limit',
    '400',
    '--epochs',
    '1',
    '--output',
    output,
  );
  expect(run.status).toBe(0);
  const file = JSON.parse(readFileSync(output, 'utf8')) as {
    metadata: { training: { backend: string } };
  };
  return { run, backend: file.metadata.training.backend };
}

describe('backprop train --relaxed-simd', () => {
  it('turns relaxed SIMD on where V8 has it behind a flag, and trains on the fused kernels', async () => {
    // Node 20 lacks it until the CLI sets --experimental-wasm-relaxed-simd; Node >= 21 has it.
    const before = relaxedSimdAvailable();
    const relaxed = await train('--relaxed-simd', '--threads', '1');
    expect(relaxedSimdAvailable()).toBe(true);
    expect(relaxed.backend).toBe('wasm+relaxed');
    expect(relaxed.run.stdout.split('\n')[0]).toMatch(/, backend wasm\+relaxed\)$/);
    // Off by default, the flag set or not.
    expect((await train('--threads', '1')).backend).toBe('wasm');
    expect(before || process.versions.node.startsWith('20.')).toBe(true);
  });

  it('needs --backend wasm', async () => {
    const run = await backprop('train', '--relaxed-simd', '--backend', 'js', '--limit', '10');
    expect(errorLine(run)).toBe(
      'error: --relaxed-simd needs --backend wasm; received --backend js',
    );
  });

  it('is an error on an engine without relaxed SIMD, naming the option', async () => {
    const validate = WebAssembly.validate.bind(WebAssembly);
    // The relaxed-SIMD probe (82 bytes) fails, as on an engine without it; the kernels validate.
    vi.spyOn(WebAssembly, 'validate').mockImplementation((bytes) =>
      (bytes as Uint8Array).byteLength < 100 ? false : validate(bytes),
    );
    const run = await backprop('train', '--relaxed-simd', '--limit', '10');
    expect(errorLine(run)).toMatch(
      /^error: --relaxed-simd: this engine lacks WebAssembly relaxed SIMD \(f32x4\.relaxed_madd\), found in Chrome >= 114, .*; leave relaxedSimd off$/,
    );
  });
});
