import type { ActivationName } from './activations.js';
import { ConfigError } from './errors.js';
import { fillOrthogonal } from './initializers/orthogonal.js';
import {
  defaultOptions,
  echo,
  resolveOptions,
  type OptionRule,
  type Options,
} from './spec-options.js';
import type { Matrix } from './tensor/matrix.js';
import type { Random } from './tensor/random.js';

/** The weight initializers, by name (Keras's names). */
export type InitializerName =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heNormal'
  | 'heUniform'
  | 'lecunNormal'
  | 'lecunUniform'
  | 'orthogonal'
  | 'constant'
  | 'randomNormal'
  | 'randomUniform'
  | 'zeros';

/** An initializer with its options, as stored in a model file. */
export type InitializerConfig =
  | InitializerName
  | { readonly name: 'orthogonal'; readonly gain?: number }
  | { readonly name: 'constant'; readonly value?: number }
  | { readonly name: 'randomNormal'; readonly mean?: number; readonly stddev?: number }
  | { readonly name: 'randomUniform'; readonly minval?: number; readonly maxval?: number }
  | {
      readonly name: Exclude<
        InitializerName,
        'orthogonal' | 'constant' | 'randomNormal' | 'randomUniform'
      >;
    };

/**
 * Fills a parameter matrix in place from the seeded generator, and says how it was made.
 * @param m - the matrix to fill, e.g. weights [outputs, inputs]
 * @param fanIn - inputs per unit, nˡ⁻¹
 * @param fanOut - units, nˡ
 */
export interface Initializer {
  (m: Matrix, fanIn: number, fanOut: number, random: Random): void;
  /** The JSON-serialisable spec: the name when every option is at its default. */
  readonly config: InitializerConfig;
  /** How it prints, e.g. 'orthogonal(2)'. */
  readonly label: string;
}

/** A name, `{ name, ...options }`, or an Initializer made by {@link getInitializer}. */
export type InitializerSpec = InitializerConfig | Initializer;

type Fill = (m: Matrix, fanIn: number, fanOut: number, random: Random) => void;

/** The standard deviation of N(0, 1) truncated to [−2, 2] (Keras's 0.87962566103423978). */
export const TRUNCATED_NORMAL_STDDEV = 0.8796256610342398;

/** A draw of N(0, 1) truncated to [−2, 2], by rejection (about 4.6% of draws are redrawn). */
function truncatedNormal(random: Random): number {
  for (;;) {
    const x = random.normal();
    if (Math.abs(x) <= 2) return x;
  }
}

/** w ~ U(−limit, limit) with limit = √(scale/n). */
const uniform =
  (scale: number, fan: (fanIn: number, fanOut: number) => number): Fill =>
  (m, fanIn, fanOut, random) => {
    const limit = Math.sqrt(scale / fan(fanIn, fanOut));
    const d = m.data;
    for (let i = 0; i < d.length; i++) d[i] = (2 * random.uniform() - 1) * limit;
  };

/**
 * Keras's VarianceScaling with a truncated normal: w = σ·t, t ~ N(0, 1) truncated to [−2, 2],
 * σ = √(scale/n)/0.8796…, so that Var(w) = scale/n and |w| ≤ 2σ.
 */
const truncated =
  (scale: number, fan: (fanIn: number, fanOut: number) => number): Fill =>
  (m, fanIn, fanOut, random) => {
    const stddev = Math.sqrt(scale / fan(fanIn, fanOut)) / TRUNCATED_NORMAL_STDDEV;
    const d = m.data;
    for (let i = 0; i < d.length; i++) d[i] = truncatedNormal(random) * stddev;
  };

const fanIn = (n: number) => n;
const fanAverage = (n: number, m: number) => (n + m) / 2;

/** One row per initializer: its options and how it fills a matrix. */
interface Definition {
  readonly options: Readonly<Record<string, OptionRule>>;
  readonly fill: (options: Options) => Fill;
}

/**
 * The initializers, one table (Keras's definitions; n = fanIn, m = fanOut):
 * - glorotUniform: U(−r, r), r = √(6/(n + m)) (Glorot & Bengio, AISTATS 2010)
 * - glorotNormal: truncated normal, Var = 2/(n + m)
 * - heNormal: N(0, 2/n), not truncated (He et al., ICCV 2015; PyTorch's kaiming_normal_)
 * - heUniform: U(−r, r), r = √(6/n)
 * - lecunNormal: truncated normal, Var = 1/n (LeCun et al., "Efficient BackProp", 1998; the
 *   initializer SELU needs, Klambauer et al. 2017)
 * - lecunUniform: U(−r, r), r = √(3/n)
 * - orthogonal(gain = 1): gain·Q, Q orthogonal (Saxe et al., ICLR 2014), see orthogonal.ts
 * - constant(value = 0), zeros
 * - randomNormal(mean = 0, stddev = 0.05): N(mean, stddev²), not truncated
 * - randomUniform(minval = −0.05, maxval = 0.05): U(minval, maxval)
 * The truncated normals reject draws beyond 2 standard deviations and redraw.
 */
