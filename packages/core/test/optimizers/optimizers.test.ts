import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AdamW,
  ConfigError,
  createOptimizer,
  Dense,
  Matrix,
  Momentum,
  Optimizer,
  optimizerFromConfig,
  RMSprop,
  Sequential,
  SGD,
  ShapeError,
} from '../../src/index.js';

// A tiny network, Dense(2 => 2) in float64, with parameters W = [[0.5, −1], [1.5, 0.25]] and
// b = [0.1, −0.2], and three fixed gradients (W row-major, then b). The expected parameters
// after three steps were computed in Python float64 from the update equations in PyTorch's
// documentation (torch.optim.SGD, Adagrad, RMSprop, Adam, AdamW), written out per scalar, one
// line per equation, independently of this code. Two are easy to check by hand, for the first
// weight w = 0.5 with gradients 0.2, −0.1, 0.05 and γ = 0.1:
//   SGD:       0.5 − 0.1·(0.2 − 0.1 + 0.05) = 0.485
//   Momentum:  b = 0.2; b = 0.9·0.2 − 0.1 = 0.08; b = 0.9·0.08 + 0.05 = 0.122;
//              w = 0.5 − 0.1·(0.2 + 0.08 + 0.122) = 0.4598
const W = [
  [0.5, -1],
  [1.5, 0.25],
];
const b = [[0.1, -0.2]];
const GRADIENTS = [
  [0.2, -0.4, 0.1, 0.3, -0.5, 0.05],
  [-0.1, 0.25, 0.3, -0.2, 0.4, 0.1],
  [0.05, 0.1, -0.3, 0.15, -0.2, -0.3],
];

const CASES: [string, () => Optimizer, number[]][] = [
  [
    'SGD lr 0.1',
    () => new SGD({ learningRate: 0.1 }),
    [0.485, -0.995, 1.49, 0.22499999999999998, 0.13, -0.18500000000000003],
  ],
  [
    'SGD lr 0.1 weightDecay 0.01',
    () => new SGD({ learningRate: 0.1, weightDecay: 0.01 }),
    [
      0.48353147949999997, -0.9920579589999999, 1.4855544884999998, 0.22429071975, 0.1296403499,
      -0.18438060480000001,
    ],
  ],
  [
    'Momentum lr 0.1 momentum 0.9',
    () => new Momentum({ learningRate: 0.1, momentum: 0.9 }),
    [
      0.4598, -0.9490999999999999, 1.4459, 0.19169999999999998, 0.17950000000000002,
      -0.20255000000000004,
    ],
  ],
  [
    'Momentum lr 0.1 momentum 0.9 dampening 0.5',
    () => new Momentum({ learningRate: 0.1, momentum: 0.9, dampening: 0.5 }),
    [0.4528, -0.92035, 1.4594, 0.1802, 0.20750000000000002, -0.20805],
  ],
  [
    'Momentum nesterov lr 0.1 momentum 0.9 weightDecay 0.01',
    () => new Momentum({ learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    [
      0.4449721733905, -0.9414762967809999, 1.4294685631215, 0.17075775951525002,
      0.20037633306410002, -0.18560042452320002,
    ],
  ],
  [
    'Adagrad lr 0.1 initialAccumulatorValue 0.1',
    () => new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.1 }),
    [
      0.45956395260983934, -0.982918290656115, 1.4584754276840914, 0.19302704695698117,
      0.15547221660018204, -0.17876494922323904,
    ],
  ],
  [
    'Adagrad lr 0.1 weightDecay 0.1',
    () => new Adagrad({ learningRate: 0.1, weightDecay: 0.1 }),
    [
      0.38953729533914383, -0.9318017533843723, 1.3446782715312422, 0.1580970529109923,
      0.16268420302923203, -0.29434365892025427,
    ],
  ],
  [
    'RMSprop lr 0.01 alpha 0.9',
    () => new RMSprop({ learningRate: 0.01, alpha: 0.9 }),
    [
      0.4755750590729321, -0.9929200411418797, 1.4606428922789085, 0.22347344633737204,
      0.12141003274450472, -0.2303467580324287,
    ],
  ],
  [
    'RMSprop lr 0.01 alpha 0.9 centered momentum 0.5 weightDecay 0.1',
    () =>
      new RMSprop({
        learningRate: 0.01,
        alpha: 0.9,
        centered: true,
        momentum: 0.5,
        weightDecay: 0.1,
      }),
    [
      0.439562763745786, -0.9567944264397247, 1.4058098866439268, 0.20083035119363885,
      0.13642505580640113, -0.27532315589777684,
    ],
  ],
  [
    'Adam lr 0.01',
    () => new Adam({ learningRate: 0.01 }),
    [
      0.48393233904720767, -0.9882773117100218, 1.4800745489734994, 0.2350679538453833,
      0.112916065744744, -0.21626950497790332,
    ],
  ],
  [
    'Adam lr 0.01 amsgrad weightDecay 0.1',
    () => new Adam({ learningRate: 0.01, amsgrad: true, weightDecay: 0.1 }),
    [
      0.4789595946332967, -0.9824627932532043, 1.4748170505182072, 0.23329233907854172,
      0.11241943382007986, -0.21498684901685913,
    ],
  ],
  [
    'AdamW lr 0.01 weightDecay 0.1',
    () => new AdamW({ learningRate: 0.01, weightDecay: 0.1 }),
    [
      0.4824564919164363, -0.9853020366573451, 1.4756082152822798, 0.23434013879995744,
      0.11259579439468362, -0.21564046296286377,
    ],
  ],
];

