// Models out and back: train on the penguins (string labels, missing values dropped), save the
// versioned JSON model file, load it, export ONNX and import it again, and explain one example
// step by step. test/examples.test.ts runs it and checks what it computed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Dense,
  Sequential,
  explain,
  explanationToText,
  loadModel,
  saveModel,
} from '@backpropjs/core';
import { loadDataset } from '@backpropjs/datasets';
import { fromOnnx, toOnnx } from '@backpropjs/onnx';

const penguins = await loadDataset('penguins', { seed: 1, dropMissing: true });
const inputs = penguins.featureNames.length;
const model = new Sequential(
  [
    new Dense(inputs, 8, { activation: 'tanh' }),
    new Dense(8, penguins.classNames!.length, { activation: 'softmax' }),
  ],
  { seed: 1, classNames: penguins.classNames, preprocessing: penguins.preprocessing },
);
await model.fit(penguins.train.x, penguins.train.y, {
  loss: 'crossEntropy',
  optimizer: 'adam',
  epochs: 50,
});
const path = join(mkdtempSync(join(tmpdir(), 'backprop-example-')), 'penguins.json');
await saveModel(model, path, { metadata: { note: 'examples/model-files.ts' } });
const loaded = await loadModel(path); // bit-exact: same weights, class names, preprocessing
const onnx = fromOnnx(toOnnx(loaded)); // ONNX bytes (opset 13) and back
const x = penguins.test.x.rowRange(0, 1);
console.log(loaded.classNames, loaded.predict(x).toArray(), onnx.predict(x).toArray());
const steps = explain(loaded, Array.from(x.row(0)), Array.from(penguins.test.y.row(0)));
console.log(explanationToText(steps));

export { loaded, model, onnx, penguins, steps, x };
