import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
const root = fileURLToPath(new URL('..', import.meta.url));

/** The last program type-checked: the next reuses its unchanged files (the library's sources). */
let previous: ts.Program | undefined;

/**
 * Type-checks a module with the repository's tsconfig.json (strict; @backpropjs/* mapped to
 * the sources) through TypeScript's API, in this process.
 * @param file - an absolute path inside the repository
 * @returns the messages about that file (none when it passes)
 */
export function typeErrors(file: string): string[] {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config as object;
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([file], { ...options, noEmit: true }, undefined, previous);
  previous = program;
  // That file's diagnostics only: the checker resolves what it imports as it needs to, instead
  // of checking every source of the library (which npm test's tsc run already does).
  const source = program.getSourceFile(file);
  if (source === undefined) return [`${file}: not found`];
  return [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source),
  ].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
