import { outputOf, tableOptions, type OwnRunConfig } from './run-config.js';
import type { TabularData } from '../../../packages/core/src/browser.js';

/**
 * "Export as code": the TypeScript that reproduces a run on the user's CSV with the library in
 * Node: `loadCsv` with the page's table options (the same split and scaling as the page's
 * `tableFromRecords`), the same network, seed, backend and dtype, and `fit` with the same loss,
 * η, batch size and epochs (and the Diagnostics callback when the page has it on). It prints
 * the loss of each epoch, equal to the page's, and the test scores, and exports `data`,
 * `model` and `history`.
 * @param config - the run's settings
 * @param data - the run's data set (its feature count and task decide the layer sizes)
 * @returns the module's text
 * @throws never
 */
export function exportCode(config: OwnRunConfig, data: TabularData): string {
  const output = outputOf(data);
  const sizes = [data.featureNames.length, ...config.hidden, output.units];
  const layers = sizes
    .slice(1)
    .map((units, i) => {
      const activation = i === sizes.length - 2 ? output.activation : config.activation;
      return `    new Dense(${sizes[i]}, ${units}, { activation: '${activation}' }),`;
    })
    .join('\n');
  const table = Object.entries(tableOptions(config))
    .map(([key, value]) => `  ${key}: ${literal(value)},`)
    .join('\n');
  const classification = data.task === 'classification';
  return `// A backprop playground run on ${config.file}, reproduced with the library in Node:
// the same data split and scaling, network, seed and training, so the same losses.
import { ${config.diagnose ? 'Dense, Diagnostics, Sequential, jsBackend' : 'Dense, Sequential, jsBackend'} } from '@backpropjs/core';
import { loadCsv } from '@backpropjs/datasets';

const data = await loadCsv(${literal(config.file)}, {
${table}
});
const model = new Sequential(
  [
${layers}
  ],
  { dtype: 'float64', seed: ${config.seed}, backend: jsBackend },
);
${config.diagnose ? 'const diagnostics = new Diagnostics();\n' : ''}const history = await model.fit(data.train.x, data.train.y, {
  loss: '${output.loss}',
  learningRate: ${config.learningRate},
  batchSize: ${config.batchSize},
  epochs: ${config.epochs},${config.diagnose ? '\n  callbacks: [diagnostics],' : ''}
});
console.log('training loss per epoch:', history.history['loss']);
export { data, model, history };
console.log(
  'test:',
  model.evaluate(data.test.x, data.test.y, { loss: '${output.loss}'${classification ? ', accuracy: true' : ''} }),
);${
    config.diagnose
      ? `
for (const warning of diagnostics.epochs.at(-1)?.warnings ?? []) {
  console.log(\`warning: \${warning.message}; hint: \${warning.hint}\`);
}`
      : ''
  }
`;
}

/** A value as TypeScript source: 'text' (escaped), 1.5, ['a', 'b']. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'string')
    return `'${value.replace(/[\\']/g, '\\$&').replace(/\n/g, '\\n')}'`;
  return String(value);
}
