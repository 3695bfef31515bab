// The Markdown of bench/rounds.mjs's results: each cell the median of the rounds with min–max;
// each ratio computed round by round (stats.mjs), "ours" being the better of our one- and
// two-thread runs in that round, "numpy" the better of its one- and two-thread runs.
import { BATCH_SIZES, GEMMS, gemmId, WORKLOADS } from './rounds.mjs';
import {
  best,
  flopPerExample,
  formatSummary,
  markdownTable,
  ratioSummary,
  summary,
} from './stats.mjs';

/** The tables of a run of runRounds, as Markdown, with a line that says how they were made. */
export function roundsMarkdown({ names, python, rounds, values }, note) {
  const has = (id, key) => values[id]?.[key]?.length > 0;
  const cell = (id, key, digits = 0, unit = '') =>
    has(id, key) ? formatSummary(summary(values[id][key]), digits, unit) : '—';
  const bestOf = (id, keys) => {
    const present = keys.filter((key) => has(id, key));
    return present.length ? best(...present.map((key) => values[id][key])) : undefined;
  };
  const ratio = (a, b) => (a && b ? formatSummary(ratioSummary(a, b), 2, '×') : '—');
  const ours = (id) => bestOf(id, ['ours1', 'ours2']);
  const numpy = (id) => bestOf(id, ['numpy1', 'numpy2']);
  const name = (key) => names[key] ?? key;
  const out = [
    `Interleaved rounds: ${rounds} rounds, each system in its own process, the order rotated each round; medians with (min–max) of the rounds. ${note}`,
    `numpy: ${python ?? 'not found'}. Threads: ours ×1/×2 = createBackend('wasm', { threads }); numpy ×1/×2 = OPENBLAS_NUM_THREADS; onnxruntime ×1/×2 = intraOpNumThreads.`,
    '',
    '**Training throughput by batch size**, MNIST 784-128-10 (ex/s; SGD η = 0.01, batches in order):',
    '',
    markdownTable(
      [
        'batch',
        name('ours1'),
        name('ours2'),
        `${name('numpy1')} ×1`,
        `${name('numpy1')} ×2`,
        'ours ×2 ÷ ×1',
        'ours best ÷ numpy best',
      ],
      BATCH_SIZES.map((batch) => {
        const id = `train-mnist-${batch}`;
        return [
          String(batch),
          cell(id, 'ours1'),
          cell(id, 'ours2'),
          cell(id, 'numpy1'),
          cell(id, 'numpy2'),
          ratio(values[id]?.ours2, values[id]?.ours1),
          ratio(ours(id), numpy(id)),
        ];
      }),
    ),
    '',
    `At batch 64 also: ${name('relaxed')} ${cell('train-mnist-64', 'relaxed')}, ${name('tfjs')} ${cell('train-mnist-64', 'tfjs')} ex/s; ours best ÷ tfjs-wasm ${ratio(ours('train-mnist-64'), values['train-mnist-64']?.tfjs)}.`,
    '',
    '**Inference**, MNIST 784-128-10 on the 10,000 test images in one call (ex/s), and ours best ÷ each:',
    '',
    markdownTable(
      ['system', 'ex/s', 'ours best ÷ it'],
      Object.keys(values['predict-mnist'] ?? {}).map((key) => [
        name(key) + (key === 'numpy1' ? ' ×1' : key === 'numpy2' ? ' ×2' : ''),
        cell('predict-mnist', key),
        ratio(ours('predict-mnist'), values['predict-mnist'][key]),
      ]),
    ),
    '',
    '**Latency of `predict` on one row** (µs per call, one float32 row, one call at a time, as a page or a server calls it):',
    '',
    markdownTable(
      ['system', 'p50 (µs)', 'p99 (µs)', 'p50 ÷ ours'],
      Object.entries(values['latency-mnist'] ?? {}).map(([key, list]) => [
        name(key),
        formatSummary(summary(list.map((l) => l.p50)), 1),
        formatSummary(summary(list.map((l) => l.p99)), 1),
        has('latency-mnist', 'ours1')
          ? ratio(
              list.map((l) => l.p50),
              values['latency-mnist'].ours1.map((l) => l.p50),
            )
          : '—',
      ]),
    ),
    '',
    ...denseMarkdown(values, name, cell, ratio, ours, numpy),
    '',
    ...targetsMarkdown(values, ratio, ours, numpy),
  ];
  return `${out.join('\n')}\n`;
}