const definitions: Readonly<Record<InitializerName, Definition>> = {
  glorotUniform: { options: {}, fill: () => uniform(6, (n, m) => n + m) },
  glorotNormal: { options: {}, fill: () => truncated(1, fanAverage) },
  heNormal: {
    options: {},
    fill: () => (m, n, _fanOut, random) => {
      const std = Math.sqrt(2 / n);
      const d = m.data;
      for (let i = 0; i < d.length; i++) d[i] = random.normal() * std;
    },
  },
  heUniform: { options: {}, fill: () => uniform(6, fanIn) },
  lecunNormal: { options: {}, fill: () => truncated(1, fanIn) },
  lecunUniform: { options: {}, fill: () => uniform(3, fanIn) },
  orthogonal: {
    options: { gain: { default: 1, range: 'positive' } },
    fill:
      ({ gain }) =>
      (m, _n, _m, random) =>
        fillOrthogonal(m, gain!, random),
  },
  constant: {
    options: { value: { default: 0, range: 'any' } },
    fill:
      ({ value }) =>
      (m) =>
        m.data.fill(value!),
  },
  randomNormal: {
    options: {
      mean: { default: 0, range: 'any' },
      stddev: { default: 0.05, range: 'nonNegative' },
    },
    fill:
      ({ mean, stddev }) =>
      (m, _n, _m, random) => {
        const d = m.data;
        for (let i = 0; i < d.length; i++) d[i] = mean! + stddev! * random.normal();
      },
  },
  randomUniform: {
    options: { minval: { default: -0.05, range: 'any' }, maxval: { default: 0.05, range: 'any' } },
    fill:
      ({ minval, maxval }) =>
      (m, _n, _m, random) => {
        const d = m.data;
        for (let i = 0; i < d.length; i++) d[i] = minval! + (maxval! - minval!) * random.uniform();
      },
  },
  zeros: {
    options: {},
    fill: () => (m) => {
      m.data.fill(0);
    },
  },
};

/** The initializers made here (an Initializer passed back to getInitializer is kept). */
const made = new WeakSet<object>();

function make(name: InitializerName, options: Options, defaults: boolean): Initializer {
  const values = Object.values(options);
  const initializer = Object.assign(definitions[name].fill(options), {
    config: defaults ? name : ({ name, ...options } as InitializerConfig),
    label: defaults ? name : `${name}(${values.join(', ')})`,
  });
  made.add(initializer);
  return initializer;
}

/** The initializers with their default options, by name. */
export const initializers: Readonly<Record<InitializerName, Initializer>> = Object.freeze(
  Object.fromEntries(
    (Object.keys(definitions) as InitializerName[]).map((name) => [
      name,
      make(name, defaultOptions(definitions[name].options), true),
    ]),
  ) as Record<InitializerName, Initializer>,
);

/** The valid initializer names, for help texts and errors. */
export const INITIALIZER_NAMES = Object.keys(initializers) as InitializerName[];

/** Glorot/Xavier uniform: w ~ U(−r, r), r = √(6/(fanIn + fanOut)) (Glorot & Bengio 2010). */
export const glorotUniform = initializers.glorotUniform;
/** He normal: w ~ N(0, 2/fanIn), not truncated (He et al., ICCV 2015). */
export const heNormal = initializers.heNormal;
/** All zeros: the default for biases. */
export const zeros = initializers.zeros;

/**
 * An initializer from its spec: a name (`'heUniform'`), a name with options
 * (`{ name: 'orthogonal', gain: 2 }`, `{ name: 'randomNormal', mean: 0, stddev: 0.1 }`), or an
 * Initializer (returned as it is). All-default options give the shared instance.
 * @param option - the option's name in messages, e.g. 'weightInitializer'
 * @throws {ConfigError} for an unknown name (listing the valid ones) or option, a value that is
 *   not finite or out of range (gain > 0, stddev ≥ 0), or randomUniform's minval > maxval.
 */
export function getInitializer(
  spec: InitializerSpec | string,
  option = 'initializer',
): Initializer {
  if (typeof spec === 'function' && made.has(spec)) return spec;
  const isObject = typeof spec === 'object' && spec !== null && !Array.isArray(spec);
  const { name, ...given } = isObject ? (spec as { name?: unknown }) : { name: spec };
  if (typeof name !== 'string' || !Object.hasOwn(definitions, name)) {
    throw new ConfigError(
      `unknown ${option} ${echo(name)}; expected one of ${INITIALIZER_NAMES.join(', ')}`,
    );
  }
  const key = name as InitializerName;
  const rules = definitions[key].options;
  const { options, defaults } = resolveOptions(option, name, rules, given);
  if (key === 'randomUniform' && options['minval']! > options['maxval']!) {
    throw new ConfigError(
      `${option} randomUniform: minval must be ≤ maxval; received minval ${options['minval']}, ` +
        `maxval ${options['maxval']}`,
    );
  }
  return defaults ? initializers[key] : make(key, options, false);
}

/**
 * The default weight initializer for an activation: He normal for the ReLUs, LeCun normal for
 * SELU (what its self-normalisation assumes; Keras's advice), else Glorot uniform.
 */
export function defaultInitializer(activation: ActivationName): InitializerName {
  if (activation === 'relu' || activation === 'leakyRelu') return 'heNormal';
  return activation === 'selu' ? 'lecunNormal' : 'glorotUniform';
}
