import { readFile } from 'node:fs/promises';
import type { TopLevelSpec } from 'vega-lite';
import type { ReportCharts } from './chart-specs.js';
import { diagnosticsHtml } from './diagnostics-html.js';
import type { ReportEpoch, TrainingReport } from './training-report.js';

/** The chart titles, as the page's figure captions and aria labels. */
const CAPTIONS: Record<keyof ReportCharts, string> = {
  loss: 'Loss per epoch',
  accuracy: 'Accuracy per epoch',
  learningRate: 'Learning rate per epoch',
  confusion: 'Confusion matrix',
  gradients: 'Gradient norm per layer and epoch',
};

/** The columns of the epochs table: field, heading, and how to write a value. */
const COLUMNS: [keyof ReportEpoch, string, (v: number) => string][] = [
  ['epoch', 'epoch', String],
  ['learningRate', 'η', (v) => String(Number(v.toPrecision(6)))],
  ['loss', 'training loss', (v) => v.toFixed(4)],
  ['accuracy', 'training accuracy', percent],
  ['validationLoss', 'validation loss', (v) => v.toFixed(4)],
  ['validationAccuracy', 'validation accuracy', percent],
  ['testLoss', 'test loss', (v) => v.toFixed(4)],
  ['testAccuracy', 'test accuracy', percent],
];

/**
 * A self-contained HTML page for a training report: the Vega and Vega-Lite libraries and the
 * chart specs (with their data) are inlined as scripts, so the page draws its charts with no
 * network access, from a file:// URL or an e-mail attachment. When every chart is drawn,
 * `document.body.dataset.charts` becomes 'rendered' ('failed: …' on an error). The run's
 * settings and every epoch's numbers are in tables, readable without JavaScript; so are the
 * training diagnostics, when the report has them (warnings first, in plain language).
 * @param charts - from reportCharts(report)
 * @returns the page as text
 * @throws when the vega or vega-lite package cannot be read from node_modules
 */
export async function reportHtml(report: TrainingReport, charts: ReportCharts): Promise<string> {
  const [vega, vegaLite] = await Promise.all([
    packageScript('vega', 'vega.min.js'),
    packageScript('vega-lite', 'vega-lite.min.js'),
  ]);
  const specs: Record<string, TopLevelSpec> = {};
  const figures = (Object.keys(CAPTIONS) as (keyof ReportCharts)[]).flatMap((name) => {
    const spec = charts[name];
    if (spec === undefined) return [];
    specs[`chart-${name}`] = spec;
    return [
      `<figure><div class="chart" id="chart-${name}" role="img" aria-label="${escape(CAPTIONS[name])}"></div></figure>`,
    ];
  });
  const specsJson = JSON.stringify(specs).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(report.title)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; }
.subtitle { color: #666; margin: 0 0 1.2rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
figure { margin: 0; background: white; border: 1px solid #ddd; border-radius: 6px; padding: .6rem; }
table { border-collapse: collapse; background: white; margin-bottom: 1.2rem; }
th, td { border: 1px solid #ddd; padding: .25rem .6rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
li.warning { color: #8a3b00; margin-bottom: .3rem; }
</style>
</head>
<body>
<main>
<h1>Training report</h1>
<p class="subtitle">${escape(report.title)}${report.createdAt ? ` · ${escape(report.createdAt)}` : ''}</p>
<section class="charts">
${figures.join('\n')}
</section>
<h2>Epochs</h2>
${epochsTable(report.epochs)}
${diagnosticsHtml(report.diagnostics ?? [], escape)}
<h2>Settings</h2>
${settingsTable(report.settings)}
</main>
<script>${vega}</script>
<script>${vegaLite}</script>
<script type="application/json" id="report-specs">${specsJson}</script>
<script>${RENDER}</script>
</body>
</html>
`;
}

/** Draws every chart with Vega's SVG renderer, then marks the body as rendered. */
const RENDER = `
(function () {
  var specs = JSON.parse(document.getElementById('report-specs').textContent);
  var views = Object.keys(specs).map(function (id) {
    var runtime = vega.parse(vegaLite.compile(specs[id]).spec);
    return new vega.View(runtime, { renderer: 'svg', container: '#' + id, hover: true }).runAsync();
  });
  Promise.all(views).then(
    function () { document.body.dataset.charts = 'rendered'; },
    function (error) { document.body.dataset.charts = 'failed: ' + error; throw error; }
  );
})();`;

/** A package's browser build, made safe to inline in a script element. */
async function packageScript(name: string, file: string): Promise<string> {
  const text = await readFile(new URL(file, import.meta.resolve(name)), 'utf8');
  return `/* ${name} ${file} */\n${text
    .replace(/\/\/# sourceMappingURL=\S+\s*$/, '')
    .replace(/<\/script/gi, '<\\/script')}`;
}

function epochsTable(epochs: readonly ReportEpoch[]): string {
  const columns = COLUMNS.filter(([field]) => epochs.some((e) => e[field] !== undefined));
  const head = columns.map(([, heading]) => `<th>${escape(heading)}</th>`).join('');
  const rows = epochs.map((e) => {
    const cells = columns.map(([field, , format]) => {
      const value = e[field];
      return `<td class="number">${value === undefined ? '' : escape(format(value))}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table class="epochs"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function settingsTable(settings: TrainingReport['settings']): string {
  const rows = Object.entries(settings).map(
    ([name, value]) => `<tr><th>${escape(name)}</th><td>${escape(String(value))}</td></tr>`,
  );
  return `<table class="settings"><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`;
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
