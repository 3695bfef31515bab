// Compact data: the MNIST images kept as the files' bytes (a ByteMatrix, a quarter of the
// float32 size), decoded one batch at a time by fit, evaluate and predict, with the same results
// as the float data. test/examples.test.ts runs it and checks what it computed.
import { ByteMatrix, Dense, Sequential } from '@backpropjs/core';
import { loadMnist } from '@backpropjs/datasets';

const { train, test } = loadMnist({ compact: true, limit: { train: 10000 } });
console.log(train.x instanceof ByteMatrix, train.x.shape, train.x.get(0, 300)); // pixel / 255
const model = new Sequential(
  [new Dense(784, 64, { activation: 'relu' }), new Dense(64, 10, { activation: 'softmax' })],
  { seed: 1 },
);
await model.fit(train.x, train.y, { loss: 'crossEntropy', learningRate: 0.1, batchSize: 64 });
const logs = model.evaluate(test.x, test.y, { loss: 'crossEntropy' });
const probabilities = model.predict(test.x.rowRange(0, 3)); // [3, 10]
console.log(logs, probabilities.toArray()[0]);

export { logs, model, probabilities, test };