/** The Dense(2 => 2) network's parameters [W, b], set to the values above. */
function tinyNetwork(dtype: 'float32' | 'float64' = 'float64'): Matrix[] {
  const model = new Sequential([new Dense(2, 2)], { dtype });
  model.denseLayers[0]!.weights = Matrix.from(W, dtype);
  model.denseLayers[0]!.bias = Matrix.from(b, dtype);
  return model.parameters();
}

/** Step `t` (0-based) of the fixed gradients, as [∂L/∂W, ∂L/∂b]. */
function gradients(t: number, dtype: 'float32' | 'float64' = 'float64'): Matrix[] {
  const g = GRADIENTS[t]!;
  return [
    new Matrix(2, 2, Float64Array.from(g.slice(0, 4))),
    new Matrix(1, 2, Float64Array.from(g.slice(4))),
  ].map((m) => m.clone(dtype));
}

const flat = (parameters: Matrix[]) => parameters.flatMap((p) => Array.from(p.data));

describe('optimizers: three steps with fixed gradients match PyTorch’s equations', () => {
  for (const [name, make, expected] of CASES) {
    it(`${name} gives the hand-computed float64 values within 1e-12`, () => {
      const parameters = tinyNetwork();
      const optimizer = make();
      for (let t = 0; t < 3; t++) optimizer.step(parameters, gradients(t));
      flat(parameters).forEach((value, i) => {
        expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-12);
      });
      expect(optimizer.iterations).toBe(3);
    });

    it(`${name}: state saved after one step continues bit for bit (through JSON)`, () => {
      const straight = tinyNetwork();
      const first = make();
      for (let t = 0; t < 3; t++) first.step(straight, gradients(t));

      const interrupted = tinyNetwork();
      const before = make();
      before.step(interrupted, gradients(0));
      const state: unknown = JSON.parse(JSON.stringify(before.getState()));
      const after = optimizerFromConfig(before.className, before.getConfig());
      after.setState(state as ReturnType<Optimizer['getState']>);
      after.step(interrupted, gradients(1));
      after.step(interrupted, gradients(2));
      expect(flat(interrupted)).toEqual(flat(straight));
    });

    it(`${name}: its config survives config → object → config`, () => {
      const optimizer = make();
      const copy = optimizerFromConfig(optimizer.className, optimizer.getConfig());
      expect(copy.getConfig()).toEqual(optimizer.getConfig());
      expect(copy.className).toBe(optimizer.className);
      expect(String(copy)).toBe(String(optimizer));
    });
  }

  it('keeps float32 state for float32 parameters, close to the float64 result', () => {
    const parameters = tinyNetwork('float32');
    const adam = new Adam({ learningRate: 0.01 });
    for (let t = 0; t < 3; t++) adam.step(parameters, gradients(t, 'float32'));
    expect(adam.getState().dtype).toBe('float32');
    const expected = CASES.find(([name]) => name === 'Adam lr 0.01')![2];
    flat(parameters).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
  });

  it('SGD with learning rate 0.5 and gradients [1, 6, 7, 2] on [1, 2, 3, 4] gives [0.5, −1, −0.5, 3]', () => {
    const parameter = Matrix.from([[1, 2, 3, 4]], 'float64');
    new SGD({ learningRate: 0.5 }).step([parameter], [Matrix.from([[1, 6, 7, 2]], 'float64')]);
    expect(Array.from(parameter.data)).toEqual([0.5, -1, -0.5, 3]);
  });

  it('allocates its state once: the buffers are reused from the second step on', () => {
    const parameters = tinyNetwork();
    const adam = new Adam();
    adam.step(parameters, gradients(0));
    const first = adam.getState();
    adam.step(parameters, gradients(1));
    expect(Object.keys(adam.getState().slots)).toEqual(Object.keys(first.slots));
    expect(adam.getState().slots['m']).toHaveLength(2);
  });
});

