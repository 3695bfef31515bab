import { describe, expect, it } from 'vitest';
import {
  Adam,
  BatchNormalization,
  ConfigError,
  Dense,
  gradcheck,
  Matrix,
  modelFromJSON,
  modelToJSON,
  Random,
  Sequential,
  SGD,
  ShapeError,
} from '../../src/index.js';

const random = new Random(21);
const x = Array.from({ length: 8 }, () => [0, 0, 0].map(() => 2 * random.uniform() - 1));
const y = x.map((row) => [row[0]! > 0 ? 1 : 0, row[0]! > 0 ? 0 : 1]);

function network(seed = 2): Sequential {
  return new Sequential(
    [new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 2, { activation: 'softmax' })],
    { dtype: 'float64', seed },
  );
}

const values = (model: Sequential) => model.getWeights().map((w) => Array.from(w.data));

describe('freezing a layer (layer.trainable = false)', () => {
  it('leaves its parameters as they were and gives them no optimizer state', async () => {
    const model = network();
    const [first, second] = model.layers;
    first!.trainable = false;
    const before = values(model);
    const adam = new Adam({ learningRate: 0.05 });
    await model.fit(x, y, { loss: 'crossEntropy', optimizer: adam, epochs: 3, batchSize: 4 });
    const after = values(model);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).not.toEqual(before[2]);
    // Adam holds m and v for W² and b² only.
    expect(adam.getState().slots['m']).toHaveLength(2);
    expect(second!.trainable).toBe(true);
  });

  it('survives the model file', () => {
    const model = network();
    model.layers[0]!.trainable = false;
    const copy = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(model))));
    expect(copy.layers.map((layer) => layer.trainable)).toEqual([false, true]);
  });
});

describe('a built layer placed in a new model', () => {
  it('keeps its weights and shares them, as in Keras', async () => {
    const trained = network(3);
    await trained.fit(x, y, { loss: 'crossEntropy', learningRate: 0.5, epochs: 2 });
    const before = values(trained);
    const reused = new Sequential([trained.layers[0]!, new Dense(4, 2)], {
      dtype: 'float64',
      seed: 99,
    });
    expect(values(trained)).toEqual(before); // not re-initialised: the source model is intact
    expect(reused.layers[0]).toBe(trained.layers[0]);
    expect(Array.from(reused.denseLayers[0]!.weights.data)).toEqual(before[0]);
    await reused.fit(x, y, { learningRate: 0.5, epochs: 1 });
    expect(values(trained)[0]).toEqual(values(reused)[0]); // one set of weights, shared
  });

  it('must fit the new place: same width, dtype and backend', () => {
    const layer = network().layers[1]!;
    expect(() => new Sequential([new Dense(3, 5), layer])).toThrow(
      /layer 2 Dense\(4 => 2, softmax\) takes 4 inputs, but layer 1 Dense\(3 => 5, linear\) gives 5 outputs/,
    );
    expect(() => new Sequential([new Dense(3, 4), layer], { dtype: 'float32' })).toThrow(
      /Dense\(4 => 2, softmax\) was built for 4 float64 inputs on the \S+ backend; it cannot take 4 float32 inputs/,
    );
    const dense = new Dense(2, 2);
    expect(() => new Sequential([dense, dense])).toThrow(
      /layer 2 Dense\(2 => 2, linear\) appears twice/,
    );
  });
});

