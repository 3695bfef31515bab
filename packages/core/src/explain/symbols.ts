import type { ActivationName, BuiltinActivationName } from '../activations.js';

/** A quantity's name in plain text (Unicode) and in LaTeX, e.g. `W²` and `W^{2}`. */
export interface Symbol {
  text: string;
  latex: string;
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
const SUBSCRIPT_LETTERS: Readonly<Record<string, string>> = { i: 'ᵢ', j: 'ⱼ', k: 'ₖ' };

/** 12 → '¹²'; '(3)' → '⁽³⁾' (the position of a layer that is not Dense). */
export function superscript(n: number | string): string {
  return String(n)
    .replace(/\d/g, (digit) => SUPERSCRIPTS[Number(digit)]!)
    .replace('(', '⁽')
    .replace(')', '⁾');
}

/** [1, 'k'] → '₁ₖ' (unit indices are subscripts: w²₁ₖ). */
export function subscript(indices: readonly (number | string)[]): string {
  return indices
    .map((index) =>
      typeof index === 'number'
        ? String(index).replace(/\d/g, (digit) => SUBSCRIPTS[Number(digit)]!)
        : (SUBSCRIPT_LETTERS[index] ?? index),
    )
    .join('');
}

/**
 * A layer quantity: `symbol('z', 2)` is z² (`z^{2}`); `symbol('w', 2, [1, 'k'])` is w²₁ₖ
 * (`w^{2}_{1k}`). Multi-digit indices are separated by commas in LaTeX.
 */
export function symbol(
  base: string,
  layer?: number | string,
  indices: readonly (number | string)[] = [],
): Symbol {
  const up = layer === undefined ? '' : `^{${layer}}`;
  const spread = indices.some((index) => String(index).length > 1);
  const down = indices.length === 0 ? '' : `_{${indices.join(spread ? ',' : '')}}`;
  return {
    text: `${base}${layer === undefined ? '' : superscript(layer)}${subscript(indices)}`,
    latex: `${base}${up}${down}`,
  };
}

/**
 * A quantity of the layer at position k of `model.layers` that is not a Dense layer: the
 * lecture's superscript l counts Dense layers, so these carry their position in parentheses,
 * e.g. `positioned(GREEK.gamma, 2)` is γ⁽²⁾ (`\gamma^{(2)}`), `positioned(H, 3, ['k'])` is h⁽³⁾ₖ.
 */
export function positioned(
  base: Symbol,
  position: number,
  indices: readonly (number | string)[] = [],
): Symbol {
  const tagged = symbol('', `(${position})`, indices);
  return { text: `${base.text}${tagged.text}`, latex: `${base.latex}${tagged.latex}` };
}

/** The names of the other layers' quantities, in text and LaTeX. */
export const NAMES = {
  /** A layer's output. */
  h: { text: 'h', latex: 'h' },
  /** Dropout's scaled mask. */
  mask: { text: 'm', latex: 'm' },
  /** GaussianNoise's noise. */
  noise: { text: 'ε', latex: '\\varepsilon' },
  mean: { text: 'μ', latex: '\\mu' },
  variance: { text: 'σ²', latex: '{\\sigma^{2}}' },
  xhat: { text: 'x̂', latex: '\\hat{x}' },
  gamma: { text: 'γ', latex: '\\gamma' },
  beta: { text: 'β', latex: '\\beta' },
  epsilon: { text: 'ε', latex: '\\epsilon' },
} as const satisfies Record<string, Symbol>;

/** A parameter's name as a symbol base: gamma → γ, beta → β, any other name as it is. */
export function parameterSymbol(name: string): Symbol {
  if (name === 'gamma' || name === 'beta') return NAMES[name];
  return { text: name, latex: `\\operatorname{${name}}` };
}

/** (s)ᵀ. */
export function transposed(s: Symbol): Symbol {
  return { text: `(${s.text})ᵀ`, latex: `(${s.latex})^{\\top}` };
}

/** ∂L/∂s. */
export function partial(s: Symbol): Symbol {
  return { text: `∂L/∂${s.text}`, latex: `\\frac{\\partial L}{\\partial ${s.latex}}` };
}

/** δ as a symbol base (LaTeX `\delta`). */
export function delta(layer: number, indices: readonly (number | string)[] = []): Symbol {
  const s = symbol('δ', layer, indices);
  return { text: s.text, latex: s.latex.replace(/^δ/, '\\delta') };
}

/** The activation's name as the lecture writes it: σ, tanh, ReLU, …; a custom one's own name. */
export function activationSymbol(name: ActivationName): Symbol {
  const names: Record<BuiltinActivationName, Symbol> = {
    sigmoid: { text: 'σ', latex: '\\sigma' },
    tanh: { text: 'tanh', latex: '\\tanh' },
    relu: { text: 'ReLU', latex: '\\operatorname{ReLU}' },
    leakyRelu: { text: 'LeakyReLU', latex: '\\operatorname{LeakyReLU}' },
    linear: { text: 'id', latex: '\\operatorname{id}' },
    softmax: { text: 'softmax', latex: '\\operatorname{softmax}' },
    elu: { text: 'ELU', latex: '\\operatorname{ELU}' },
    selu: { text: 'SELU', latex: '\\operatorname{SELU}' },
    gelu: { text: 'GELU', latex: '\\operatorname{GELU}' },
    geluTanh: { text: 'GELU_tanh', latex: '\\operatorname{GELU}_{\\tanh}' },
    softplus: { text: 'softplus', latex: '\\operatorname{softplus}' },
    swish: { text: 'swish', latex: '\\operatorname{swish}' },
    softsign: { text: 'softsign', latex: '\\operatorname{softsign}' },
    hardSigmoid: { text: 'hardσ', latex: '\\operatorname{hard}\\sigma' },
    mish: { text: 'mish', latex: '\\operatorname{mish}' },
  };
  return Object.hasOwn(names, name)
    ? names[name as BuiltinActivationName]
    : { text: name, latex: `\\operatorname{${name}}` };
}

/** g′(s) for the activation, e.g. σ′(z²). */
export function derivativeOf(name: ActivationName, argument: Symbol): Symbol {
  const g = activationSymbol(name);
  return { text: `${g.text}′(${argument.text})`, latex: `${g.latex}'(${argument.latex})` };
}

/** A symbol with a word after it, e.g. `new W²`. */
export function labelled(prefix: string, s: Symbol): Symbol {
  return { text: `${prefix} ${s.text}`, latex: `\\text{${prefix} }${s.latex}` };
}
