import { z } from 'zod';
import { ModelFileError } from '../errors.js';
import { featureNamesOf } from './columns.js';
import type { Preprocessing } from './preprocess.js';
import { SCALING_KINDS } from './scaling.js';

const name = z.string().min(1);

const scalingSchema = z.object({
  kind: z.enum(SCALING_KINDS as [string, ...string[]]),
  offset: z.array(z.number()),
  scale: z.array(z.number().positive()),
});

const columnSchema = z.discriminatedUnion('kind', [
  z.object({ name, kind: z.literal('number') }),
  z.object({ name, kind: z.literal('date') }),
  z.object({ name, kind: z.literal('category'), categories: z.array(z.string()).min(1) }),
]);

/**
 * The zod schema of a {@link Preprocessing} object, with the cross-field checks: as many
 * feature names as the columns encode to, one offset and one scale per feature (finite, scale
 * > 0), one target and ≥ 2 classes for classification, no classes for regression, and one
 * target offset and scale per target. For the model file's `preprocessing` (version 2; older
 * files kept it under `metadata.preprocessing`, which is read too).
 */
export const preprocessingSchema = z
  .object({
    columns: z.array(columnSchema).min(1),
    featureNames: z.array(z.string()).min(1),
    scaling: scalingSchema,
    task: z.enum(['classification', 'regression']),
    targetNames: z.array(name).min(1),
    classNames: z.array(z.string()).min(2).optional(),
    targetScaling: scalingSchema.optional(),
  })
  .superRefine((p, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });
    const encoded = p.columns.flatMap((column) => featureNamesOf(column as never)).length;
    const features = p.featureNames.length;
    if (features !== encoded) {
      issue(
        ['featureNames'],
        `expected ${encoded} names (what the columns encode to), found ${features}`,
      );
    }
    for (const key of ['offset', 'scale'] as const) {
      if (p.scaling[key].length !== features) {
        issue(
          ['scaling', key],
          `expected ${features} numbers (one per feature), found ${p.scaling[key].length}`,
        );
      }
      if (p.targetScaling && p.targetScaling[key].length !== p.targetNames.length) {
        issue(
          ['targetScaling', key],
          `expected ${p.targetNames.length} numbers (one per target), found ${p.targetScaling[key].length}`,
        );
      }
    }
    if (p.task === 'classification') {
      if (p.classNames === undefined)
        issue(['classNames'], 'expected the class names of a classifier, found nothing');
      if (p.targetNames.length !== 1) {
        issue(
          ['targetNames'],
          `expected 1 target for classification, found ${p.targetNames.length}`,
        );
      }
    } else if (p.classNames !== undefined) {
      issue(['classNames'], 'expected no class names for regression');
    }
  });

/**
 * Validates a stored preprocessing object (e.g. a model file's `preprocessing`).
 * @param value - the parsed JSON
 * @param field - its path in the file, for messages. Default 'preprocessing'
 * @returns the value, typed
 * @throws {ModelFileError} naming the first wrong field, e.g.
 *   `preprocessing.scaling.offset: expected 4 numbers (one per feature), found 3`.
 */
export function parsePreprocessing(value: unknown, field = 'preprocessing'): Preprocessing {
  const result = preprocessingSchema.safeParse(value);
  if (result.success) return result.data as Preprocessing;
  const issue = result.error.issues[0]!;
  const path = issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    field,
  );
  throw new ModelFileError(`${path}: ${issue.message.replace(/^Invalid input: /, '')}`);
}
