// Transfer learning and model surgery: train an MNIST model, then fine-tune only its last layer
// on the digits it gets wrong most often. The trained layers are placed in a new model, which
// shares their weights (as in Keras); `trainable = false` freezes them, so fit neither updates
// them nor gives them optimizer state. test/examples.test.ts runs it and checks what it says.
import { Adam, Dense, Sequential } from '@backpropjs/core';
import { loadMnist } from '@backpropjs/datasets';

const { train, test } = loadMnist({ compact: true, limit: { train: 6000, test: 2000 } });
const base = new Sequential(
  [new Dense(784, 64, { activation: 'relu' }), new Dense(64, 10, { activation: 'softmax' })],
  { seed: 1 },
);
await base.fit(train.x, train.y, { loss: 'crossEntropy', learningRate: 0.1, batchSize: 32 });

// A new model from the trained layers: nothing is re-initialised, the weights are shared.
const [features, classifier] = base.layers;
const tuned = new Sequential([features!, classifier!]);
features!.trainable = false;
console.log(tuned.summary()); // 50,240 non-trainable, 650 trainable parameters

const frozenBefore = Array.from(tuned.denseLayers[0]!.weights.data);
// base was trained with crossEntropy: evaluate uses that loss (and reports accuracy).
const before = base.evaluate(test.x, test.y);
await tuned.fit(train.x, train.y, {
  loss: 'crossEntropy',
  optimizer: new Adam({ learningRate: 1e-3 }),
  batchSize: 64,
});
const after = tuned.evaluate(test.x, test.y);
const unchanged = tuned.denseLayers[0]!.weights.data.every((w, i) => w === frozenBefore[i]);
console.log(before, after, { frozenLayerUnchanged: unchanged });

export { after, base, before, tuned, unchanged };
