import type { InputMatrix } from '../tensor/byte-matrix.js';
import type { Matrix } from '../tensor/matrix.js';

/**
 * A supervised data set: n examples, one per row, inputs in `x` and targets in `y`.
 *
 * Shapes: x [n, inputs], y [n, outputs]; row i of `y` is the target for row i of `x`. For
 * classification, `y` is one-hot ([n, classes], one 1 per row) and `labels[i]` is the class index.
 * Units: whatever the source uses; loaders document their scaling (MNIST pixels are in [0, 1]).
 * `X` is the type of `x`: a Matrix, or a compact ByteMatrix where a loader offers one
 * (`loadMnist({ compact: true })`).
 *
 * @example
 * const { train } = loadMnist();
 * train.x.shape; //=> [60000, 784]
 * train.y.shape; //=> [60000, 10]
 */
export interface Dataset<X extends InputMatrix = Matrix> {
  /** Inputs, [n, inputs]. */
  x: X;
  /** Targets, [n, outputs]; one-hot rows for classification. */
  y: Matrix;
  /** Class index per row, length n, for classification sets; absent for regression. */
  labels?: Uint8Array;
}

/** A classification {@link Dataset}: `labels` is present, and `y` is `oneHot(labels, classes)`. */
export interface LabelledDataset<X extends InputMatrix = Matrix> extends Dataset<X> {
  /** Class index per row, length n; `y.get(i, labels[i]) === 1`. */
  labels: Uint8Array;
}
