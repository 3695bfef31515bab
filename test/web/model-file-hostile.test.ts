import { describe, expect, it } from 'vitest';
import {
  DataError,
  Dense,
  ModelFileError,
  Sequential,
  modelToJSON,
  type Preprocessing,
} from '../../packages/core/src/index.js';
import { parseCsvText } from '../../web/playground/own/csv-text.js';
import { loadModelText, modelExamples } from '../../web/playground/own/model-file.js';

// The playground's model-file loader and its examples from a CSV, given hostile files: each
// is refused with a one-line error naming the file and what is wrong, so that the page falls
// back to the blank input with the message shown (never an undefined example).

/** A 2-input, 3-class model that keeps its preprocessing, one input column named __proto__. */
function model(): Sequential {
  const m = new Sequential([new Dense(2, 3, { activation: 'softmax' })], { seed: 1 });
  m.preprocessing = {
    columns: [
      { name: 'a', kind: 'number' },
      { name: '__proto__', kind: 'number' },
    ],
    featureNames: ['a', '__proto__'],
    scaling: { kind: 'standard', offset: [0, 0], scale: [1, 1] },
    task: 'classification',
    targetNames: ['label'],
    classNames: ['x', 'y', 'z'],
  } as Preprocessing;
  return m;
}

describe('modelExamples with a CSV that does not fit the model', () => {
  it('reads a column named __proto__ as data', () => {
    const csv = parseCsvText('a,__proto__,label\n1,2,y\n', 'f.csv');
    expect(modelExamples(model(), csv).map(({ x, y, label }) => [x, y, label])).toEqual([
      [[1, 2], [0, 1, 0], 'f.csv, row 2'],
    ]);
  });

  it("names the model's columns the header lacks (was: no example at all)", () => {
    const csv = parseCsvText('a,b,label\n1,2,x\n', 'f.csv');
    expect(() => modelExamples(model(), csv)).toThrow(
      new DataError(
        `f.csv: expected the model's columns "__proto__" in the header; found "a", "b", "label"`,
      ),
    );
  });

  it('refuses a CSV whose every row misses an input value (was: no example at all)', () => {
    const csv = parseCsvText('a,__proto__,label\nNA,2,x\n,4,y\n', 'f.csv');
    expect(() => modelExamples(model(), csv)).toThrow(
      new DataError(
        'f.csv: expected a row with every input value, found a missing value in each of rows 2 to 3',
      ),
    );
  });
});

describe('loadModelText with hostile files', () => {
  const text = JSON.stringify(modelToJSON(new Sequential([new Dense(2, 3)], { seed: 1 })));

  it('refuses an ONNX binary and NaN weights in one line, naming the file', () => {
    const onnx = '\b\u0007\u0012\u0007backprop:\n\u0000\u00ff';
    expect(() => loadModelText(onnx, 'm.onnx')).toThrow(ModelFileError);
    expect(() => loadModelText(onnx, 'm.onnx')).toThrow(
      /^m\.onnx: expected a JSON model file, [^\n]*$/,
    );
    const nan = text.replace(/"bias":"[^"]*"/, '"bias":"AADAfwAAAAAAAAAA"'); // NaN, 0, 0 (float32)
    expect(() => loadModelText(nan, 'm.json')).toThrow(
      new ModelFileError('m.json: layers[0].bias: expected finite values, found NaN at index 0'),
    );
  });
});
