import {
  checkFocus,
  explain,
  focusedLayers,
  explanationToJSON,
  explanationToMarkdown,
  explanationToText,
  LECTURE_LEARNING_RATE,
  lectureNetwork,
  loadModel,
  ConfigError,
  type LossName,
  type Sequential,
} from './api.js';
import { chooseExample, type ExampleOptions } from './example.js';
import { describeOutputs, lossOf } from './model-outputs.js';

/** The parsed options of `backprop explain`. */
export interface ExplainCommandOptions extends ExampleOptions {
  /** A model file; undefined for the lecture's network. */
  model?: string;
  /** Default: the loss the model file says it was trained with, else crossEntropy for a
   * softmax output, binaryCrossEntropy for one sigmoid class output, else mse (see lossOf). */
  loss?: LossName;
  /** η; default 0.5 for the lecture's network, 0.1 (as `backprop train`) for a model file. */
  learningRate?: number;
  layer?: number;
  unit?: number;
  gradcheck: boolean;
  /** Explain a training step (Dropout's mask, GaussianNoise, BatchNormalization's batch statistics). */
  training: boolean;
  full: boolean;
  digits: number;
  /** text or markdown; undefined means text. */
  format?: 'text' | 'markdown';
  json: boolean;
}

/** Estimates beyond this many parameters get a note that they take a while. */
const SLOW_GRADCHECK = 10_000;

/**
 * The whole `backprop explain` command: loads the model (or builds the lecture's network),
 * chooses the example, explains one training step with the library, and prints it as text,
 * Markdown or JSON on stdout.
 * @throws {ConfigError} for options that conflict or do not fit the model (naming them);
 *   {ModelFileError} for an unreadable model file; {DataError} for a bad data set file.
 */
export async function explainCommand(options: ExplainCommandOptions): Promise<void> {
  if (options.json && options.format !== undefined) {
    throw new ConfigError(
      `--json and --format ${options.format} both choose the output; give one of them`,
    );
  }
  const lecture = options.model === undefined;
  const model: Sequential = lecture ? lectureNetwork() : await loadModel(options.model!);
  const focus = checkFocus(
    model,
    { layer: options.layer, unit: options.unit },
    { layer: '--layer', unit: '--unit' },
  );
  const example = await chooseExample(model, options, lecture);
  if (options.gradcheck && options.full) {
    const count = focusedLayers(model, focus)
      .flatMap((layer) => layer.parameters())
      .reduce((sum, p) => sum + (p.trainable ? p.value.data.length : 0), 0);
    if (count > SLOW_GRADCHECK) {
      process.stderr.write(
        `note: --gradcheck --full estimates ${count.toLocaleString('en-US')} parameters, two ` +
          'forward passes each; this takes a while (--layer narrows it)\n',
      );
    }
  }
  const explanation = explain(model, example.x, example.y, {
    loss: options.loss ?? lossOf(model, describeOutputs(model)),
    learningRate: options.learningRate ?? (lecture ? LECTURE_LEARNING_RATE : 0.1),
    focus,
    gradcheck: options.gradcheck,
    full: options.full,
    training: options.training,
  });
  const format = { digits: options.digits, full: options.full, source: example.source };
  const text = options.json
    ? `${JSON.stringify(explanationToJSON(explanation, { full: options.full }), null, 2)}\n`
    : options.format === 'markdown'
      ? explanationToMarkdown(explanation, format)
      : explanationToText(explanation, format);
  process.stdout.write(text);
}
