import { ModelFileError } from '../errors.js';
import { describe, fieldOf } from '../io/describe.js';
import { featureNamesOf, type InputColumn } from './columns.js';
import type { Preprocessing } from './preprocess.js';
import { SCALING_KINDS, type Scaling } from './scaling.js';

type Path = (string | number)[];

/** Thrown inside the checks with the path; turned into the ModelFileError at the top. */
class Problem {
  readonly path: Path;
  readonly message: string;

  constructor(path: Path, message: string) {
    this.path = path;
    this.message = message;
  }
}

const fail = (path: Path, message: string): never => {
  throw new Problem(path, message);
};
const expected = (path: Path, what: string, found: unknown): never =>
  fail(path, `expected ${what}, found ${describe(found)}`);

function object(value: unknown, path: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return expected(path, 'an object', value);
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, path: Path, min: number, what: string): unknown[] {
  if (!Array.isArray(value)) return expected(path, what, value);
  if (value.length < min)
    return fail(path, `expected at least ${min} entries, found ${value.length}`);
  return value;
}

function strings(value: unknown, path: Path, min: number, nonEmpty = false): string[] {
  return array(value, path, min, 'an array of strings').map((entry, i) =>
    typeof entry !== 'string' || (nonEmpty && entry === '')
      ? expected([...path, i], nonEmpty ? 'a non-empty string' : 'a string', entry)
      : entry,
  );
}

function numbers(value: unknown, path: Path, positive: boolean): number[] {
  return array(value, path, 0, 'an array of numbers').map((entry, i) =>
    typeof entry !== 'number' || !Number.isFinite(entry) || (positive && !(entry > 0))
      ? expected([...path, i], positive ? 'a finite number > 0' : 'a finite number', entry)
      : entry,
  );
}

function scaling(value: unknown, path: Path, count: number, per: string): Scaling {
  const s = object(value, path);
  if (!SCALING_KINDS.includes(s['kind'] as never)) {
    expected([...path, 'kind'], `one of ${SCALING_KINDS.join(', ')}`, s['kind']);
  }
  const offset = numbers(s['offset'], [...path, 'offset'], false);
  const scale = numbers(s['scale'], [...path, 'scale'], true);
  for (const [key, list] of [
    ['offset', offset],
    ['scale', scale],
  ] as const) {
    if (list.length !== count) {
      fail([...path, key], `expected ${count} numbers (one per ${per}), found ${list.length}`);
    }
  }
  return s as unknown as Scaling;
}

function column(value: unknown, path: Path): InputColumn {
  const c = object(value, path);
  if (typeof c['name'] !== 'string' || c['name'] === '') {
    expected([...path, 'name'], 'a non-empty string', c['name']);
  }
  const kind = c['kind'];
  if (kind === 'category') strings(c['categories'], [...path, 'categories'], 1);
  else if (kind !== 'number' && kind !== 'date') {
    expected([...path, 'kind'], '"number", "date" or "category"', kind);
  }
  return c as unknown as InputColumn;
}

function check(value: unknown): Preprocessing {
  const p = object(value, []);
  const columns = array(p['columns'], ['columns'], 1, 'an array of columns').map((c, i) =>
    column(c, ['columns', i]),
  );
  const names = columns.map((c) => c.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined)
    fail(['columns'], `expected distinct column names, found ${JSON.stringify(twice)} twice`);
  const featureNames = strings(p['featureNames'], ['featureNames'], 1);
  const encoded = columns.flatMap((c) => featureNamesOf(c)).length;
  if (featureNames.length !== encoded) {
    fail(
      ['featureNames'],
      `expected ${encoded} names (what the columns encode to), found ${featureNames.length}`,
    );
  }
  scaling(p['scaling'], ['scaling'], featureNames.length, 'feature');
  const task = p['task'];
  if (task !== 'classification' && task !== 'regression') {
    expected(['task'], '"classification" or "regression"', task);
  }
  const targetNames = strings(p['targetNames'], ['targetNames'], 1, true);
  if (p['targetScaling'] !== undefined) {
    scaling(p['targetScaling'], ['targetScaling'], targetNames.length, 'target');
  }
  if (task === 'classification') {
    if (p['classNames'] === undefined) {
      fail(['classNames'], 'expected the class names of a classifier, found nothing');
    }
    strings(p['classNames'], ['classNames'], 2);
    if (targetNames.length !== 1) {
      fail(['targetNames'], `expected 1 target for classification, found ${targetNames.length}`);
    }
    if (p['targetScaling'] !== undefined) {
      fail(['targetScaling'], 'expected no target scaling for classification, found one');
    }
  } else if (p['classNames'] !== undefined) {
    fail(['classNames'], 'expected no class names for regression');
  }
  return p as unknown as Preprocessing;
}

/**
 * Validates a stored preprocessing object (e.g. a model file's `preprocessing`): columns (each
 * a number, date or category column with distinct names), as many feature names as the
 * columns encode to, one finite offset and one scale > 0 per feature, one target and ≥ 2
 * classes for classification (no target scaling), no classes for regression, and one target
 * offset and scale per target.
 * @param value - the parsed JSON
 * @param field - its path in the file, for messages. Default 'preprocessing'
 * @returns the value, typed
 * @throws {ModelFileError} naming the first wrong field, e.g.
 *   `preprocessing.scaling.offset: expected 4 numbers (one per feature), found 3`.
 */
export function parsePreprocessing(value: unknown, field = 'preprocessing'): Preprocessing {
  try {
    return check(value);
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    throw new ModelFileError(`${fieldOf([field, ...error.path], field)}: ${error.message}`);
  }
}
