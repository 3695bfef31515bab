// Why a network does not learn, in a training report: a 10-layer sigmoid network on XOR-like
// data, trained with the Diagnostics callback; the report shows the gradient norm of each layer
// per epoch and the warning (vanishing gradients) in plain language, with a hint.
// test/examples-diagnostics.test.ts runs it and checks what it computed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dense, Diagnostics, Random, Sequential } from '@backpropjs/core';
import { writeTrainingReport } from '@backpropjs/report';

const random = new Random(3);
const x = Array.from({ length: 64 }, () => [random.normal(), random.normal()]);
const y = x.map(([a, b]) => (a! * b! > 0 ? [1, 0] : [0, 1]));
const sizes = [2, 8, 8, 8, 8, 8, 8, 8, 8, 8, 2];
const model = new Sequential(
  sizes
    .slice(1)
    .map(
      (units, i) =>
        new Dense(sizes[i]!, units, { activation: i === sizes.length - 2 ? 'softmax' : 'sigmoid' }),
    ),
  { seed: 1 },
);
const diagnostics = new Diagnostics();
const history = await model.fit(x, y, { epochs: 4, batchSize: 16, callbacks: [diagnostics] });
const report = await writeTrainingReport(mkdtempSync(join(tmpdir(), 'backprop-diagnostics-')), {
  title: 'a 10-layer sigmoid network',
  settings: { layers: sizes.join('-'), activation: 'sigmoid' },
  epochs: history.history['loss']!.map((loss, i) => ({ epoch: i + 1, loss })),
  diagnostics: diagnostics.epochs,
});
for (const warning of diagnostics.epochs.at(-1)!.warnings) {
  console.log(`warning: ${warning.message}; hint: ${warning.hint}`);
}
console.log(`report: ${report.html}`);

export { diagnostics, report };
