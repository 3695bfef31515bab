import type { Backend } from './backend/backend.js';
import { ConfigError } from './errors.js';
import type { Matrix } from './tensor/matrix.js';
import type {
  Activation,
  ActivationConfig,
  ActivationSpec,
  BuiltinActivationName,
  CustomActivationSpec,
  ElementwiseActivation,
  SoftmaxActivation,
} from './activations/activation.js';
import { definitions } from './activations/table.js';
import { defaultOptions, echo, resolveOptions, type Options } from './spec-options.js';

export type {
  Activation,
  ActivationConfig,
  ActivationKernel,
  ActivationName,
  ActivationSpec,
  BuiltinActivationName,
  CustomActivationSpec,
  ElementwiseActivation,
  SoftmaxActivation,
} from './activations/activation.js';
export { LEAKY_RELU_SLOPE, SELU_ALPHA, SELU_SCALE, sigmoid } from './activations/table.js';
export { erf, erfc } from './activations/erf.js';

/** The activations made here: an Activation passed back to getActivation is taken as it is. */
const made = new WeakSet<object>();

const methods = {
  forward(this: Activation, backend: Backend, z: Matrix, a: Matrix) {
    backend.activate(this, z, a);
  },
  backward(this: Activation, backend: Backend, z: Matrix, a: Matrix, gradA: Matrix, delta: Matrix) {
    backend.activateBackward(this, z, a, gradA, delta);
  },
  toString(this: Activation) {
    return this.label;
  },
};

/** A built-in element-wise activation with resolved options. */
function builtin(name: keyof typeof definitions, options: Options): ElementwiseActivation {
  const definition = definitions[name];
  const [g, derivative] = definition.math(options);
  const values = Object.keys(definition.options).map((key) => options[key]!);
  const defaults = Object.keys(definition.options).every(
    (key) => options[key] === definition.options[key]!.default,
  );
  const activation: ElementwiseActivation = {
    kind: 'elementwise',
    name,
    label: defaults ? name : `${name}(${values.join(', ')})`,
    config: defaults ? name : ({ name, ...options } as ActivationConfig),
    options: Object.freeze({ ...options }),
    custom: false,
    g,
    derivative,
    kernel: definition.kernel?.(options),
    ...methods,
  };
  made.add(activation);
  return activation;
}

const softmax: SoftmaxActivation = {
  kind: 'softmax',
  name: 'softmax',
  label: 'softmax',
  config: 'softmax',
  options: Object.freeze({}),
  custom: false,
  ...methods,
};
made.add(softmax);

/**
 * The built-in activations with their default options, by name (g and g′ of each are in
 * activations/table.ts; softmax: aᵢ = e^(zᵢ − max z) / Σⱼ e^(zⱼ − max z) per row, whose
 * Jacobian ∂aⱼ/∂zᵢ = aⱼ(𝟙[i=j] − aᵢ) is applied as a Jacobian-vector product; with
 * cross-entropy the model uses the fused δ = a − y instead, see losses.ts).
 */
export const activations: Readonly<Record<BuiltinActivationName, Activation>> = (() => {
  const names = Object.keys(definitions) as (keyof typeof definitions)[];
  const table: Partial<Record<BuiltinActivationName, Activation>> = {};
  for (const name of names) {
    table[name] = builtin(name, defaultOptions(definitions[name].options));
    if (name === 'linear') table.softmax = softmax;
  }
  return Object.freeze(table as Record<BuiltinActivationName, Activation>);
})();

/** The built-in activation names, for help texts and errors. */
export const ACTIVATION_NAMES = Object.keys(activations) as BuiltinActivationName[];

function isBuiltin(name: unknown): name is BuiltinActivationName {
  return typeof name === 'string' && Object.hasOwn(activations, name);
}

/**
 * An activation from its spec: a built-in name (`'elu'`), a name with options
 * (`{ name: 'leakyRelu', slope: 0.2 }`, `{ name: 'elu', alpha: 0.5 }`,
 * `{ name: 'hardSigmoid', slope: 0.25, offset: 0.5 }`), a custom activation
 * `{ name, g, derivative }`, or an Activation (returned as it is). Specs with the same name and
 * options give activations that compute the same; a spec whose options are all defaults gives
 * the shared instance in {@link activations}.
 * @param option - the option's name in error messages, e.g. 'activation'
 * @throws {ConfigError} for an unknown name (listing the valid ones), an unknown option, an
 *   option that is not a finite number in its range (alpha ≥ 0, slope ≥ 0 for leakyRelu,
 *   slope > 0 for hardSigmoid), or a custom activation without a name or functions, or with a
 *   built-in name.
 */
export function getActivation(spec: ActivationSpec, option = 'activation'): Activation {
  if (typeof spec === 'string') {
    if (isBuiltin(spec)) return activations[spec];
    throw new ConfigError(
      `unknown ${option} ${JSON.stringify(spec)}; expected one of ${ACTIVATION_NAMES.join(', ')}`,
    );
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ConfigError(
      `${option} must be a name, { name, ...options } or { name, g, derivative }; received ` +
        echo(spec),
    );
  }
  if (made.has(spec)) return spec as Activation;
  if ('g' in spec || 'derivative' in spec) return custom(spec as CustomActivationSpec, option);
  const { name, ...given } = spec as { name?: unknown } & Record<string, unknown>;
  if (!isBuiltin(name)) {
    throw new ConfigError(
      `unknown ${option} ${echo(name)}; expected one of ${ACTIVATION_NAMES.join(', ')}`,
    );
  }
  if (name === 'softmax') {
    resolveOptions(option, name, {}, given);
    return softmax;
  }
  const { options, defaults } = resolveOptions(option, name, definitions[name].options, given);
  return defaults ? activations[name] : builtin(name, options);
}

/** A user-defined element-wise activation, checked. */
function custom(spec: CustomActivationSpec, option: string): ElementwiseActivation {
  const { name, g, derivative, ...rest } = spec;
  const extra = Object.keys(rest);
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError(`custom ${option} needs a non-empty name; received ${echo(name)}`);
  }
  if (isBuiltin(name)) {
    throw new ConfigError(
      `custom ${option} ${JSON.stringify(name)} has a built-in activation's name; choose another`,
    );
  }
  for (const [key, value] of [
    ['g', g],
    ['derivative', derivative],
  ] as const) {
    if (typeof value !== 'function') {
      throw new ConfigError(
        `custom ${option} ${JSON.stringify(name)}: ${key} must be a function; received ${echo(value)}`,
      );
    }
  }
  if (extra.length > 0) {
    throw new ConfigError(
      `custom ${option} ${JSON.stringify(name)} has unknown field ${JSON.stringify(extra[0])}; ` +
        'expected name, g, derivative',
    );
  }
  const activation: ElementwiseActivation = {
    kind: 'elementwise',
    name,
    label: name,
    config: name,
    options: Object.freeze({}),
    custom: true,
    g,
    derivative,
    kernel: undefined,
    ...methods,
  };
  made.add(activation);
  return activation;
}
