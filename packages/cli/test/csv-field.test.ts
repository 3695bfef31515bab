import { describe, expect, it } from 'vitest';
import { csvField } from '../src/predict.js';

describe("predict's CSV fields (issue 15 item 11)", () => {
  it('writes text that starts like a formula as text, with a leading quote', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField('-cmd|calc')).toBe("'-cmd|calc");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
  });

  it('leaves numbers and ordinary text as they are', () => {
    expect(['-1', '+2.5', '-0.001', '1e-7', 'setosa', 'p(=a)'].map(csvField)).toEqual([
      '-1',
      '+2.5',
      '-0.001',
      '1e-7',
      'setosa',
      'p(=a)',
    ]);
    expect(csvField('a,b')).toBe('"a,b"');
  });
});
