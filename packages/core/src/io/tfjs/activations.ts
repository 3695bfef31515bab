/**
 * Our activation names ↔ tfjs's (Keras's) activation identifiers. leakyRelu has no identifier
 * in tfjs: it is the `LeakyReLU` layer (see layers.ts); hardSigmoid and elu only with their
 * tfjs defaults (slope 0.2, offset 0.5; α = 1).
 */
export const TFJS_ACTIVATIONS: Readonly<Record<string, string>> = {
  linear: 'linear',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  softmax: 'softmax',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  hardSigmoid: 'hard_sigmoid',
  swish: 'swish',
  mish: 'mish',
  gelu: 'gelu',
  geluTanh: 'gelu_new',
};

/** tfjs identifier → ours; tfjs also writes some in camelCase (hardSigmoid). */
export const FROM_TFJS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(TFJS_ACTIVATIONS).map(([ours, theirs]) => [theirs, ours])),
  hardSigmoid: 'hardSigmoid',
};

/**
 * The tfjs identifier of one of our activation configs, or undefined when tfjs has none
 * (leakyRelu, which tfjs expresses as a layer, or non-default options).
 */
export function tfjsActivation(config: unknown): string | undefined {
  if (typeof config === 'string') return TFJS_ACTIVATIONS[config];
  return undefined;
}
