import type { ActivationLayer } from '@backpropjs/core';
import type { Dense } from '@backpropjs/core';
import type { Layer } from '@backpropjs/core';
import type { LayerNormalization } from '@backpropjs/core';
import type { BatchNormalization } from '@backpropjs/core';
import { ConfigError } from '@backpropjs/core';
import type { Activation } from '@backpropjs/core';
import type { FloatArray } from '@backpropjs/core';
import { activationNodes } from './activation-ops.js';
import { floatAttribute, intAttribute, intsAttribute, node } from './nodes.js';
import type { NodeMessage } from './schema.js';

/** What a layer's nodes are written with. */
export interface LayerNodeContext {
  /** The tensor holding the layer's input [N, inputs]. */
  readonly input: string;
  /** The prefix of the layer's node and tensor names, e.g. 'layer2' for `model.layers[1]`. */
  readonly prefix: string;
  /** Adds an initializer of the model's element type (bit for bit); returns its name. */
  tensor(name: string, dims: number[], values: FloatArray | number[]): string;
}

/** Writes one layer class's nodes; the last node's output is the layer's output. */
type LayerWriter = (layer: Layer, context: LayerNodeContext, label: string) => NodeMessage[];

/** A named parameter's values, e.g. BatchNormalization's 'movingMean' [1, n]. */
function parameter(layer: Layer, name: string): FloatArray {
  return layer.parameters().find((each) => each.name === name)!.value.data;
}

/** The activation's nodes (none for linear). @throws {ConfigError} for a custom activation. */
function activation(g: Activation, { input, prefix, tensor }: LayerNodeContext, label: string) {
  if (g.custom) {
    throw new ConfigError(
      `${label}: custom activation ${JSON.stringify(g.name)} cannot be exported to ONNX; ` +
        'use a built-in activation',
    );
  }
  return activationNodes(g, input, prefix, (name, value) => tensor(name, [], [value]));
}

/**
 * Dense: Gemm(a, W, b, transB = 1) = a·Wᵀ + b with W [nˡ, nˡ⁻¹] as stored here, then g's nodes.
 * LayerNormalization (opset 13 has no op for it): mean = ReduceMean(x, axes [-1], keepdims 1),
 * d = x − mean, var = ReduceMean(d·d), y = d / Sqrt(var + ε) · γ + β.
 */
const WRITERS: Readonly<Record<string, LayerWriter>> = {
  Dense(layer, context, label) {
    const dense = layer as Dense;
    const { input, prefix, tensor } = context;
    const weights = tensor(`${prefix}.weights`, [dense.outputs, dense.inputs], dense.weights.data);
    const bias = tensor(`${prefix}.bias`, [dense.outputs], dense.bias.data);
    const gemm = node(`${prefix}.gemm`, 'Gemm', [input, weights, bias], `${prefix}.z`, [
      intAttribute('transB', 1),
    ]);
    return [gemm, ...activation(dense.activation, { ...context, input: `${prefix}.z` }, label)];
  },
  Activation: (layer, context, label) =>
    activation((layer as ActivationLayer).activation, context, label),
  Dropout: () => [],
  GaussianNoise: () => [],
  BatchNormalization(layer, { input, prefix, tensor }) {
    const n = [layer.inputs];
    const inputs = [
      input,
      tensor(`${prefix}.gamma`, n, parameter(layer, 'gamma')),
      tensor(`${prefix}.beta`, n, parameter(layer, 'beta')),
      tensor(`${prefix}.movingMean`, n, parameter(layer, 'movingMean')),
      tensor(`${prefix}.movingVariance`, n, parameter(layer, 'movingVariance')),
    ];
    const { epsilon, momentum } = layer as BatchNormalization;
    return [
      node(`${prefix}.batchNormalization`, 'BatchNormalization', inputs, `${prefix}.y`, [
        floatAttribute('epsilon', epsilon),
        floatAttribute('momentum', momentum),
      ]),
    ];
  },
  LayerNormalization(layer, { input, prefix, tensor }) {
    const n = [layer.inputs];
    const p = (step: string) => `${prefix}.${step}`;
    const mean = (name: string, x: string) =>
      node(p(name), 'ReduceMean', [x], p(name), [
        intsAttribute('axes', [-1]),
        intAttribute('keepdims', 1),
      ]);
    const epsilon = tensor(p('epsilon'), [], [(layer as LayerNormalization).epsilon]);
    return [
      mean('mean', input),
      node(p('centred'), 'Sub', [input, p('mean')], p('centred')),
      node(p('squared'), 'Mul', [p('centred'), p('centred')], p('squared')),
      mean('variance', p('squared')),
      node(p('shifted'), 'Add', [p('variance'), epsilon], p('shifted')),
      node(p('std'), 'Sqrt', [p('shifted')], p('std')),
      node(p('normalised'), 'Div', [p('centred'), p('std')], p('normalised')),
      node(
        p('scaled'),
        'Mul',
        [p('normalised'), tensor(p('gamma'), n, parameter(layer, 'gamma'))],
        p('scaled'),
      ),
      node(p('y'), 'Add', [p('scaled'), tensor(p('beta'), n, parameter(layer, 'beta'))], p('y')),
    ];
  },
};

/** The layer classes an ONNX graph holds, by `className`. */
const EXPORTED_LAYERS = Object.keys(WRITERS);

/**
 * The nodes computing `layer` at inference on the tensor `context.input` [N, inputs]; the last
 * node's output is the layer's output [N, outputs] (no nodes: the identity).
 * - Dense: Gemm (transB = 1) and its activation's nodes (activation-ops.ts);
 * - Activation: its activation's nodes; Dropout, GaussianNoise: none (identity at inference);
 * - BatchNormalization: the BatchNormalization op (inference mode) with scale γ, B β, input_mean
 *   and input_var the moving statistics, attribute epsilon: y = γ(x − μ)/√(σ² + ε) + β;
 * - LayerNormalization: ReduceMean, Sub, Mul, ReduceMean, Add(ε), Sqrt, Div, Mul(γ), Add(β).
 * @param index - the layer's position in `model.layers`, from 1, for messages
 * @throws {ConfigError} for a layer class not listed, or a custom activation (naming the layer)
 */
export function layerNodes(layer: Layer, index: number, context: LayerNodeContext): NodeMessage[] {
  const label = `layer ${index} (${String(layer)})`;
  const writer = WRITERS[layer.className];
  if (writer === undefined) {
    throw new ConfigError(
      `${label} cannot be exported to ONNX: expected one of ${EXPORTED_LAYERS.join(', ')}, ` +
        `found ${layer.className}`,
    );
  }
  return writer(layer, context, label);
}
