/** A scalar operand: a {@link Value} already in the graph, or a plain number lifted to a leaf. */
export type Operand = Value | number;

/**
 * One scalar node of a reverse-mode autodiff graph (micrograd's `Value`, in TypeScript).
 *
 * Every operator returns a new node `out` and, right below the forward line, a `backward` closure
 * that applies the chain rule locally: `x.grad += (∂out/∂x) · out.grad` for each input x.
 * Gradients accumulate with `+=`, so a node used twice (fan-out) receives the sum of both paths.
 *
 * Units / conventions: float64 throughout; `grad` of a leaf is ∂root/∂leaf after `root.backward()`.
 *
 * @see https://github.com/karpathy/micrograd (micrograd/engine.py)
 * @example
 * const r = new Value(3, 'r'), s = new Value(-2, 's');
 * const f = r.mul(r.mul(s)).mul(s); // f = r²s²
 * f.backward();
 * [f.data, r.grad, s.grad]; //=> [36, 24, -36]
 */
export class Value {
  /** The forward value of this node. */
  data: number;
  /** ∂root/∂this, accumulated by `backward()` with `+=`; cleared by `zeroGrad()`. */
  grad = 0;
  /** Optional name, shown by `toString()` (e.g. 'w1' or 'loss'). */
  label?: string;
  private children: readonly Value[] = [];
  private op = '';
  private backwardStep: () => void = () => undefined;

  /**
   * Creates a leaf node holding `data` with `grad = 0`.
   * @param data - the scalar value.
   * @param label - optional name for printing.
   */
  constructor(data: number, label?: string) {
    this.data = data;
    if (label !== undefined) this.label = label;
  }

  /** The nodes this one was computed from, in operand order (empty for a leaf). */
  get inputs(): readonly Value[] {
    return this.children;
  }

  /** The operation that computed this node: '+', '-', '*', '/', 'neg', '**n', 'exp', 'log',
   * 'tanh', 'sigmoid', 'relu'; '' for a leaf. */
  get operation(): string {
    return this.op;
  }

  /** Lifts a number to a new leaf `Value`; returns a `Value` unchanged (no copy). */
  static from(x: Operand): Value {
    return x instanceof Value ? x : new Value(x);
  }

  /** Builds an interior node with its inputs and op name; the caller sets `backwardStep`. */
  private static node(data: number, children: readonly Value[], op: string): Value {
    const out = new Value(data);
    out.children = children;
    out.op = op;
    return out;
  }

  /** a + b.  ∂/∂a = 1, ∂/∂b = 1. */
  add(other: Operand): Value {
    const b = Value.from(other);
    const out = Value.node(this.data + b.data, [this, b], '+');
    out.backwardStep = () => {
      this.grad += out.grad;
      b.grad += out.grad;
    };
    return out;
  }

  /** a − b.  ∂/∂a = 1, ∂/∂b = −1. */
  sub(other: Operand): Value {
    const b = Value.from(other);
    const out = Value.node(this.data - b.data, [this, b], '-');
    out.backwardStep = () => {
      this.grad += out.grad;
      b.grad -= out.grad;
    };
    return out;
  }

  /** a · b.  ∂/∂a = b, ∂/∂b = a. */
  mul(other: Operand): Value {
    const b = Value.from(other);
    const out = Value.node(this.data * b.data, [this, b], '*');
    out.backwardStep = () => {
      this.grad += b.data * out.grad;
      b.grad += this.data * out.grad;
    };
    return out;
  }

  /** a / b.  ∂/∂a = 1/b, ∂/∂b = −a/b². Division by 0 gives ±Infinity or NaN (IEEE), no throw. */
  div(other: Operand): Value {
    const b = Value.from(other);
    const out = Value.node(this.data / b.data, [this, b], '/');
    out.backwardStep = () => {
      this.grad += (1 / b.data) * out.grad;
      b.grad += (-this.data / (b.data * b.data)) * out.grad;
    };
    return out;
  }

  /** −x.  d/dx (−x) = −1. */
  neg(): Value {
    const out = Value.node(-this.data, [this], 'neg');
    out.backwardStep = () => {
      this.grad -= out.grad;
    };
    return out;
  }

