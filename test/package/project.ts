import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Rolldown } from 'vite';
import { root } from '../browser/chromium.js';

// Helpers of the consumer test (consumer.test.ts): pack the workspaces as `npm publish` would,
// install tarballs into a fresh project, run commands there, and measure what a page loads.

/** What `npm pack --json` reports of one tarball. */
export interface Packed {
  name: string;
  version: string;
  filename: string;
  /** Bytes of the tarball. */
  size: number;
  /** Bytes of its files, unpacked. */
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** Runs a command and returns its stdout; stderr goes to the test's output. */
export function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
}

/** `npm pack` of every workspace into `into`, as `npm publish` would pack them. */
export function packWorkspaces(into: string): Packed[] {
  mkdirSync(into, { recursive: true });
  return JSON.parse(
    run('npm', ['pack', '--workspaces', '--json', '--pack-destination', into], root),
  ) as Packed[];
}

/**
 * A fresh project in `dir` (its own package.json, ESM) with the tarballs installed from the
 * npm cache (`--prefer-offline`: the registry only for what the cache lacks), and `fixtures`
 * copied in.
 */
export function createProject(dir: string, tarballs: string[], fixtures?: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  if (fixtures !== undefined) cpSync(fixtures, dir, { recursive: true });
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], dir);
}

/** The packages installed in a project's node_modules (scoped ones counted one by one). */
export function installedPackages(dir: string): string[] {
  const modules = join(dir, 'node_modules');
  return readdirSync(modules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) =>
      name.startsWith('@') ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name],
    )
    .sort();
}

/** Bytes of every file under `dir`. */
export function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => statSync(join(dir, file)))
    .filter((stat) => stat.isFile())
    .reduce((sum, stat) => sum + stat.size, 0);
}

/** What a built page loads at start: its JS (the entry and its static imports) and WASM. */
export interface PageBundle {
  /** File names under the build's outDir. */
  files: string[];
  /** Bytes, and gzip bytes at zlib's default level (6), of all of them. */
  bytes: number;
  gzipBytes: number;
}

/**
 * The files a built page loads before any dynamic import(): the HTML's entry chunks, their
 * static imports, transitively, and every .wasm asset; sizes as served with gzip.
 */
export function pageBundle(output: Rolldown.RolldownOutput): PageBundle {
  const chunks = new Map(
    output.output
      .filter((item): item is Rolldown.OutputChunk => item.type === 'chunk')
      .map((chunk) => [chunk.fileName, chunk]),
  );
  const files = new Set<string>();
  const visit = (name: string) => {
    if (files.has(name)) return;
    files.add(name);
    for (const imported of chunks.get(name)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
  const sources = new Map<string, string | Uint8Array>();
  for (const name of files) sources.set(name, chunks.get(name)!.code);
  for (const item of output.output) {
    if (item.type === 'asset' && item.fileName.endsWith('.wasm')) {
      files.add(item.fileName);
      sources.set(item.fileName, item.source);
    }
  }
  const buffers = [...sources.values()].map((source) => Buffer.from(source));
  return {
    files: [...files].sort(),
    bytes: buffers.reduce((sum, buffer) => sum + buffer.length, 0),
    gzipBytes: buffers.reduce((sum, buffer) => sum + gzipSync(buffer).length, 0),
  };
}
