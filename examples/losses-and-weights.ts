// Losses with options, integer labels, per-example weights, a custom activation, Gaussian noise,
// an orthogonal initializer and getWeights/setWeights. test/examples.test.ts runs it and checks
// what it computed.
import { Dense, GaussianNoise, Sequential } from '@backpropjs/core';
import { loadDataset } from '@backpropjs/datasets';

// Iris with integer labels: sparseCrossEntropy takes the class index, no one-hot needed.
const iris = await loadDataset('iris');
const labels = Array.from({ length: iris.train.y.rows }, (_, i) => iris.train.y.row(i).indexOf(1));
const classifier = new Sequential(
  [
    new GaussianNoise(0.05), // a regulariser: noise on the inputs while training only
    new Dense(4, 12, { activation: 'tanh', weightInitializer: { name: 'orthogonal', gain: 1 } }),
    new Dense(12, 3, { activation: 'softmax' }),
  ],
  { seed: 2, inputs: 4 },
);
await classifier.fit(iris.train.x, labels, {
  loss: 'sparseCrossEntropy',
  optimizer: 'adam',
  learningRate: 0.02,
  epochs: 150,
  batchSize: 16,
});
const irisScores = classifier.evaluate(iris.test.x, iris.test.y, { loss: 'crossEntropy' });

// Cars (miles per gallon) with the Huber loss, a custom activation given as functions, and
// the heavier cars weighted twice (sampleWeight, one per training row).
const cars = await loadDataset('cars');
const bump = {
  name: 'bump',
  g: (z: number) => z / (1 + Math.abs(z)) ** 2,
  derivative: (z: number) => (1 - Math.abs(z)) / (1 + Math.abs(z)) ** 3,
};
const regressor = new Sequential(
  [new Dense(cars.train.x.cols, 16, { activation: bump }), new Dense(16, 1)],
  { seed: 4 },
);
const weight = cars.train.x.cols - 1; // the last feature column, scaled
const sampleWeight = Array.from({ length: cars.train.x.rows }, (_, i) =>
  cars.train.x.get(i, weight) > 0 ? 2 : 1,
);
const history = await regressor.fit(cars.train.x, cars.train.y, {
  loss: { name: 'huber', delta: 1 },
  optimizer: 'adam',
  learningRate: 0.01,
  epochs: 60,
  sampleWeight,
});

// Copies of every parameter, and back: a second model with the first one's weights.
const copy = new Sequential(
  [new Dense(cars.train.x.cols, 16, { activation: bump }), new Dense(16, 1)],
  { seed: 99 },
);
copy.setWeights(regressor.getWeights());
console.log(irisScores, history.history['loss']!.at(-1));

export { cars, copy, history, irisScores, regressor };
