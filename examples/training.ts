// Training as practitioners do it, on the Iris flowers: Adam, dropout, a validation split,
// early stopping that restores the best weights, a cosine schedule with warm-up, and a
// checkpoint after every epoch (a later run with `resume: true` would continue from it).
// test/examples.test.ts runs it and checks what it computed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, Dense, Dropout, EarlyStopping, Sequential } from '@backpropjs/core';
import { loadDataset } from '@backpropjs/datasets';

const iris = await loadDataset('iris', { seed: 1 }); // 120 training and 30 test flowers
const model = new Sequential(
  [
    new Dense(4, 16, { activation: 'relu' }),
    new Dropout(0.1),
    new Dense(16, 3, { activation: 'softmax' }),
  ],
  { seed: 1, classNames: iris.classNames, preprocessing: iris.preprocessing },
);
const checkpoints = mkdtempSync(join(tmpdir(), 'backprop-example-'));
const history = await model.fit(iris.train.x, iris.train.y, {
  loss: 'crossEntropy',
  batchSize: 8,
  epochs: 150,
  optimizer: new Adam({ learningRate: 0.01 }),
  validationSplit: 0.2,
  callbacks: [new EarlyStopping({ monitor: 'valLoss', patience: 20, restoreBestWeights: true })],
  schedule: { type: 'cosine', warmupEpochs: 5 },
  checkpoint: { dir: checkpoints, every: 'epoch' },
});
const test = model.evaluate(iris.test.x, iris.test.y, { loss: 'crossEntropy' });
console.log(
  `${history.epoch.length} epochs (early stopping), test accuracy ${(100 * test['accuracy']!).toFixed(1)}%`,
);

export { checkpoints, history, model, test };
