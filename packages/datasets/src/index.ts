/**
 * The data sets (MNIST, iris, penguins, cars, seattle-weather) and the readers of CSV and JSON
 * record files, for Node. The tables' preprocessing itself is in `@backpropjs/core` (it also
 * runs in browsers: `tableFromRecords`).
 * @packageDocumentation
 * @module @backpropjs/datasets
 */
export { loadMnist, type Mnist, type MnistOptions } from './mnist.js';
export { loadCsv, readCsvRows, type CsvOptions, type CsvReadOptions, type CsvRow } from './csv.js';
export { loadRecords, type JsonRecord } from './records.js';
export {
  loadDataset,
  DATASET_NAMES,
  DATASET_DESCRIPTIONS,
  type DatasetName,
  type DatasetOptions,
  type TabularDatasetName,
} from './datasets.js';
