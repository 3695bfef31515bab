import { erfc } from './erf.js';
import type { OptionRule, Options } from '../spec-options.js';
import type { ActivationKernel, BuiltinActivationName } from './activation.js';

/** g(z) and g′(z, a = g(z)). */
type Pair = readonly [g: (z: number) => number, derivative: (z: number, a: number) => number];

/** One row of the table: the options, g and g′ for given options, and the WASM kernel. */
export interface Definition {
  readonly options: Readonly<Record<string, OptionRule>>;
  readonly math: (options: Options) => Pair;
  /** The code in assembly/elementwise.ts and the options it takes; absent: JS loops. */
  readonly kernel?: (options: Options) => ActivationKernel;
}

/** Slope of leakyRelu for z < 0 by default (PyTorch's negative_slope). */
export const LEAKY_RELU_SLOPE = 0.01;
/** SELU's α and λ (Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
/** √(2/π) and the cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel 2016). */
const GELU_TANH_SCALE = Math.sqrt(2 / Math.PI);
const GELU_TANH_CUBIC = 0.044715;
/** 1/√(2π), the standard normal density at 0. */
const NORMAL_DENSITY = 1 / Math.sqrt(2 * Math.PI);

/**
 * σ(z) = 1 / (1 + e^(−z)), computed as e^z / (1 + e^z) for z < 0 so that no exponential
 * overflows: finite and in [0, 1] for every finite z. σ′(z) = σ(z)(1 − σ(z)).
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * tanh(softplus(z)) = ((1+eᶻ)² − 1)/((1+eᶻ)² + 1), in a form that neither overflows nor
 * cancels: with w = e^(−z) for z ≥ 0, (1+2w)/(1+2w+2w²); with n = eᶻ(eᶻ+2) for z < 0, n/(n+2).
 */
function tanhSoftplus(z: number): number {
  if (z >= 0) {
    const w = Math.exp(-z);
    return (1 + 2 * w) / (1 + 2 * w + 2 * w * w);
  }
  const e = Math.exp(z);
  const n = e * (e + 2);
  return n / (n + 2);
}

/** 1 − tanh²(softplus(z)) without cancellation: 4w²(1+w)²/(1+2w+2w²)², or 4(n+1)/(n+2)². */
function sechSquaredSoftplus(z: number): number {
  if (z >= 0) {
    const w = Math.exp(-z);
    const d = 1 + 2 * w + 2 * w * w;
    return (4 * w * w * (1 + w) * (1 + w)) / (d * d);
  }
  const e = Math.exp(z);
  const n = e * (e + 2);
  return (4 * (n + 1)) / ((n + 2) * (n + 2));
}

const none = {};
const kernel =
  (code: number, first?: string, second?: string) =>
  (o: Options): ActivationKernel => ({
    code,
    parameters: [first === undefined ? 0 : o[first]!, second === undefined ? 0 : o[second]!],
  });

/**
 * The element-wise activations, one table: g and g′ side by side, their options and their
 * WASM kernel (softmax, which acts on rows, is in activations.ts).
 * - sigmoid: σ(z) = 1/(1+e^(−z)); σ′ = σ(1 − σ)
 * - tanh: tanh z; tanh′ = 1 − tanh² z
 * - relu: max(0, z); relu′ = 1 for z > 0, else 0 (the subgradient 0 at z = 0, as PyTorch)
 * - leakyRelu(slope = 0.01): z for z > 0, else slope·z; derivative 1 or slope
 * - linear: z; derivative 1
 * - elu(alpha = 1): z for z > 0, else α(eᶻ − 1); derivative 1 or αeᶻ (Clevert et al., ICLR 2016)
 * - selu: λ·elu_α(z) with α ≈ 1.6733, λ ≈ 1.0507 (Klambauer et al., NeurIPS 2017)
 * - gelu: z·Φ(z) = ½z(1 + erf(z/√2)) = ½z·erfc(−z/√2); derivative Φ(z) + z·φ(z), φ(z) =
 *   e^(−z²/2)/√(2π) (Hendrycks & Gimpel, "Gaussian Error Linear Units", 2016)
 * - geluTanh: ½z(1 + tanh u) = z·σ(2u), u = √(2/π)(z + 0.044715z³) (same paper; PyTorch's
 *   approximate='tanh'); derivative σ(2u) + 2z·σ(2u)(1 − σ(2u))·u′
 * - softplus: ln(1 + eᶻ) = ln(1 + e^(−|z|)) + max(z, 0); derivative σ(z)
 * - swish (SiLU): z·σ(z); derivative σ(z)(1 + z(1 − σ(z))) (Ramachandran et al. 2017)
 * - softsign: z/(1 + |z|); derivative 1/(1 + |z|)²
 * - hardSigmoid(slope = 0.2, offset = 0.5): clip(slope·z + offset, 0, 1), as tfjs and ONNX;
 *   derivative slope inside (0, 1), else 0
 * - mish: z·tanh(softplus z); derivative t + z(1 − t²)σ(z) (Misra, BMVC 2020)
 * Big |z| give no NaN or Inf where g is finite.
 */