describe('optimizers by name', () => {
  it('creates each optimizer with its defaults, as Keras’s optimizer="adam"', () => {
    expect(createOptimizer('sgd').getConfig()).toEqual({ learningRate: 0.01, weightDecay: 0 });
    expect(createOptimizer('nesterov')).toBeInstanceOf(Momentum);
    expect(createOptimizer('nesterov').getConfig()['nesterov']).toBe(true);
    expect(createOptimizer('momentum').getConfig()['momentum']).toBe(0.9);
    expect(createOptimizer('adam').getConfig()).toEqual({
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0,
      amsgrad: false,
    });
    expect(createOptimizer('adamw').weightDecay).toBe(0.01);
    expect(createOptimizer('adagrad')).toBeInstanceOf(Adagrad);
    expect(createOptimizer('rmsprop', { momentum: 0.5 }).getConfig()['momentum']).toBe(0.5);
    expect(createOptimizer('adam', { learningRate: 0.1 }).learningRate).toBe(0.1);
  });

  it('rejects an unknown name, listing the valid ones', () => {
    expect(() => createOptimizer('lbfgs' as 'sgd')).toThrow(
      /^optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or an Optimizer object; received "lbfgs"$/,
    );
  });

  it('rejects momentum for an optimizer without momentum', () => {
    expect(() => createOptimizer('adam', { momentum: 0.9 })).toThrow(ConfigError);
  });
});

describe('optimizers reject bad options with a ConfigError naming the value', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'momentum 1',
      () => new Momentum({ momentum: 1 }),
      /^momentum must be a number in \[0, 1\); received 1$/,
    ],
    [
      'momentum −0.1',
      () => new Momentum({ momentum: -0.1 }),
      /momentum must be a number in \[0, 1\); received -0.1/,
    ],
    [
      'RMSprop momentum 1.5',
      () => new RMSprop({ momentum: 1.5 }),
      /momentum must be a number in \[0, 1\)/,
    ],
    [
      'a negative weight decay',
      () => new AdamW({ weightDecay: -0.01 }),
      /^weightDecay must be a finite number >= 0; received -0.01$/,
    ],
    [
      'a negative SGD weight decay',
      () => new SGD({ weightDecay: -1 }),
      /weightDecay must be a finite number >= 0/,
    ],
    [
      'learning rate 0',
      () => new Adam({ learningRate: 0 }),
      /^learningRate must be a finite number > 0; received 0$/,
    ],
    ['beta1 1', () => new Adam({ beta1: 1 }), /^beta1 must be a number in \[0, 1\); received 1$/],
    [
      'beta2 NaN',
      () => new Adam({ beta2: NaN }),
      /beta2 must be a number in \[0, 1\); received NaN/,
    ],
    [
      'a negative epsilon',
      () => new Adagrad({ epsilon: -1 }),
      /epsilon must be a finite number >= 0/,
    ],
    [
      'nesterov with dampening',
      () => new Momentum({ nesterov: true, dampening: 0.1 }),
      /Nesterov momentum requires dampening 0/,
    ],
    [
      'PyTorch’s lr',
      () => new Adam({ lr: 0.1 } as never),
      /^Adam has no option "lr"; valid options are learningRate, beta1/,
    ],
  ];
  for (const [name, make, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(make).toThrow(ConfigError);
      expect(make).toThrow(message);
    });
  }

  it('rejects an assigned learning rate ≤ 0', () => {
    const adam = new Adam();
    expect(() => (adam.learningRate = -1)).toThrow(/learningRate must be a finite number > 0/);
  });

  it('rejects gradients of another shape, and state of another optimizer or model', () => {
    const parameters = tinyNetwork();
    const adam = new Adam();
    expect(() => adam.step(parameters, [parameters[0]!])).toThrow(ShapeError);
    expect(() => adam.step(parameters, [parameters[1]!, parameters[0]!])).toThrow(
      /gradient 0 must have the shape of parameter 0 \[2, 2\]; received \[1, 2\]/,
    );
    adam.step(parameters, gradients(0));
    expect(() => new SGD().setState(adam.getState())).toThrow(
      /expected the state of a SGD, found that of "Adam"/,
    );
    expect(() => new Adam({ amsgrad: true }).setState(adam.getState())).toThrow(
      /expected slots \[m, v, vMax\], found \[m, v\]/,
    );
    const other = new Sequential([new Dense(3, 1)], { dtype: 'float64' }).parameters();
    expect(() => adam.step(other, other)).toThrow(
      /Adam holds state for parameters of sizes \[4, 2\]; received parameters of sizes \[3, 1\]/,
    );
  });
});
