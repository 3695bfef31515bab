/**
 * Training reports, the `backprop/report` entry point: Node only (it writes files, renders
 * SVG with Vega and PNG with resvg), so it is kept out of the main entry, which runs in
 * browsers too.
 */
export { writeTrainingReport, type ReportFiles } from './write-report.js';
export { reportCharts, type ReportCharts } from './chart-specs.js';
export { reportHtml } from './html.js';
export { renderSvg } from './render-svg.js';
export { renderPng } from './render-png.js';
export type { TrainingReport, ReportEpoch, ReportConfusion } from './training-report.js';
