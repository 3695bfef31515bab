import { describe, it, expect } from 'vitest';
import { Value } from '../../src/autodiff/value.js';

const H = 1e-6;

/** Central difference (f(x + h) − f(x − h)) / 2h of a scalar function. */
function centralDiff(f: (x: number) => number, x: number): number {
  return (f(x + H) - f(x - H)) / (2 * H);
}

/** Asserts an analytic gradient matches a numeric one: |a − n| ≤ 1e-7 · max(1, |n|). */
function expectGradClose(analytic: number, numeric: number): void {
  expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(numeric)));
}

/** Checks ∂f/∂x of a unary op at x: Value's backward vs a central difference of Value's forward. */
function checkUnary(op: (x: Value) => Value, x: number): void {
  const v = new Value(x);
  op(v).backward();
  expectGradClose(
    v.grad,
    centralDiff((t) => op(new Value(t)).data, x),
  );
}

/** Checks ∂f/∂a and ∂f/∂b of a binary op at (a, b) against central differences. */
function checkBinary(op: (a: Value, b: Value) => Value, a: number, b: number): void {
  const va = new Value(a);
  const vb = new Value(b);
  op(va, vb).backward();
  expectGradClose(
    va.grad,
    centralDiff((t) => op(new Value(t), new Value(b)).data, a),
  );
  expectGradClose(
    vb.grad,
    centralDiff((t) => op(new Value(a), new Value(t)).data, b),
  );
}

