// Models in and out of other libraries: save a model as a TensorFlow.js layers model and as
// safetensors for PyTorch, read both back, import a brain.js network, and write a standalone
// predict module. test/examples.test.ts checks this file against the README and runs it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NeuralNetwork } from 'brain.js';
import {
  BatchNormalization,
  Dense,
  Sequential,
  loadModel,
  saveModel,
  toStandaloneModule,
} from '@backpropjs/core';

const dir = mkdtempSync(join(tmpdir(), 'backprop-interop-'));
const model = new Sequential([
  new Dense(4, 8, { activation: 'relu' }),
  new BatchNormalization(),
  new Dense(8, 3, { activation: 'softmax' }),
]);
const x = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.1, 4.7, 1.5],
];

// TensorFlow.js: a directory with model.json and weights.bin; tf.loadLayersModel reads it.
await saveModel(model, join(dir, 'tfjs'), { format: 'tfjs' });
const fromTfjs = await loadModel(join(dir, 'tfjs')); // also reads tfjs's own exports

// PyTorch: tensors named 0.weight, 0.bias, 2.weight, … as nn.Sequential names them.
await saveModel(model, join(dir, 'model.safetensors'), { format: 'safetensors' });
const fromTorch = await loadModel(join(dir, 'model.safetensors'));

// brain.js: the JSON of a trained NeuralNetwork.
const net = new NeuralNetwork({ hiddenLayers: [3], activation: 'sigmoid' });
net.train(
  [
    { input: [0, 1], output: [1] },
    { input: [1, 1], output: [0] },
  ],
  { iterations: 100 },
);
writeFileSync(join(dir, 'brain.json'), JSON.stringify(net.toJSON()));
const fromBrain = await loadModel(join(dir, 'brain.json'));

// A standalone module: no imports, the weights inlined; write it with its .d.ts.
const { js, dts } = toStandaloneModule(fromBrain);
writeFileSync(join(dir, 'predict.mjs'), js);
writeFileSync(join(dir, 'predict.d.mts'), dts);
const standalone = await import(join(dir, 'predict.mjs'));
console.log(
  fromTfjs.predict(x).toArray(),
  fromTorch.predict(x).toArray(),
  standalone.predict([[0, 1]]),
);

export { dir, fromBrain, fromTfjs, fromTorch, model, net, standalone, x };