/** Per round: the best GFLOP/s of a system's square products (its peak). */
function peakOf(values, key) {
  const lists = GEMMS.map((gemm) => values[gemmId(gemm)]?.[key]).filter(Boolean);
  return lists.length ? best(...lists) : undefined;
}

/** Per round: the GFLOP/s of a task of a workload on a system. */
function gflopsOf(values, id, key, workload, training) {
  const flop = flopPerExample(WORKLOADS[workload].layers, training);
  return values[id]?.[key]?.map((v) => (v * flop) / 1e9);
}

/** The targets (issue 12), each with what this run measured. */
function targetsMarkdown(values, ratio, ours, numpy) {
  const v = (id, key) => values[id]?.[key];
  const p50 = (key) => v('latency-mnist', key)?.map((l) => l.p50);
  const fraction = (id, workload, training) =>
    ratio(gflopsOf(values, id, 'ours1', workload, training), peakOf(values, 'ours1')).replaceAll(
      '×',
      '',
    );
  return [
    "**The issue's targets** (issue 12; ratios of this run's rounds):",
    '',
    markdownTable(
      ['target', 'measured'],
      [
        [
          'MNIST batch 64 training: ours best ÷ numpy best ≥ 1.0',
          ratio(ours('train-mnist-64'), numpy('train-mnist-64')),
        ],
        ...[
          [64, 1.5],
          [128, 1.7],
          [32, 1.4],
        ].map(([batch, goal]) => [
          `two threads ÷ one at batch ${batch} ≥ ${goal}`,
          ratio(v(`train-mnist-${batch}`, 'ours2'), v(`train-mnist-${batch}`, 'ours1')),
        ]),
        [
          'inference: ours best ÷ onnxruntime ×1 ≥ 0.5',
          ratio(ours('predict-mnist'), v('predict-mnist', 'ort1')),
        ],
        [
          'inference: ours best ÷ tfjs-wasm ≥ 3',
          ratio(ours('predict-mnist'), v('predict-mnist', 'tfjs')),
        ],
        [
          'inference: ours best ÷ numpy best (reported)',
          ratio(ours('predict-mnist'), numpy('predict-mnist')),
        ],
        [
          'inference: ours best ÷ onnxruntime ×2 (reported)',
          ratio(ours('predict-mnist'), v('predict-mnist', 'ort2')),
        ],
        [
          'batch 1 training: ours ÷ numpy ×1 ≥ 10',
          ratio(v('train-mnist-1', 'ours1'), v('train-mnist-1', 'numpy1')),
        ],
        ['one-row latency p50: numpy ÷ ours (reported)', ratio(p50('numpy1'), p50('ours1'))],
        [
          'dense training, batch 64: GFLOP/s ÷ our peak, one thread ≥ 0.7',
          fraction('train-dense-64', 'dense', true),
        ],
        [
          'dense inference: GFLOP/s ÷ our peak, one thread ≥ 0.7',
          fraction('predict-dense', 'dense', false),
        ],
        [
          'dense training, batch 64: ours best ÷ numpy best (reported)',
          ratio(ours('train-dense-64'), numpy('train-dense-64')),
        ],
      ],
    ),
  ];
}

