import { Matrix } from '../tensor/matrix.js';
import type {
  Explanation,
  GradientCheck,
  LayerExplanation,
  OtherLayerExplanation,
  ParameterExplanation,
} from './explanation.js';
import { shownSteps } from './sequence.js';
import { isLarge, shownIndices, summarise } from './summary.js';

/** A large matrix or vector in JSON, when not asked for in full. Indices are 1-based. */
export interface SummaryJSON {
  summarised: true;
  /** [rows, cols] of a matrix, [length] of a vector. */
  shape: number[];
  norm: number;
  min: number;
  max: number;
  /** The entries of largest magnitude, largest first: `index` [i] or [i, j], 1-based. */
  largest: { index: number[]; value: number }[];
  /** The first 5 entries of a vector, or the first 5 rows of the first 5 columns. */
  first: number[] | number[][];
}

/** A vector (number[]), a matrix (number[][], row-major), or a summary of a large one. */
export type ValuesJSON = number[] | number[][] | SummaryJSON;

/** A Dense layer of {@link ExplanationJSON}; fields as in LayerExplanation, vectors flat. */
export type LayerJSON = { layer: number; activation: string } & {
  [
    K in Exclude<keyof LayerExplanation, 'layer' | 'activation' | 'kind' | 'position'>
  ]: ValuesJSON | null;
};

/** A trainable parameter of {@link OtherLayerJSON}. */
export type ParameterJSON = { name: string } & {
  [K in Exclude<keyof ParameterExplanation, 'name'>]: ValuesJSON;
};

/** The JSON of one kind of other layer: matrices as values, `kind` and `follows` left out. */
type Jsonified<T> = {
  [K in Exclude<keyof T, 'kind' | 'follows'>]: T[K] extends Matrix
    ? ValuesJSON
    : T[K] extends Matrix | null
      ? ValuesJSON | null
      : T[K] extends ParameterExplanation[]
        ? ParameterJSON[]
        : T[K];
};

/**
 * A layer that is not Dense in {@link ExplanationJSON}: `position` (1-based in
 * `model.layers`), `className`, `description`, `input`, `output`, `gradOutput`, `gradInput`,
 * `parameters` and the fields of its kind (Dropout's `mask`, a normalisation's `mean`,
 * `variance`, `xhat`, …), as in OtherLayerExplanation; vectors flat.
 */
export type OtherLayerJSON = OtherLayerExplanation extends infer S
  ? S extends OtherLayerExplanation
    ? Jsonified<S>
    : never
  : never;

/** The JSON form of an {@link Explanation}. */
export interface ExplanationJSON {
  model: string;
  dtype: string;
  loss: { name: string; value: number };
  fused: boolean;
  learningRate: number;
  x: ValuesJSON;
  y: ValuesJSON;
  focus: { layer?: number; unit?: number };
  /**
   * The layers in the focus, one entry per layer in model order: Dense layers (`layer` l,
   * `activation`, …) and the others (`position`, `className`, …).
   */
  layers: (LayerJSON | OtherLayerJSON)[];
  /** Present (true) when the forward pass ran in training mode. */
  training?: true;
  gradcheck?: GradientCheck;
}

/**
 * The explanation as plain JSON-serialisable data: vectors ([1, n] matrices) as number[],
 * matrices as number[][], every value exactly the library's (a float32 value is the same
 * number as a double). Matrices with more than 10 rows or columns become a {@link SummaryJSON}
 * unless `full`. With a focus, only the layers it shows (see focus.ts).
 * @throws never
 */
export function explanationToJSON(
  explanation: Explanation,
  options: { full?: boolean } = {},
): ExplanationJSON {
  const full = options.full ?? false;
  const values = (m: Matrix) => toValues(m, full);
  const { focus } = explanation;
  const layers = shownSteps(explanation).map((step): LayerJSON | OtherLayerJSON =>
    step.kind !== 'Dense'
      ? otherToJSON(step, values)
      : {
          layer: step.layer,
          activation: step.activation,
          weights: values(step.weights),
          bias: values(step.bias),
          input: values(step.input),
          z: values(step.z),
          a: values(step.a),
          gradA: values(step.gradA),
          derivative: step.derivative === null ? null : values(step.derivative),
          delta: values(step.delta),
          gradWeights: values(step.gradWeights),
          gradBias: values(step.gradBias),
          updatedWeights: values(step.updatedWeights),
          updatedBias: values(step.updatedBias),
        },
  );
  return {
    model: explanation.model,
    dtype: explanation.dtype,
    loss: { ...explanation.loss },
    fused: explanation.fused,
    learningRate: explanation.learningRate,
    x: values(explanation.x),
    y: values(explanation.y),
    focus: { ...focus },
    layers,
    ...(explanation.training ? { training: true as const } : {}),
    ...(explanation.gradcheck ? { gradcheck: explanation.gradcheck } : {}),
  };
}

function otherToJSON(
  step: OtherLayerExplanation,
  values: (m: Matrix) => ValuesJSON,
): OtherLayerJSON {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(step)) {
    if (key === 'kind' || key === 'follows') continue;
    out[key] = value instanceof Matrix ? values(value) : value;
  }
  out['parameters'] = step.parameters.map(({ name, value, gradient, updated }) => ({
    name,
    value: values(value),
    gradient: values(gradient),
    updated: values(updated),
  }));
  return out as OtherLayerJSON;
}

function toValues(m: Matrix, full: boolean): ValuesJSON {
  const vector = m.rows === 1;
  if (full || !isLarge(m.rows, m.cols)) return vector ? Array.from(m.data) : m.toArray();
  const summary = summarise(m);
  const cols = shownIndices(m.cols, true);
  return {
    summarised: true,
    shape: vector ? [m.cols] : [m.rows, m.cols],
    norm: summary.norm,
    min: summary.min,
    max: summary.max,
    largest: summary.largest.map(({ row, col, value }) => ({
      index: vector ? [col + 1] : [row + 1, col + 1],
      value,
    })),
    first: vector
      ? cols.map((j) => m.get(0, j))
      : shownIndices(m.rows, true).map((i) => cols.map((j) => m.get(i, j))),
  };
}
