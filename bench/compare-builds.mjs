// Compares the training throughput of two builds of the library, as the issues ask for speed
// claims: medians of interleaved rounds with min–max, since single runs here vary by 30%.
//   node bench/compare-builds.mjs <old core dist index.js> <old module with loadMnist> \
//        <new core dist index.js> <new module with loadMnist> [rounds=5]
// Each measurement runs in a fresh process (bench/train-once.mjs): MNIST 784-128-10,
// relu/softmax, cross-entropy, plain SGD, float32, the wasm backend on one thread; batch 64
// on 20,000 images (η 0.1) and batch 1 on 5,000 images (η 0.01), one epoch each.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [oldCore, oldData, newCore, newData, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const once = fileURLToPath(new URL('./train-once.mjs', import.meta.url));
const builds = { old: [oldCore, oldData], new: [newCore, newData] };
const results = { old: { 64: [], 1: [] }, new: { 64: [], 1: [] } };
const cpu = { old: { 64: [], 1: [] }, new: { 64: [], 1: [] } };
for (let round = 1; round <= rounds; round++) {
  for (const batch of [64, 1]) {
    const order = round % 2 === 1 ? ['old', 'new'] : ['new', 'old'];
    for (const name of order) {
      const out = execFileSync(process.execPath, [once, ...builds[name], String(batch)], {
        encoding: 'utf8',
      });
      const [wall, perCpu] = JSON.parse(out.trim().split('\n').pop());
      results[name][batch].push(wall);
      cpu[name][batch].push(perCpu);
    }
  }
  process.stderr.write(`round ${round} of ${rounds} done\n`);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (v) => Math.round(v).toLocaleString('en-US');
for (const [clock, table] of [
  ['wall', results],
  ['cpu', cpu],
]) {
  for (const batch of [64, 1]) {
    const [o, n] = [table.old[batch], table.new[batch]];
    console.log(
      `batch ${batch} (${clock}): old ${fmt(median(o))} ex/s (${fmt(Math.min(...o))}–${fmt(Math.max(...o))}), ` +
        `new ${fmt(median(n))} ex/s (${fmt(Math.min(...n))}–${fmt(Math.max(...n))}), ` +
        `new/old ${(median(n) / median(o)).toFixed(3)}`,
    );
  }
}
