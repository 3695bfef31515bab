import { ConfigError } from '../../errors.js';
import type { Layer } from '../../layers/layer.js';
import type { Sequential } from '../../model/sequential.js';
import type { Matrix } from '../../tensor/matrix.js';

/** A weight: its name within the layer, values (row-major) and tfjs shape. */
type Weight = [name: string, values: ArrayLike<number>, shape: number[]];
import { tfjsActivation } from './activations.js';
import { TFJS_WEIGHTS_FILE, type TfjsModelJSON, type TfjsLayerJSON } from './format.js';

/** A model in the tfjs layers format: model.json's content and weights.bin's bytes. */
export interface TfjsArtifacts {
  readonly modelJson: TfjsModelJSON;
  readonly weights: Uint8Array;
}

interface Spec {
  name: string;
  shape: number[];
  values: ArrayLike<number>;
}

/**
 * A model as a TensorFlow.js layers model (`tf.loadLayersModel` reads it): model.json holds
 * the `Sequential` topology (Dense with its activation, Dropout, GaussianNoise, Activation,
 * BatchNormalization, LayerNormalization; a leakyRelu is tfjs's `LeakyReLU` layer after a linear
 * Dense) and a weights manifest of one shard, `weights.bin`, float32 little-endian. The Dense
 * kernel is stored [inputs, units], the transpose of our Wˡ [units, inputs]. Class names and
 * preprocessing go in `userDefinedMetadata.backprop`. A float64 model is rounded to float32.
 * @returns model.json's object and the shard's bytes
 * @throws {ConfigError} for an activation tfjs has no form of (names the layer and activation)
 */
export function toTfjs(model: Sequential): TfjsArtifacts {
  const layers: TfjsLayerJSON[] = [];
  const specs: Spec[] = [];
  const add = (className: string, config: Record<string, unknown>, weights: Weight[] = []) => {
    const name = `${className.toLowerCase()}_${layers.length + 1}`;
    if (layers.length === 0) config['batch_input_shape'] = [null, model.inputs];
    layers.push({
      class_name: className,
      config: { name, trainable: true, dtype: 'float32', ...config },
    });
    for (const [weight, value, shape] of weights)
      specs.push({ name: `${name}/${weight}`, shape, values: value });
  };
  model.layers.forEach((layer, k) => addLayer(layer, k, add));
  const total = specs.reduce((sum, s) => sum + s.values.length, 0);
  const weights = new Uint8Array(4 * total);
  const view = new DataView(weights.buffer);
  let at = 0;
  for (const { values } of specs) {
    for (let i = 0; i < values.length; i++, at += 4) view.setFloat32(at, values[i]!, true);
  }
  const metadata: Record<string, unknown> = {};
  if (model.classNames !== undefined) metadata['classNames'] = [...model.classNames];
  if (model.preprocessing !== undefined) metadata['preprocessing'] = model.preprocessing;
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'backprop',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'sequential', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [
        {
          paths: [TFJS_WEIGHTS_FILE],
          weights: specs.map(({ name, shape }) => ({ name, shape, dtype: 'float32' })),
        },
      ],
      userDefinedMetadata: { backprop: metadata },
    },
    weights,
  };
}

type Add = (className: string, config: Record<string, unknown>, weights?: Weight[]) => void;

function addLayer(layer: Layer, k: number, add: Add): void {
  const config = layer.getConfig();
  const params = Object.fromEntries(layer.parameters().map((p) => [p.name, p.value]));
  const vector = (name: string, tfName: string): Weight => [
    tfName,
    params[name]!.data,
    [params[name]!.cols],
  ];
  switch (layer.className) {
    case 'Dense': {
      const w = params['weights']!;
      const kernel = transposed(w);
      const activation = activationOf(config['activation'], layer, k);
      add('Dense', { units: w.rows, activation: activation.dense, use_bias: true }, [
        ['kernel', kernel, [w.cols, w.rows]],
        vector('bias', 'bias'),
      ]);
      if (activation.layer !== undefined) add(...activation.layer);
      return;
    }
    case 'Activation': {
      const activation = activationOf(config['activation'], layer, k);
      add(...(activation.layer ?? ['Activation', { activation: activation.dense }]));
      return;
    }
    case 'Dropout':
      add('Dropout', { rate: config['rate'] });
      return;
    case 'GaussianNoise':
      add('GaussianNoise', { stddev: config['stddev'] });
      return;
    case 'BatchNormalization':
      add(
        'BatchNormalization',
        {
          axis: -1,
          momentum: config['momentum'],
          epsilon: config['epsilon'],
          center: true,
          scale: true,
        },
        [
          vector('gamma', 'gamma'),
          vector('beta', 'beta'),
          vector('movingMean', 'moving_mean'),
          vector('movingVariance', 'moving_variance'),
        ],
      );
      return;
    case 'LayerNormalization':
      add(
        'LayerNormalization',
        { axis: -1, epsilon: config['epsilon'], center: true, scale: true },
        [vector('gamma', 'gamma'), vector('beta', 'beta')],
      );
      return;
    default:
      throw new ConfigError(
        `layer ${k + 1} ${layer}: tfjs has no ${layer.className} layer backprop can write`,
      );
  }
}

/** Wᵀ's values, row-major: tfjs's kernel [inputs, units] from our W [units, inputs]. */
function transposed(w: Matrix): Float64Array {
  const out = new Float64Array(w.rows * w.cols);
  for (let j = 0; j < w.rows; j++) {
    for (let k = 0; k < w.cols; k++) out[k * w.rows + j] = w.data[j * w.cols + k]!;
  }
  return out;
}

/** The Dense `activation` identifier, plus a LeakyReLU layer after it for leakyRelu. */
function activationOf(
  config: unknown,
  layer: Layer,
  k: number,
): { dense: string; layer?: [string, Record<string, unknown>] } {
  const spec = config as string | { name: string; slope?: number };
  const name = typeof spec === 'string' ? spec : spec.name;
  if (name === 'leakyRelu') {
    const slope = typeof spec === 'string' ? 0.01 : (spec.slope ?? 0.01);
    return { dense: 'linear', layer: ['LeakyReLU', { alpha: slope }] };
  }
  const tfjs = tfjsActivation(spec);
  if (tfjs === undefined) {
    throw new ConfigError(
      `layer ${k + 1} ${layer}: tfjs has no activation ${JSON.stringify(spec)}; help: use it with its default options`,
    );
  }
  return { dense: tfjs };
}
