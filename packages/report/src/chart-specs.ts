import type { TopLevelSpec } from 'vega-lite';
import { gradientNormChart } from './diagnostics-chart.js';
import type { ReportEpoch, TrainingReport } from './training-report.js';

/** The charts of a report, by the id they get in the page and the name of their files. */
export interface ReportCharts {
  loss: TopLevelSpec;
  accuracy?: TopLevelSpec;
  learningRate?: TopLevelSpec;
  confusion?: TopLevelSpec;
  /** The gradient norm of each layer per epoch, when the report has diagnostics. */
  gradients?: TopLevelSpec;
}

/** The data splits a curve can have, with the fields they come from and their legend names. */
const SPLITS = [
  { name: 'training', loss: 'loss', accuracy: 'accuracy' },
  { name: 'validation', loss: 'validationLoss', accuracy: 'validationAccuracy' },
  { name: 'test', loss: 'testLoss', accuracy: 'testAccuracy' },
] as const;

const WIDTH = 420;
const HEIGHT = 260;
/** Integer epochs on the x axis. */
const EPOCH_AXIS = { title: 'epoch', tickMinStep: 1, format: 'd' } as const;

/**
 * The Vega-Lite specs of a report's charts: loss and accuracy per epoch (one line per split
 * that has values: training, validation, test), the learning rate per epoch, and the
 * confusion matrix as a heat map with counts, and with diagnostics the gradient norm of each
 * layer per epoch (log scale). Data is inlined in each spec, so a chart renders
 * with no file or network access. Charts without data are left out (no accuracy for a
 * regression, no confusion matrix without one).
 * @throws never
 */
export function reportCharts(report: TrainingReport): ReportCharts {
  const charts: ReportCharts = { loss: curve(report.epochs, 'loss', 'Loss per epoch', 'loss') };
  if (report.epochs.some((e) => SPLITS.some((s) => e[s.accuracy] !== undefined))) {
    charts.accuracy = curve(report.epochs, 'accuracy', 'Accuracy per epoch', 'accuracy');
  }
  const rates = report.epochs.filter((e) => e.learningRate !== undefined);
  if (rates.length > 0) {
    charts.learningRate = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Learning rate η per epoch',
      width: WIDTH,
      height: 160,
      data: { values: rates.map((e) => ({ epoch: e.epoch, learningRate: e.learningRate })) },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: EPOCH_AXIS },
        y: { field: 'learningRate', type: 'quantitative', title: 'η', scale: { zero: true } },
        tooltip: [
          { field: 'epoch', type: 'quantitative' },
          { field: 'learningRate', type: 'quantitative', title: 'η' },
        ],
      },
    };
  }
  if (report.confusion) charts.confusion = confusionChart(report.confusion);
  if (report.diagnostics?.length) charts.gradients = gradientNormChart(report.diagnostics);
  return charts;
}

function curve(
  epochs: readonly ReportEpoch[],
  metric: 'loss' | 'accuracy',
  title: string,
  axis: string,
): TopLevelSpec {
  const values = epochs.flatMap((e) =>
    SPLITS.flatMap((split) => {
      const value = e[split[metric]];
      return value === undefined ? [] : [{ epoch: e.epoch, split: split.name, [metric]: value }];
    }),
  );
  const splits = SPLITS.map((s) => s.name).filter((name) => values.some((v) => v.split === name));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: EPOCH_AXIS },
      y: {
        field: metric,
        type: 'quantitative',
        title: axis,
        scale: { zero: false },
        ...(metric === 'accuracy' ? { axis: { format: '.1%' } } : {}),
      },
      color: { field: 'split', type: 'nominal', title: 'data', sort: splits },
      tooltip: [
        { field: 'split', type: 'nominal', title: 'data' },
        { field: 'epoch', type: 'quantitative' },
        { field: metric, type: 'quantitative', format: metric === 'accuracy' ? '.2%' : '.4f' },
      ],
    },
  };
}

function confusionChart(confusion: NonNullable<TrainingReport['confusion']>): TopLevelSpec {
  const { classNames, counts } = confusion;
  const values = counts.flatMap((row, t) =>
    row.map((count, p) => ({ actual: classNames[t], predicted: classNames[p], count })),
  );
  const side = Math.max(240, Math.min(480, 36 * classNames.length));
  const half = Math.max(...counts.flat()) / 2;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Confusion matrix: ${confusion.data}`,
    width: side,
    height: side,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: classNames, title: 'predicted class' },
      y: { field: 'actual', type: 'ordinal', sort: classNames, title: 'true class' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            scale: { type: 'symlog', scheme: 'blues' },
            title: 'examples',
          },
          tooltip: [
            { field: 'actual', title: 'true class' },
            { field: 'predicted', title: 'predicted class' },
            { field: 'count', type: 'quantitative' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          // white on the dark cells: those above half the largest count (the scale is symlog)
          color: { condition: { test: `datum.count > ${half}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}