  /**
   * xⁿ for a constant exponent n.  d/dx xⁿ = n·xⁿ⁻¹.
   * Non-integer n with x < 0 gives NaN (as `Math.pow`), no throw.
   * @param exponent - the constant n; not differentiated.
   */
  pow(exponent: number): Value {
    const out = Value.node(this.data ** exponent, [this], `**${exponent}`);
    out.backwardStep = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad;
    };
    return out;
  }

  /** eˣ.  d/dx eˣ = eˣ (reuses the forward result). */
  exp(): Value {
    const out = Value.node(Math.exp(this.data), [this], 'exp');
    out.backwardStep = () => {
      this.grad += out.data * out.grad;
    };
    return out;
  }

  /**
   * Natural log ln x.  d/dx ln x = 1/x.
   * Not checked: x = 0 gives −Infinity and x < 0 gives NaN (as `Math.log`), no throw.
   */
  log(): Value {
    const out = Value.node(Math.log(this.data), [this], 'log');
    out.backwardStep = () => {
      this.grad += (1 / this.data) * out.grad;
    };
    return out;
  }

  /** tanh x.  d/dx tanh x = 1 − tanh²x (reuses the forward result). */
  tanh(): Value {
    const out = Value.node(Math.tanh(this.data), [this], 'tanh');
    out.backwardStep = () => {
      this.grad += (1 - out.data * out.data) * out.grad;
    };
    return out;
  }

  /**
   * Logistic σ(z) = 1/(1 + e⁻ᶻ).  d/dz σ(z) = σ(z)(1 − σ(z)).
   * Stable: for z < 0 computes eᶻ/(1 + eᶻ), so no e⁻ᶻ overflow; σ(±1e4) is exactly 1 / 0.
   */
  sigmoid(): Value {
    const z = this.data;
    const s = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    const out = Value.node(s, [this], 'sigmoid');
    out.backwardStep = () => {
      this.grad += out.data * (1 - out.data) * out.grad;
    };
    return out;
  }

  /** max(0, x).  d/dx = 1 for x > 0, else 0 (the subgradient 0 is used at x = 0). */
  relu(): Value {
    const out = Value.node(this.data > 0 ? this.data : 0, [this], 'relu');
    out.backwardStep = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  /**
   * All nodes reachable from this one, inputs before outputs (iterative DFS, no recursion):
   * `backward()` runs the chain-rule steps in the reverse of this order.
   */
  topoOrder(): Value[] {
    const order: Value[] = [];
    const visited = new Set<Value>();
    const stack: [Value, boolean][] = [[this, false]];
    while (stack.length > 0) {
      const [node, childrenDone] = stack.pop()!;
      if (childrenDone) {
        order.push(node);
      } else if (!visited.has(node)) {
        visited.add(node);
        stack.push([node, true]);
        for (const child of node.children) if (!visited.has(child)) stack.push([child, false]);
      }
    }
    return order;
  }

  /**
   * Reverse-mode pass: adds ∂this/∂x to `x.grad` for every node x in the graph below this one.
   *
   * Sorts the graph topologically, seeds ∂this/∂this = 1, and calls each node's chain-rule step
   * in reverse order. Interior nodes' grads are scratch for the pass and restart from 0; leaf grads
   * accumulate, so calling `backward()` twice without `zeroGrad()` doubles them (as in PyTorch).
   * Safe for deep graphs: the sort is iterative, so it does not grow the call stack.
   */
  backward(): void {
    const order = this.topoOrder();
    for (const node of order) if (node.children.length > 0) node.grad = 0;
    this.grad += 1;
    for (let i = order.length - 1; i >= 0; i--) order[i]!.backwardStep();
  }

  /** Sets `grad = 0` on this node and on every node it depends on (leaves included). */
  zeroGrad(): void {
    for (const node of this.topoOrder()) node.grad = 0;
  }

  /**
   * `Value(data=…, grad=…)`, then `, op='…'` for a computed node and `, label='…'` when labelled.
   * @example
   * new Value(3, 'r').mul(2).toString(); //=> "Value(data=6, grad=0, op='*')"
   */
  toString(): string {
    const op = this.op === '' ? '' : `, op='${this.op}'`;
    const label = this.label === undefined ? '' : `, label='${this.label}'`;
    return `Value(data=${this.data}, grad=${this.grad}${op}${label})`;
  }
}
