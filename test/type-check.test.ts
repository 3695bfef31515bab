import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { typeErrors } from './type-check.js';

// The in-process type check that the exported-code tests use: it reports a wrong use of the
// library's types in the checked file, and nothing for a correct one.

// Inside the repository (so that it resolves the workspace's packages), under the gitignored
// test-artifacts/, which the project's tsconfig does not include.
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const directory = mkdtempSync(join(artifacts, 'type-check-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

it('finds a type error in a module that uses the library, and none in a correct one', () => {
  const good = join(directory, 'good.ts');
  const bad = join(directory, 'bad.ts');
  const body = "import { Dense } from '@backpropjs/core';\n";
  writeFileSync(good, `${body}export const layer = new Dense(2, 3, { activation: 'relu' });\n`);
  writeFileSync(bad, `${body}export const units: string = new Dense(2, 3).outputs;\n`);
  expect(typeErrors(good)).toEqual([]);
  expect(typeErrors(bad)).toEqual(["Type 'number' is not assignable to type 'string'."]);
});
