/**
 * Training reports: HTML, SVG and PNG, rendered with Vega and resvg (Node only).
 * @packageDocumentation
 * @module @backpropjs/report
 */
export { writeTrainingReport, type ReportFiles } from './write-report.js';
export { reportCharts, type ReportCharts } from './chart-specs.js';
export { reportHtml } from './html.js';
export { renderSvg } from './render-svg.js';
export { renderPng } from './render-png.js';
export type { TrainingReport, ReportEpoch, ReportConfusion } from './training-report.js';
export type {
  ReportDiagnosticsEpoch,
  ReportLayerDiagnostics,
  ReportWarning,
} from './report-diagnostics.js';
