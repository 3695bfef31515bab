// Node's half of scripts/check-pytorch.sh (run after `npm run build`):
//   node scripts/check-pytorch.mjs write <dir>  trains the README's model, saves
//     <dir>/model.safetensors and our outputs for <dir>/inputs.json;
//   node scripts/check-pytorch.mjs read <dir>   loads <dir>/torch.safetensors (saved by
//     PyTorch) and checks our outputs against PyTorch's <dir>/torch-outputs.json to 1e-5.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchNormalization,
  Dense,
  loadModel,
  saveModel,
  Sequential,
} from '../packages/core/dist/index.js';

const [mode, dir] = process.argv.slice(2);
const x = [...Array(64).keys()].map((i) => [0, 1, 2, 3].map((j) => Math.sin(1.7 * i + j)));

if (mode === 'write') {
  const model = new Sequential(
    [
      new Dense(4, 8, { activation: 'relu' }),
      new BatchNormalization(),
      new Dense(8, 3, { activation: 'softmax' }),
    ],
    { seed: 4 },
  );
  const y = x.map((row) =>
    [0, 1, 2].map((c) => (c === (row[0] > 0.3 ? 0 : row[1] > 0 ? 1 : 2) ? 1 : 0)),
  );
  await model.fit(x, y, { loss: 'crossEntropy', learningRate: 0.1, batchSize: 16, epochs: 5 });
  await saveModel(model, join(dir, 'model.safetensors'), { format: 'safetensors' });
  writeFileSync(join(dir, 'inputs.json'), JSON.stringify(x));
  writeFileSync(join(dir, 'outputs.json'), JSON.stringify(model.predict(x).toArray()));
} else if (mode === 'read') {
  const model = await loadModel(join(dir, 'torch.safetensors'));
  const expected = JSON.parse(readFileSync(join(dir, 'torch-outputs.json'), 'utf8'));
  const ours = model.predict(x).toArray();
  const worst = Math.max(
    ...ours.flatMap((row, i) => row.map((v, j) => Math.abs(v - expected[i][j]))),
  );
  console.log(
    `PyTorch's file in backprop: max |difference| ${worst.toExponential(2)} over ${x.length} rows`,
  );
  if (!(worst < 1e-5)) process.exit(1);
} else {
  console.error('usage: node scripts/check-pytorch.mjs write|read <dir>');
  process.exit(2);
}
