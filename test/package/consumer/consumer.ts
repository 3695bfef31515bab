// Type-checked in the consumer project with strict settings and each module resolution
// (tsconfig.*.json): the published types of @backpropjs/core as a TypeScript user meets them.
import {
  ConfigError,
  Dense,
  Sequential,
  loadModel,
  modelFromJSON,
  saveModel,
  tableFromRecords,
  type FitOptions,
  type History,
  type Matrix,
  type TabularData,
} from '@backpropjs/core';

const options: FitOptions = { loss: 'binaryCrossEntropy', learningRate: 0.5, epochs: 2 };
const model = new Sequential([new Dense(2, 4, { activation: 'tanh' }), new Dense(4, 1)], {
  seed: 1,
});
const history: Promise<History> = model.fit([[0, 1]], [[1]], options);
const predictions: Matrix = model.predict([[0, 1]]);
const copy: Sequential = modelFromJSON(model.toJSON());
const data: TabularData = tableFromRecords([{ a: 1, label: 'x' }], { target: 'label' });
const saved: Promise<void> = saveModel(model, 'indexeddb://xor');
const loaded: Promise<Sequential> = loadModel('indexeddb://xor');
const error: Error = new ConfigError('x');

export { copy, data, error, history, loaded, predictions, saved };
