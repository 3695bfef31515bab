import { join } from 'node:path';
import { writeDirectoryAtomic } from '@backpropjs/core';
import { reportCharts } from './chart-specs.js';
import { reportHtml } from './html.js';
import { renderPng } from './render-png.js';
import { renderSvg } from './render-svg.js';
import type { TrainingReport } from './training-report.js';

/** The files {@link writeTrainingReport} wrote. */
export interface ReportFiles {
  /** `<directory>/report.html`, the self-contained page. */
  html: string;
  /**
   * The charts as images: loss.svg, loss.png, accuracy.svg, accuracy.png for classifiers, and
   * gradients.svg, gradients.png (the gradient norm per layer) with diagnostics.
   */
  images: string[];
}

/**
 * Writes a training report into a directory (created if missing), its files atomically as a
 * set (see writeDirectoryAtomic: all are written and flushed in a temporary directory first,
 * so a failure such as a full disk leaves no half report):
 * `report.html`, a self-contained page with the loss, accuracy and learning-rate curves per
 * epoch, the confusion matrix, the run's settings and a table of the epochs (see reportHtml);
 * and the loss and accuracy curves as `loss.svg`/`loss.png` and `accuracy.svg`/`accuracy.png`
 * (and with diagnostics the gradient norms as `gradients.svg`/`gradients.png`),
 * drawn by Vega in Node (no browser) and rasterised by resvg.
 * @param directory - e.g. 'out'; existing files of the same names are replaced
 * @returns the paths written
 * @throws {ConfigError} when `directory` or one of the files exists and is of another kind (a
 *   file where the directory goes, a FIFO or directory where a file goes)
 * @throws the file system's error when a file cannot be written
 * @example
 * await writeTrainingReport('out', { title: 'run 1', settings: { epochs: 2 },
 *   epochs: [{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: 0.3 }] });
 * //=> { html: 'out/report.html', images: ['out/loss.svg', 'out/loss.png'] }
 */
export async function writeTrainingReport(
  directory: string,
  report: TrainingReport,
): Promise<ReportFiles> {
  const charts = reportCharts(report);
  const images: string[] = [];
  const files: Record<string, string | Uint8Array> = {};
  for (const name of ['loss', 'accuracy', 'gradients'] as const) {
    const spec = charts[name];
    if (spec === undefined) continue;
    const svg = await renderSvg(spec);
    files[`${name}.svg`] = svg;
    files[`${name}.png`] = renderPng(svg);
    images.push(join(directory, `${name}.svg`), join(directory, `${name}.png`));
  }
  files['report.html'] = await reportHtml(report, charts);
  await writeDirectoryAtomic(directory, files);
  return { html: join(directory, 'report.html'), images };
}
