import { ModelFileError } from '../errors.js';
import { describe } from './describe.js';
import type { ModelLayerJSON } from './model-format.js';

/** One of our parameters under its PyTorch `state_dict` name, with PyTorch's shape. */
export interface TorchParameter {
  /** e.g. '0.weight', '2.running_mean'. */
  readonly torchName: string;
  /** 0-based index into the model's layers. */
  readonly layer: number;
  /** Our parameter's name within the layer: 'weights', 'bias', 'gamma', … */
  readonly name: string;
  /** PyTorch's shape: Linear weight [out, in], every vector [n]. */
  readonly shape: readonly number[];
}

/** The `torch.nn.Sequential` equivalent of a model: its modules and parameter names. */
export interface TorchLayout {
  /** Python modules, in order, e.g. ['nn.Linear(4, 8)', 'nn.ReLU()', 'nn.Linear(8, 3)']. */
  readonly modules: readonly string[];
  readonly parameters: readonly TorchParameter[];
  /** The BatchNorm1d modules' `num_batches_tracked` buffers (I64 scalars), e.g. '1.num_batches_tracked'. */
  readonly counters: readonly string[];
}

type ActivationJSON = string | { name: string; [option: string]: unknown };

/** PyTorch's module for each of our activations (softmax: see {@link torchLayout}). */
function activationModule(spec: ActivationJSON, where: string): string | undefined {
  if (typeof spec !== 'string' && (typeof spec !== 'object' || spec === null)) {
    throw new ModelFileError(
      `${where}: activation: expected a name or { name, … }, found ${describe(spec)}`,
    );
  }
  const { name, ...options } = typeof spec === 'string' ? { name: spec } : spec;
  const number = (key: string, fallback: number) =>
    typeof options[key] === 'number' ? (options[key] as number) : fallback;
  switch (name) {
    case 'linear':
      return undefined;
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'relu':
      return 'nn.ReLU()';
    case 'leakyRelu':
      return `nn.LeakyReLU(${number('slope', 0.01)})`;
    case 'elu':
      return `nn.ELU(${number('alpha', 1)})`;
    case 'selu':
      return 'nn.SELU()';
    case 'gelu':
      return 'nn.GELU()';
    case 'geluTanh':
      return "nn.GELU(approximate='tanh')";
    case 'softplus':
      return 'nn.Softplus()';
    case 'swish':
      return 'nn.SiLU()';
    case 'softsign':
      return 'nn.Softsign()';
    case 'mish':
      return 'nn.Mish()';
    case 'softmax':
      return 'nn.Softmax(dim=1)';
    default:
      throw new ModelFileError(
        `${where}: the activation ${JSON.stringify(spec)} has no torch.nn module ` +
          '(hardSigmoid differs: PyTorch uses slope 1/6); help: use another activation',
      );
  }
}

/**
 * The `torch.nn.Sequential` that computes the same function as a model, from its model-file
 * layer entries (model-format.ts): each Dense is an `nn.Linear` followed by its activation
 * module (none for linear; a softmax at the end is left out, as PyTorch applies it in the
 * loss), and Dropout, BatchNormalization (`nn.BatchNorm1d`, momentum 1 − ours), LayerNormalization,
 * Activation and GaussianNoise (`nn.Identity()` at inference) take one index each. So
 * Dense(relu), Dense gives `0.weight`, `0.bias`, `2.weight`, `2.bias`.
 * @param layers - the model file's `layers` (their config fields; parameters are not read)
 * @param inputs - n⁰, the model's input width
 * @throws {ModelFileError} for a layer type or activation PyTorch has no module for (names the layer)
 */
export function torchLayout(layers: readonly ModelLayerJSON[], inputs: number): TorchLayout {
  const modules: string[] = [];
  const parameters: TorchParameter[] = [];
  const counters: string[] = [];
  let width = inputs;
  layers.forEach((entry, k) => {
    if (typeof entry !== 'object' || entry === null || typeof entry.type !== 'string') {
      throw new ModelFileError(
        `layers[${k}]: expected a layer { type, … }, found ${describe(entry)}`,
      );
    }
    const where = `layers[${k}] (${entry.type})`;
    const number = (key: string): number => {
      const value = entry[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new ModelFileError(
          `${where}: ${key}: expected a number ≥ 0, found ${describe(value)}`,
        );
      }
      return value;
    };
    const last = k === layers.length - 1;
    const add = (module: string, names: [ours: string, torch: string, shape: number[]][]) => {
      const index = modules.length;
      modules.push(module);
      for (const [name, torch, shape] of names) {
        parameters.push({ torchName: `${index}.${torch}`, layer: k, name, shape });
      }
      return index;
    };
    const activation = (spec: unknown) => {
      const module = activationModule(spec as ActivationJSON, where);
      const name = typeof spec === 'string' ? spec : (spec as { name?: unknown }).name;
      if (module !== undefined && !(last && name === 'softmax')) add(module, []);
    };
    switch (entry.type) {
      case 'Dense': {
        const outputs = number('outputs');
        add(`nn.Linear(${width}, ${outputs})`, [
          ['weights', 'weight', [outputs, width]],
          ['bias', 'bias', [outputs]],
        ]);
        activation(entry['activation']);
        width = outputs;
        break;
      }
      case 'Activation':
        activation(entry['activation']);
        break;
      case 'Dropout':
        add(`nn.Dropout(${number('rate')})`, []);
        break;
      case 'GaussianNoise':
        add('nn.Identity()', []);
        break;
      case 'BatchNormalization': {
        const momentum = Number((1 - number('momentum')).toPrecision(12));
        const index = add(
          `nn.BatchNorm1d(${width}, eps=${number('epsilon')}, momentum=${momentum})`,
          [
            ['gamma', 'weight', [width]],
            ['beta', 'bias', [width]],
            ['movingMean', 'running_mean', [width]],
            ['movingVariance', 'running_var', [width]],
          ],
        );
        counters.push(`${index}.num_batches_tracked`);
        break;
      }
      case 'LayerNormalization':
        add(`nn.LayerNorm(${width}, eps=${number('epsilon')})`, [
          ['gamma', 'weight', [width]],
          ['beta', 'bias', [width]],
        ]);
        break;
      default:
        throw new ModelFileError(`${where}: PyTorch's nn.Sequential has no equivalent layer`);
    }
  });
  return { modules, parameters, counters };
}

/** The Python expression of the layout's model, e.g. `nn.Sequential(nn.Linear(4, 3))`. */
export function torchExpression(layout: TorchLayout): string {
  return `nn.Sequential(${layout.modules.join(', ')})`;
}
