import { loadModel } from './api.js';
import { csvBatches } from './csv-batches.js';
import { describeOutputs, inTargetUnits, probabilities, argmax } from './model-outputs.js';
import { checkNotAnInput, checkOutput } from './output.js';
import { openOutput } from './output-file.js';

/** The parsed options of `backprop predict`. */
export interface PredictOptions {
  /** The model file. */
  model: string;
  /** The CSV file of rows to predict, with a header row. */
  input: string;
  /** Where to write the predictions; stdout when absent. */
  output?: string;
  /** JSON Lines instead of CSV. */
  json: boolean;
  /** Leave out rows with a missing value instead of failing. */
  dropMissing: boolean;
  /** Read the input columns in order when the header names none of the model's columns. */
  byPosition?: boolean;
}

/**
 * The whole `backprop predict` command: streams the input CSV in batches through the model's
 * preprocessing and the network, and writes one line per row kept.
 *
 * CSV output: `row,class,p(<class>)…` for a classifier (row = the input's spreadsheet row,
 * header = row 1; class = the most probable class), or `row,<target>…` for regression (in the
 * targets' units). JSON Lines: `{"row":2,"class":"setosa","probabilities":{"setosa":0.97,…}}`
 * or `{"row":2,"values":{"mpg":23.1}}`.
 * @throws {ConfigError} for an `--output` that cannot be written (checked first).
 * @throws {ModelFileError} for a bad model file; {DataError} for a bad CSV (names the file, row
 *   and column). A half-written `--output` is removed; an existing one is kept.
 */
export async function predictCommand(options: PredictOptions): Promise<void> {
  if (options.output !== undefined) {
    checkNotAnInput(options.output, [
      ['--model', options.model],
      ['--input', options.input],
    ]);
    checkOutput(options.output);
  }
  const model = await loadModel(options.model);
  const outputs = describeOutputs(model);
  const out = await openOutput(options.output);
  const classes = outputs.kind === 'classes';
  let written = 0;
  let dropped = 0;
  try {
    // The header goes out with the first batch, so that a file whose first rows are bad leaves
    // stdout empty.
    const columns = classes
      ? ['class', ...outputs.names.map((name) => `p(${name})`)]
      : outputs.names;
    let header = options.json ? '' : `${['row', ...columns].map(csvField).join(',')}\n`;
    for await (const batch of csvBatches(model, options.input, {
      dropMissing: options.dropMissing,
      byPosition: options.byPosition ?? false,
    })) {
      dropped += batch.dropped;
      if (batch.rows.length === 0) continue;
      const a = inTargetUnits(model, model.predict(batch.x));
      let text = header;
      header = '';
      batch.rows.forEach((row, i) => {
        const values = classes ? probabilities(a, i, outputs.binary) : Array.from(a.row(i));
        const named = classes ? outputs.names[argmax(values)]! : undefined;
        if (options.json) {
          const entries = Object.fromEntries(outputs.names.map((name, j) => [name, values[j]]));
          const record = classes
            ? { row, class: named, probabilities: entries }
            : { row, values: entries };
          text += `${JSON.stringify(record)}\n`;
        } else {
          const fields = classes ? [csvField(named!), ...values.map(String)] : values.map(String);
          text += `${row},${fields.join(',')}\n`;
        }
      });
      await out.write(text);
      written += batch.rows.length;
    }
    if (header !== '') await out.write(header);
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
  if (dropped > 0) {
    const rows = dropped === 1 ? '1 row' : `${dropped} rows`;
    process.stderr.write(`note: dropped ${rows} with a missing value (--drop-missing)\n`);
  }
  if (options.output !== undefined) {
    const line = `wrote ${written} predictions to ${options.output}\n`;
    (options.json ? process.stderr : process.stdout).write(line);
  }
}

/**
 * A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). Text that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is
 * written as text, prefixed with `'` (OWASP's advice); numbers such as -1 or +2.5 stay as they are.
 * @param text - a class or column name, or a number's text
 * @returns the field as it goes into the file
 * @throws never
 */
export function csvField(text: string): string {
  const formula = /^[=+\-@\t\r]/.test(text) && !Number.isFinite(Number(text));
  const field = formula ? `'${text}` : text;
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