/** The dense workloads against our kernel's peak, and what relaxed SIMD gains. */
function denseMarkdown(values, name, cell, ratio, ours, numpy) {
  const peak = (key) => peakOf(values, key);
  const show = (list) => (list ? formatSummary(summary(list), 1) : '—');
  const fraction = (a, b) => (a && b ? formatSummary(ratioSummary(a, b), 2) : '—');
  const layersText = (w) => WORKLOADS[w].layers.join('-');
  const products = ['ours1', 'ours2', 'relaxed', 'numpy1', 'numpy2'];
  const label = { numpy1: ' ×1', numpy2: ' ×2' };
  const rows = [
    ['train-dense-64', 'dense', true, 'training, batch 64'],
    ['predict-dense', 'dense', false, 'inference, 1,024 rows'],
    ['train-tabular-64', 'tabular', true, 'training, batch 64'],
    ['predict-tabular', 'tabular', false, 'inference, 4,096 rows'],
  ];
  return [
    "**Square products** through the backend (`backend.gemm` on matrices in the WASM memory; numpy's `@`), GFLOP/s (2n³ per product); a system's peak is its best product in each round:",
    '',
    markdownTable(
      ['product', ...products.map((key) => `${name(key)}${label[key] ?? ''}`)],
      [
        ...GEMMS.map((gemm) => [
          `${gemm.n}³ C = ${gemm.transposeB ? 'ABᵀ' : 'AB'}`,
          ...products.map((key) => cell(gemmId(gemm), key, 1)),
        ]),
        ['peak', ...products.map((key) => show(peak(key)))],
      ],
    ),
    '',
    `**Dense workloads** (no blank input): ${layersText('dense')} on uniform inputs in [0.05, 1), and a tabular ${layersText('tabular')} on standard-normal (standardised) features. GFLOP/s counts the products (inference 2·Σ nˡ⁻¹nˡ per example, training 3× that less the first layer's ∂L/∂A); "÷ peak" divides by our peak on as many threads in the same round:`,
    '',
    markdownTable(
      [
        'workload',
        `${name('ours1')} GFLOP/s`,
        `${name('ours2')} GFLOP/s`,
        'ours ×1 ÷ peak ×1',
        'ours ×2 ÷ peak ×2',
        'numpy ×1 GFLOP/s',
        'numpy ×2 GFLOP/s',
        'ours best ÷ numpy best',
      ],
      rows.map(([id, w, training, text]) => {
        const g = (key) => gflopsOf(values, id, key, w, training);
        return [
          `${layersText(w)} ${text}`,
          show(g('ours1')),
          show(g('ours2')),
          fraction(g('ours1'), peak('ours1')),
          fraction(g('ours2'), peak('ours2')),
          show(g('numpy1')),
          show(g('numpy2')),
          ratio(ours(id), numpy(id)),
        ];
      }),
    ),
    '',
    `Inference of the dense net: onnxruntime ×1 ${cell('predict-dense', 'ort1')} ex/s, ×2 ${cell('predict-dense', 'ort2')}; ours best ÷ onnxruntime ×1 ${ratio(ours('predict-dense'), values['predict-dense']?.ort1)}, ÷ ×2 ${ratio(ours('predict-dense'), values['predict-dense']?.ort2)}. Tabular: ÷ onnxruntime ×1 ${ratio(ours('predict-tabular'), values['predict-tabular']?.ort1)}.`,
    '',
    `**Relaxed SIMD** (${name('relaxed')}, fused multiply-add) ÷ the default kernels, one thread, same rounds:`,
    '',
    markdownTable(
      ['task', 'relaxed ÷ default'],
      [
        ...GEMMS.map((gemm) => [
          `${gemm.n}³ C = ${gemm.transposeB ? 'ABᵀ' : 'AB'}`,
          ratio(values[gemmId(gemm)]?.relaxed, values[gemmId(gemm)]?.ours1),
        ]),
        [
          'dense training, batch 64',
          ratio(values['train-dense-64']?.relaxed, values['train-dense-64']?.ours1),
        ],
        [
          'dense inference',
          ratio(values['predict-dense']?.relaxed, values['predict-dense']?.ours1),
        ],
        [
          'MNIST training, batch 64',
          ratio(values['train-mnist-64']?.relaxed, values['train-mnist-64']?.ours1),
        ],
        [
          'MNIST inference',
          ratio(values['predict-mnist']?.relaxed, values['predict-mnist']?.ours1),
        ],
      ],
    ),
  ];
}