describe('Value', () => {
  it('applies the chain rule through f = x·y·z with x = r, y = r·s, z = s (fan-out accumulates)', () => {
    // f = r²s². At r = 3, s = −2: f = 9·4 = 36; ∂f/∂r = 2rs² = 24; ∂f/∂s = 2r²s = −36.
    const r = new Value(3, 'r');
    const s = new Value(-2, 's');
    const x = r;
    const y = r.mul(s);
    const z = s;
    const f = x.mul(y).mul(z);
    f.backward();
    expect(f.data).toBe(36);
    expect(r.grad).toBe(24);
    expect(s.grad).toBe(-36);
  });

  it('gives the sigmoid gradient σ(x)(1 − σ(x))', () => {
    for (const x of [-3, -0.5, 0, 0.7, 4]) {
      const v = new Value(x);
      const out = v.sigmoid();
      out.backward();
      const s = 1 / (1 + Math.exp(-x));
      expect(out.data).toBeCloseTo(s, 12);
      expect(v.grad).toBeCloseTo(s * (1 - s), 12);
    }
  });

  it('saturates sigmoid to exactly 0 and 1 at ±1e4 without NaN', () => {
    const hi = new Value(1e4);
    const lo = new Value(-1e4);
    const sHi = hi.sigmoid();
    const sLo = lo.sigmoid();
    sHi.backward();
    sLo.backward();
    expect(sHi.data).toBe(1);
    expect(sLo.data).toBe(0);
    expect(hi.grad).toBe(0);
    expect(lo.grad).toBe(0);
  });

  it('matches central differences for binary ops', () => {
    for (const [a, b] of [
      [1.5, -0.7],
      [-2.3, 0.4],
    ] as const) {
      checkBinary((p, q) => p.add(q), a, b);
      checkBinary((p, q) => p.sub(q), a, b);
      checkBinary((p, q) => p.mul(q), a, b);
      checkBinary((p, q) => p.div(q), a, b);
    }
  });

  it('matches central differences for unary ops', () => {
    for (const x of [0.3, 1.7, -1.2]) {
      checkUnary((v) => v.neg(), x);
      checkUnary((v) => v.exp(), x);
      checkUnary((v) => v.tanh(), x);
      checkUnary((v) => v.relu(), x);
      checkUnary((v) => v.sigmoid(), x);
      checkUnary((v) => v.pow(2), x);
      checkUnary((v) => v.pow(3), x);
      checkUnary((v) => v.pow(-1), x);
    }
    for (const x of [0.3, 1.7, 4]) {
      checkUnary((v) => v.log(), x);
      checkUnary((v) => v.pow(0.5), x);
    }
  });

  it('computes forward values that agree with Math', () => {
    const x = new Value(0.8);
    expect(x.add(2).data).toBe(2.8);
    expect(x.sub(2).data).toBe(0.8 - 2);
    expect(x.mul(-3).data).toBe(0.8 * -3);
    expect(x.div(4).data).toBe(0.2);
    expect(x.neg().data).toBe(-0.8);
    expect(x.pow(3).data).toBe(0.8 ** 3);
    expect(x.exp().data).toBe(Math.exp(0.8));
    expect(x.log().data).toBe(Math.log(0.8));
    expect(x.tanh().data).toBe(Math.tanh(0.8));
    expect(x.relu().data).toBe(0.8);
    expect(x.neg().relu().data).toBe(0);
  });

  it('gives relu a zero gradient for negative inputs', () => {
    const x = new Value(-1.5);
    x.relu().backward();
    expect(x.grad).toBe(0);
  });

  it('returns −Infinity and NaN from log of 0 and of a negative number without throwing', () => {
    expect(new Value(0).log().data).toBe(-Infinity);
    expect(new Value(-1).log().data).toBeNaN();
  });

  it('reproduces the micrograd README expression with hand-derived values', () => {
    // a = −4, b = 2. Unrolling the updates below:
    //   c = 3a + 4b + 3 = −1
    //   d = 12(ab + b³) + 4·relu(a + b) + relu(b − a) = 12·0 + 0 + 6 = 6   (a + b = −2 < 0, b − a = 6 > 0)
    //   e = c − d = −7,  f = e² = 49,  g = f/2 + 10/f = 24.5 + 10/49
    // dg/df = 1/2 − 10/f² = 1/2 − 10/2401,  df/de = 2e = −14
    //   de/da = 3 − (12b − 1) = −20   →  dg/da = 280·(1/2 − 10/2401) = 140 − 2800/2401
    //   de/db = 4 − (12(a + 3b²) + 1) = −93  →  dg/db = 1302·(1/2 − 10/2401) = 651 − 13020/2401
    const a = new Value(-4, 'a');
    const b = new Value(2, 'b');
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(c.add(1).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(d.mul(3).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(Value.from(10).div(f));
    g.backward();
    expect(c.data).toBe(-1);
    expect(d.data).toBe(6);
    expect(g.data).toBeCloseTo(24.5 + 10 / 49, 12);
    expect(a.grad).toBeCloseTo(140 - 2800 / 2401, 12);
    expect(b.grad).toBeCloseTo(651 - 13020 / 2401, 12);
  });

  it('resets every gradient in the graph with zeroGrad', () => {
    const x = new Value(2);
    const y = x.mul(x).tanh();
    const loss = y.add(x);
    loss.backward();
    expect(x.grad).not.toBe(0);
    loss.zeroGrad();
    expect([x.grad, y.grad, loss.grad]).toEqual([0, 0, 0]);
  });

  it('accumulates leaf gradients when backward runs twice without zeroGrad', () => {
    // f = (x·2)·3 = 6x, so ∂f/∂x = 6 per pass. The interior node x·2 restarts from 0 each pass,
    // so x gets exactly 6 + 6 (micrograd's plain `self.grad = 1` re-seed would give 6 + 12 = 18).
    const x = new Value(1.25);
    const f = x.mul(2).mul(3);
    f.backward();
    expect(x.grad).toBe(6);
    f.backward();
    expect(x.grad).toBe(12);
    f.zeroGrad();
    f.backward();
    expect(x.grad).toBe(6);
  });

  it('differentiates a 100 000-node chain without overflowing the stack', () => {
    const x = new Value(0.5);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1);
    y.backward();
    expect(y.data).toBe(100_000.5);
    expect(x.grad).toBe(1);
  });

  it('lifts numbers with Value.from and passes Values through unchanged', () => {
    const v = new Value(1);
    expect(Value.from(v)).toBe(v);
    expect(Value.from(2.5).data).toBe(2.5);
  });

  it('prints data, grad, op and label', () => {
    const r = new Value(3, 'r');
    expect(r.toString()).toBe("Value(data=3, grad=0, label='r')");
    const out = r.mul(2);
    out.backward();
    expect(out.toString()).toBe("Value(data=6, grad=1, op='*')");
    expect(r.toString()).toBe("Value(data=3, grad=2, label='r')");
  });
});
