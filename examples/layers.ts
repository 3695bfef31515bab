// The layers beyond Dense, options for activations, losses and initializers, and class weights:
// a penguin classifier with BatchNormalization, LayerNormalization and an ActivationLayer,
// trained with label smoothing and class weights. test/examples.test.ts runs it and checks
// what it computed.
import {
  ActivationLayer,
  Adam,
  BatchNormalization,
  Dense,
  Dropout,
  LayerNormalization,
  Sequential,
  gradcheck,
} from '@backpropjs/core';
import { loadDataset } from '@backpropjs/datasets';

const { train, test } = await loadDataset('penguins'); // 4 measurements → 3 species
const model = new Sequential(
  [
    new Dense(4, 16, { weightInitializer: { name: 'heUniform' } }),
    new BatchNormalization(),
    new ActivationLayer({ name: 'elu', alpha: 0.5 }),
    new Dropout(0.1),
    new Dense(16, 8, { activation: 'gelu' }),
    new LayerNormalization(),
    new Dense(8, 3, { activation: 'softmax' }),
  ],
  { seed: 3 },
);
console.log(model.summary());
const history = await model.fit(train.x, train.y, {
  loss: { name: 'crossEntropy', labelSmoothing: 0.05 },
  optimizer: new Adam({ learningRate: 0.01 }),
  epochs: 30,
  batchSize: 16,
  classWeight: { 0: 1, 1: 2, 2: 1 }, // Chinstrap (class 1) is the rarest species
});
const scores = model.evaluate(test.x, test.y); // the loss fit used (label smoothing included)

// The same kind of network in float64 passes a gradient check in training mode.
const small = new Sequential(
  [new Dense(4, 5), new BatchNormalization(), new ActivationLayer('tanh'), new Dense(5, 3)],
  { dtype: 'float64', seed: 1 },
);
const x = train.x.rowRange(0, 8).toArray();
const y = train.y.rowRange(0, 8).toArray();
const check = gradcheck(small, x, y, 'mse', { training: true });
console.log(history.history['loss']!.at(-1), scores, check.maxRelativeError);

export { check, history, model, scores };
