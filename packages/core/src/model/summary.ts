import type { Sequential } from './sequential.js';

/**
 * A Keras-style summary of a model as a table: for each layer its position and class, its
 * output shape `[batch, width]` and its number of parameter values; then the total, trainable
 * and non-trainable counts (running statistics and frozen layers' parameters are
 * non-trainable).
 * @example
 * summary(new Sequential([new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10)]));
 * // Layer                Output shape   Params
 * // 1 Dense (relu)       [batch, 128]   100480
 * // …
 * // Total params: 101770 · Trainable: 101770 · Non-trainable: 0
 */
export function summary(model: Sequential): string {
  let trainable = 0;
  let frozen = 0;
  const rows = model.layers.map((layer, k) => {
    let count = 0;
    for (const p of layer.parameters()) {
      const size = p.value.rows * p.value.cols;
      count += size;
      if (p.trainable && layer.trainable) trainable += size;
      else frozen += size;
    }
    const name = `${k + 1} ${String(layer)}${layer.trainable ? '' : ' (frozen)'}`;
    return [name, `[batch, ${layer.outputs}]`, String(count)];
  });
  const table = [['Layer', 'Output shape', 'Params'], ...rows];
  const widths = [0, 1, 2].map((c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('   ');
  const rule = '─'.repeat(widths[0]! + widths[1]! + widths[2]! + 6);
  return [
    `Model: Sequential (${model.dtype}, ${model.inputs} inputs)`,
    rule,
    line(table[0]!),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${trainable + frozen}`,
    `Trainable params: ${trainable}`,
    `Non-trainable params: ${frozen}`,
  ].join('\n');
}
