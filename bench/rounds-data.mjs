// The data of bench/rounds.mjs's workloads, made in each Node system's process (numpy makes its
// own the same way): real MNIST, or random rows where no input is blank.

/** Rows of the peers' MNIST training floats (tfjs trains on them; 0.3 s is a few thousand). */
const PEER_TRAIN_ROWS = 8192;

/**
 * The data of a workload: `x`, `y` to train on and `test` to predict, as our backend takes them
 * (MNIST as bytes when `compact`), and `floatX`, `floatTest` as float32 matrices for the peers.
 * spec.kind 'mnist' (the real images, [0, 1]), 'uniform' (inputs in [0.05, 1): dense, nothing
 * blank) or 'normal' (standard normal: standardised tabular features); labels one-hot.
 */
export async function makeData(core, spec, layers, compact) {
  if (spec.kind === 'mnist') {
    const { loadMnist } = await import('../packages/datasets/dist/index.js');
    const floats = loadMnist({ limit: { train: compact ? 0 : PEER_TRAIN_ROWS } });
    const ours = compact ? loadMnist({ compact: true }) : floats;
    return {
      x: ours.train.x,
      y: ours.train.y,
      test: ours.test.x,
      floatX: floats.train.x,
      floatTest: floats.test.x,
    };
  }
  const random = new core.Random(7);
  const [inputs, outputs] = [layers[0], layers[layers.length - 1]];
  const x = new core.Matrix(spec.rows, inputs, 'float32');
  for (let i = 0; i < x.data.length; i++) {
    x.data[i] = spec.kind === 'uniform' ? 0.05 + 0.95 * random.uniform() : random.normal();
  }
  const y = new core.Matrix(spec.rows, outputs, 'float32');
  for (let r = 0; r < spec.rows; r++) y.data[r * outputs + random.integer(outputs)] = 1;
  return { x, y, test: x, floatX: x, floatTest: x };
}
