import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// src/browser.ts is the library for pages: no module it imports, directly or not, may import a
// Node built-in. These tests read the import graph from the sources, so they need no browser.

const root = fileURLToPath(new URL('..', import.meta.url));
const src = resolve(root, 'src');

/** The specifiers of a module's static imports, re-exports and dynamic imports. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm)) {
    found.push(match[1]!);
  }
  for (const match of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) found.push(match[1]!);
  // Dynamic imports, but not `typeof import('…')`, which is a type and erased.
  for (const match of text.matchAll(/(?<!typeof\s+)\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push(match[1]!);
  }
  return found;
}

/** Every module reachable from `entry` by relative imports, and every other specifier met. */
function importGraph(entry: string): { modules: string[]; external: Map<string, string> } {
  const seen = new Set<string>();
  const external = new Map<string, string>(); // specifier → first module importing it
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiers(file)) {
      if (specifier.startsWith('.'))
        visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!external.has(specifier)) external.set(specifier, file.slice(root.length));
    }
  };
  visit(entry);
  return { modules: [...seen], external };
}

/** Node's built-in modules, with and without the node: prefix. */
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || nodeBuiltins.has(specifier.split('/')[0]!);
}

/** The names a module exports with `export { … } from './x.js'`, by source module. */
function exportedNames(file: string): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    const list = match[1]!
      .split(',')
      .map((name) => name.replace(/^\s*type\s+/, '').trim())
      .map((name) => name.split(/\s+as\s+/).pop()!)
      .filter((name) => name !== '');
    names.set(match[2]!, [...(names.get(match[2]!) ?? []), ...list]);
  }
  return names;
}

describe('the browser entry (src/browser.ts)', () => {
  it('imports no Node built-in anywhere in its import graph', () => {
    const { modules, external } = importGraph(resolve(src, 'browser.ts'));
    expect(modules.length).toBeGreaterThan(10);
    const builtins = [...external].filter(([specifier]) => isNodeBuiltin(specifier));
    expect(builtins.map(([specifier, by]) => `${specifier} (imported by ${by})`)).toEqual([]);
  });

  it('is all of index.ts but what needs Node: index.ts adds only modules that import a built-in', () => {
    expect(readFileSync(resolve(src, 'index.ts'), 'utf8')).toMatch(
      /^export \* from '\.\/browser\.js';$/m,
    );
    const browserSafe: string[] = [];
    for (const [from, names] of exportedNames(resolve(src, 'index.ts'))) {
      const { external } = importGraph(resolve(src, from.replace(/\.js$/, '.ts')));
      if (![...external.keys()].some(isNodeBuiltin))
        browserSafe.push(`${names.join(', ')} (from ${from})`);
    }
    // An export of index.ts whose module needs no Node built-in belongs in browser.ts.
    expect(browserSafe, 'move these to src/browser.ts').toEqual([]);
  });

  it('leaves out what reads files; its saveModel and loadModel take URLs, not paths', () => {
    const exported = exportedNames(resolve(src, 'browser.ts'));
    const browser = [...exported.values()].flat();
    for (const name of ['readIdxFile', 'readIdxFileSync', 'loadMnist']) {
      expect(browser).not.toContain(name);
    }
    expect(exported.get('./io/model-url.js')).toEqual(
      expect.arrayContaining(['saveModel', 'loadModel']),
    );
    expect(exportedNames(resolve(src, 'index.ts')).get('./io/model-file.js')).toEqual([
      'saveModel',
      'loadModel',
      'SaveModelOptions',
    ]);
  });

  it('is what the package gives under the "browser" export condition', () => {
    // dist/ is compiled by test/global-setup.ts; the package imports itself by name.
    const keys = (conditions: string[]) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            ...conditions,
            '--input-type=module',
            '-e',
            "console.log(JSON.stringify(Object.keys(await import('@backpropjs/core')).sort()))",
          ],
          { cwd: root, encoding: 'utf8' },
        ),
      ) as string[];
    const browser = keys(['--conditions=browser']);
    const node = keys([]);
    expect(browser).toContain('modelFromJSON');
    expect(browser).toContain('Sequential');
    expect(browser).not.toContain('loadMnist');
    expect(node).toContain('saveModel'); // loadMnist is @backpropjs/datasets' since the split
    expect(browser).toContain('tableFromRecords');
    expect(node).toEqual(expect.arrayContaining(browser));
    expect(node).not.toContain('loadMnist'); // in @backpropjs/datasets now
  });
});