describe('getWeights / setWeights', () => {
  it('copy every parameter, running statistics included, in our layout', () => {
    const model = new Sequential([new Dense(3, 2), new BatchNormalization()], { dtype: 'float64' });
    const weights = model.getWeights();
    expect(weights.map((w) => w.shape)).toEqual([
      [2, 3],
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    weights[0]!.data[0] = 42; // a copy
    expect(model.denseLayers[0]!.weights.data[0]).not.toBe(42);
    model.setWeights(weights);
    expect(model.denseLayers[0]!.weights.data[0]).toBe(42);
  });

  it('refuse a wrong count, shape or a non-finite value before changing anything', () => {
    const model = network();
    const weights = model.getWeights();
    expect(() => model.setWeights(weights.slice(1))).toThrow(
      /setWeights expects 4 matrices \(one per parameter, in the order of getWeights\(\)\); received 3/,
    );
    expect(() => model.setWeights([weights[0]!, weights[0]!, weights[2]!, weights[3]!])).toThrow(
      ShapeError,
    );
    expect(() =>
      model.setWeights([
        weights[0]!,
        Matrix.from([[1, NaN, 0, 0]], 'float64'),
        ...weights.slice(2),
      ]),
    ).toThrow(
      /setWeights\[1\] \(layer 1 Dense\(3 => 4, tanh\) bias\) has the non-finite value NaN at index 1/,
    );
    expect(values(model)).toEqual(weights.map((w) => Array.from(w.data)));
  });
});

describe('summary()', () => {
  it('is a Keras-style table with trainable and non-trainable counts', () => {
    const model = new Sequential([
      new Dense(4, 8, { activation: 'relu' }),
      new BatchNormalization(),
      new Dense(8, 3, { activation: 'softmax' }),
    ]);
    model.layers[2]!.trainable = false;
    const rule = '─'.repeat(74);
    expect(model.summary()).toBe(
      [
        'Model: Sequential (float32, 4 inputs)',
        rule,
        'Layer                                                Output shape   Params',
        rule,
        '1 Dense(4 => 8, relu)                                [batch, 8]         40',
        '2 BatchNormalization(momentum=0.99, epsilon=0.001)   [batch, 8]         32',
        '3 Dense(8 => 3, softmax) (frozen)                    [batch, 3]         27',
        rule,
        'Total params: 99',
        'Trainable params: 56',
        'Non-trainable params: 43',
      ].join('\n'),
    );
  });
});

describe('fit records and respects the training configuration', () => {
  it('saves loss, optimizer and metrics; evaluate without a loss uses the loss', async () => {
    const model = network();
    const sgd = new SGD({ learningRate: 0.3 });
    await model.fit(x, y, { loss: 'crossEntropy', optimizer: sgd, metrics: ['mae'] });
    expect(modelToJSON(model).training).toEqual({
      loss: 'crossEntropy',
      optimizer: { className: 'SGD', config: { learningRate: 0.3, weightDecay: 0 } },
      metrics: ['accuracy', 'mae'],
    });
    const copy = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(model))));
    expect(copy.evaluate(x, y)).toEqual(model.evaluate(x, y, { loss: 'crossEntropy' }));
    expect(copy.evaluate(x, y)['accuracy']).toBeDefined();
  });

  it('leaves the optimizer learning rate as it found it after a schedule', async () => {
    const adam = new Adam({ learningRate: 0.01 });
    await network().fit(x, y, {
      optimizer: adam,
      epochs: 3,
      schedule: { type: 'exponential', gamma: 0.5 },
    });
    expect(adam.learningRate).toBe(0.01);
  });

  it('refuses a second fit on the same model, or one sharing a layer, while one runs', async () => {
    const model = network();
    const other = new Sequential([model.layers[0]!, new Dense(4, 2)], { dtype: 'float64' });
    const first = model.fit(x, y, {
      epochs: 2,
      onEpochEnd: () => new Promise((r) => setTimeout(r, 5)),
    });
    await expect(other.fit(x, y)).rejects.toThrow(
      /layer 1 Dense\(3 => 4, tanh\) is already being trained by another fit call/,
    );
    await first;
    await expect(other.fit(x, y)).resolves.toBeDefined(); // released when the first ended
  });

  it('an optimizer steps only the parameters of its first step', async () => {
    const adam = new Adam();
    await network().fit(x, y, { optimizer: adam });
    await expect(network().fit(x, y, { optimizer: adam })).rejects.toThrow(
      /Adam is bound to the parameters of its first step/,
    );
  });
});

describe('gradcheck on a float32 model', () => {
  it('compares with central differences of a float64 copy: a correct model looks correct', () => {
    const model = new Sequential(
      [new Dense(3, 5, { activation: 'tanh' }), new Dense(5, 2, { activation: 'softmax' })],
      { dtype: 'float32', seed: 3 },
    );
    const result = gradcheck(model, x, y, 'crossEntropy');
    expect(result.maxRelativeError).toBeLessThan(1e-3);
    expect(result.maxRelativeError).toBeGreaterThan(0); // float32 rounding remains
  });
});

describe('inputs for a model whose first layer does not fix them', () => {
  it('are required, and checked against a first Dense layer', () => {
    expect(() => new Sequential([new BatchNormalization(), new Dense(3, 1)])).toThrow(
      /layer 1 BatchNormalization\(momentum=0.99, epsilon=0.001\) does not fix the input width; give the model's inputs/,
    );
    expect(() => new Sequential([new Dense(3, 1)], { inputs: 4 })).toThrow(ConfigError);
  });
});
