// The README's library example, line for line; only the last line differs, an export that
// lets test/examples.test.ts check what it computed. The test suite runs this file, so the
// README's example is known to work.
import { Dense, Sequential, gradcheck } from '@backpropjs/core';
import { loadMnist } from '@backpropjs/datasets';

// The lecture's network: 3 inputs, 3 sigmoid hidden units, 2 sigmoid outputs.
const model = new Sequential(
  [new Dense(3, 3, { activation: 'sigmoid' }), new Dense(3, 2, { activation: 'sigmoid' })],
  { dtype: 'float64', seed: 1 },
);
const x = [[0.5, -1, 2]];
const y = [[1, 0]];

const trace = model.forward(x); // trace.z[l], trace.a[l] for l = 1..L; trace.a[0] is x
const grads = model.backward(trace, y, 'mse'); // grads.delta[l], grads.weights[l], grads.bias[l]
console.log(gradcheck(model, x, y, 'mse').maxRelativeError); // ~1e-10: backprop is exact

const history = await model.fit(x, y, { loss: 'mse', learningRate: 0.5, batchSize: 1, epochs: 3 });
console.log(history.history['loss'], model.predict(x).toArray());

// MNIST: x [60000, 784] with pixels in [0, 1], y one-hot [60000, 10].
const { train, test } = loadMnist();
const mnist = new Sequential([
  new Dense(784, 128, { activation: 'relu' }),
  new Dense(128, 10, { activation: 'softmax' }),
]);
await mnist.fit(train.x, train.y, { loss: 'crossEntropy', learningRate: 0.1, epochs: 1 });
console.log(mnist.evaluate(test.x, test.y, { loss: 'crossEntropy' })); // { loss, accuracy }

export { model, x, y, trace, grads, history, mnist, test };
