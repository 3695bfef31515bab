// Data-parallel training and inference on the 'wasm' backend's threads: fit cuts each batch
// into shards of 16 rows that the threads run (the gradients summed in shard order), predict
// and evaluate split their rows the same way; a seeded run gives the same bits on 1 thread and
// on 2. test/examples.test.ts runs it and checks what it computed.
import { Dense, Sequential, createBackend } from '@backpropjs/core';
import { loadMnist } from '@backpropjs/datasets';

const { train, test } = loadMnist({ compact: true, limit: { train: 6400, test: 1000 } });

async function trained(threads: number): Promise<Sequential> {
  const model = new Sequential(
    [new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' })],
    { seed: 1, backend: createBackend('wasm', { threads }) },
  );
  await model.fit(train.x, train.y, { loss: 'crossEntropy', learningRate: 0.1, batchSize: 64 });
  return model;
}

const one = await trained(1);
const two = await trained(2);
const weights = two.getWeights();
const identical = one
  .getWeights()
  .every((w, i) => w.data.every((value, j) => Object.is(value, weights[i]!.data[j])));
const logs = two.evaluate(test.x, test.y, { loss: 'crossEntropy' });
console.log(two.backend.name, identical, logs); // wasm×2 true { loss: …, accuracy: … }

export { identical, logs, one, two };
