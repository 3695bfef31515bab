// Training on another thread: trainInWorker runs fit on a worker_threads thread (in a browser, a
// Web Worker), copies each epoch's weights into this thread's model, runs the hooks here, and
// resolves to the trained model. This thread stays free meanwhile: a timer keeps ticking.
// test/examples.test.ts runs it and checks what it says.
import { Dense, Sequential, trainInWorker } from '@backpropjs/core';

const x = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const y = [[0], [1], [1], [0]];
const model = new Sequential(
  [new Dense(2, 4, { activation: 'tanh' }), new Dense(4, 1, { activation: 'sigmoid' })],
  { seed: 2 },
);

let ticks = 0;
const timer = setInterval(() => ticks++, 1);
const job = trainInWorker(model, x, y, {
  loss: 'binaryCrossEntropy',
  learningRate: 0.5,
  batchSize: 1,
  epochs: 5000,
  // Runs here, with `model` holding the epoch's weights; { stop: true } ends training there.
  callbacks: [{ onEpochEnd: (_, logs) => ({ stop: logs['loss']! < 0.05 }) }],
});
const trained = await job; // the same object as `model`, trained
clearInterval(timer);
const history = await job.history;
console.log(
  `${history.epoch.length} epochs on another thread; the timer ticked ${ticks} times meanwhile`,
);
console.log(trained.predict(x).toArray()); // ≈ [[0], [1], [1], [0]]

export { history, model, ticks, trained, x };
