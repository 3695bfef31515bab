// The consumer test's workload (test/package/consumer.test.ts): XOR with @backpropjs/core, as a
// user would write it. Imported by xor.mjs, required by xor.cjs and bundled into page/.

/** The four XOR examples and their targets. */
export const XOR = {
  x: [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  y: [[0], [1], [1], [0]],
};

/**
 * Trains 2-8-1 (tanh, sigmoid) on XOR with binary cross-entropy and plain SGD, seeded.
 * @param core - Dense and Sequential of @backpropjs/core, however it was loaded (a page imports
 *   them by name, so that its bundler leaves the rest of the library out)
 * @returns the last epoch's loss and the four predictions
 */
export async function trainXor({ Dense, Sequential }) {
  const model = new Sequential(
    [new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 1, { activation: 'sigmoid' })],
    { seed: 1 },
  );
  const history = await model.fit(XOR.x, XOR.y, {
    loss: 'binaryCrossEntropy',
    learningRate: 0.5,
    batchSize: 4,
    epochs: 500,
  });
  return {
    loss: history.history.loss.at(-1),
    predictions: model
      .predict(XOR.x)
      .toArray()
      .map(([p]) => p),
  };
}
