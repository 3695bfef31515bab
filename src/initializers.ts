import type { ActivationName } from './activations.js';
import { ConfigError } from './errors.js';
import type { Matrix } from './tensor/matrix.js';
import type { Random } from './tensor/random.js';

/** The weight initializers, by name. */
export type InitializerName = 'glorotUniform' | 'heNormal' | 'zeros';

/**
 * Fills a parameter matrix in place from the seeded generator.
 * @param m - the matrix to fill, e.g. weights [outputs, inputs]
 * @param fanIn - inputs per unit, nˡ⁻¹
 * @param fanOut - units, nˡ
 */
export type Initializer = (m: Matrix, fanIn: number, fanOut: number, random: Random) => void;

/**
 * Glorot/Xavier uniform: w ~ U(−r, r) with r = √(6 / (fanIn + fanOut)), so that the variance
 * 2/(fanIn + fanOut) keeps signals and gradients at scale (Glorot & Bengio, AISTATS 2010).
 */
export const glorotUniform: Initializer = (m, fanIn, fanOut, random) => {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const d = m.data;
  for (let i = 0; i < d.length; i++) d[i] = (2 * random.uniform() - 1) * limit;
};

/**
 * He normal: w ~ N(0, 2/fanIn), suited to ReLU units (He et al., "Delving Deep into
 * Rectifiers", ICCV 2015; PyTorch's kaiming_normal_ with fan_in, not truncated).
 */
export const heNormal: Initializer = (m, fanIn, _fanOut, random) => {
  const std = Math.sqrt(2 / fanIn);
  const d = m.data;
  for (let i = 0; i < d.length; i++) d[i] = random.normal() * std;
};

/** All zeros: the default for biases. */
export const zeros: Initializer = (m) => {
  m.data.fill(0);
};

/** The initializers, by name. */
export const initializers: Readonly<Record<InitializerName, Initializer>> = {
  glorotUniform,
  heNormal,
  zeros,
};

/**
 * Looks an initializer up by name.
 * @throws {ConfigError} for an unknown name, listing the valid ones.
 */
export function getInitializer(name: string, option = 'initializer'): Initializer {
  if (Object.hasOwn(initializers, name)) return initializers[name as InitializerName];
  throw new ConfigError(
    `unknown ${option} ${JSON.stringify(name)}; expected one of ${Object.keys(initializers).join(', ')}`,
  );
}

/** The default weight initializer for an activation: He normal for the ReLUs, else Glorot. */
export function defaultInitializer(activation: ActivationName): InitializerName {
  return activation === 'relu' || activation === 'leakyRelu' ? 'heNormal' : 'glorotUniform';
}