export const definitions: Readonly<Record<Exclude<BuiltinActivationName, 'softmax'>, Definition>> =
  {
    sigmoid: { options: none, math: () => [sigmoid, (_z, a) => a * (1 - a)], kernel: kernel(0) },
    tanh: { options: none, math: () => [Math.tanh, (_z, a) => 1 - a * a], kernel: kernel(1) },
    relu: {
      options: none,
      math: () => [(z) => (z > 0 ? z : 0), (z) => (z > 0 ? 1 : 0)],
      kernel: kernel(2),
    },
    leakyRelu: {
      options: { slope: { default: LEAKY_RELU_SLOPE, range: 'nonNegative' } },
      math: ({ slope }) => [(z) => (z > 0 ? z : slope! * z), (z) => (z > 0 ? 1 : slope!)],
      kernel: kernel(3, 'slope'),
    },
    linear: { options: none, math: () => [(z) => z, () => 1], kernel: kernel(4) },
    elu: {
      options: { alpha: { default: 1, range: 'nonNegative' } },
      math: ({ alpha }) => [
        (z) => (z > 0 ? z : alpha! * Math.expm1(z)),
        (z) => (z > 0 ? 1 : alpha! * Math.exp(z)),
      ],
      kernel: kernel(5, 'alpha'),
    },
    selu: {
      options: none,
      math: () => [
        (z) => SELU_SCALE * (z > 0 ? z : SELU_ALPHA * Math.expm1(z)),
        (z) => SELU_SCALE * (z > 0 ? 1 : SELU_ALPHA * Math.exp(z)),
      ],
      kernel: kernel(6),
    },
    gelu: {
      options: none,
      math: () => [
        (z) => 0.5 * z * erfc(-z * Math.SQRT1_2),
        (z) => 0.5 * erfc(-z * Math.SQRT1_2) + z * NORMAL_DENSITY * Math.exp(-0.5 * z * z),
      ],
      kernel: kernel(7),
    },
    geluTanh: {
      options: none,
      math: () => {
        const s = (z: number) => sigmoid(2 * GELU_TANH_SCALE * (z + GELU_TANH_CUBIC * z * z * z));
        return [
          (z) => z * s(z),
          (z) => {
            const p = s(z);
            const q = p * (1 - p);
            // q = 0 where |z| is so big that z² might overflow (0·∞).
            if (q === 0) return p;
            return p + 2 * z * q * GELU_TANH_SCALE * (1 + 3 * GELU_TANH_CUBIC * z * z);
          },
        ];
      },
      kernel: kernel(13),
    },
    softplus: {
      options: none,
      math: () => [(z) => Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0), sigmoid],
      kernel: kernel(8),
    },
    swish: {
      options: none,
      math: () => [
        (z) => z * sigmoid(z),
        (z) => {
          const s = sigmoid(z);
          return s + z * s * (1 - s);
        },
      ],
      kernel: kernel(9),
    },
    softsign: {
      options: none,
      math: () => [
        (z) => z / (1 + Math.abs(z)),
        (z) => 1 / ((1 + Math.abs(z)) * (1 + Math.abs(z))),
      ],
      kernel: kernel(11),
    },
    hardSigmoid: {
      options: {
        slope: { default: 0.2, range: 'positive' },
        offset: { default: 0.5, range: 'any' },
      },
      math: ({ slope, offset }) => [
        (z) => Math.min(1, Math.max(0, slope! * z + offset!)),
        (z) => {
          const y = slope! * z + offset!;
          return y > 0 && y < 1 ? slope! : 0;
        },
      ],
      kernel: kernel(10, 'slope', 'offset'),
    },
    mish: {
      options: none,
      math: () => [
        (z) => z * tanhSoftplus(z),
        (z) => tanhSoftplus(z) + z * sechSquaredSoftplus(z) * sigmoid(z),
      ],
      kernel: kernel(12),
    },
  };
