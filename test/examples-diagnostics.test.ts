import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

describe('examples/diagnostics-report.ts', () => {
  it('warns of vanishing gradients and writes the report with the gradient chart', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { diagnostics, report } = await import('../examples/diagnostics-report.js');
    log.mockRestore();
    const last = diagnostics.epochs.at(-1)!;
    expect(last.warnings.map((warning) => warning.kind)).toContain('vanishing');
    expect(last.layers[0]!.gradientNorm).toBeLessThan(1e-3 * last.layers[9]!.gradientNorm);
    expect(report.images.map((file) => file.split('/').at(-1))).toContain('gradients.svg');
    const html = readFileSync(report.html, 'utf8');
    expect(html).toContain('<li class="warning" data-kind="vanishing">Vanishing gradients: ');
  }, 60_000);
});
