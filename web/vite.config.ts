import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// The playground's pages (web/index.html, web/digits.html and web/chain-rule.html), served by `npm run playground`
// and built to web/dist by `npm run build:web`. The pages import the library's browser entry
// (src/browser.ts) from source.

const web = fileURLToPath(new URL('.', import.meta.url));
const repository = resolve(web, '..');

/**
 * Serves a model file at /model.json (dev server and `vite preview`): $BACKPROP_MODEL if set,
 * else model.json in the repository root, where `npm run train` writes it. The digits page
 * loads it with its Load button (or ?model=model.json).
 */
function serveModel(): Plugin {
  const handle = (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (request.url?.split('?')[0] !== '/model.json') return next();
    const file = resolve(process.env['BACKPROP_MODEL'] ?? resolve(repository, 'model.json'));
    if (!existsSync(file)) {
      response.statusCode = 404;
      response.end(`no model file at ${file}; train one with npm run train`);
      return;
    }
    response.setHeader('Content-Type', 'application/json');
    response.end(readFileSync(file));
  };
  return {
    name: 'backprop-serve-model',
    configureServer: (server) => void server.middlewares.use(handle),
    configurePreviewServer: (server) => void server.middlewares.use(handle),
  };
}

/**
 * Headers that make the pages cross-origin isolated (crossOriginIsolated is true): a page can
 * then share memory with Web Workers, which the 'wasm' backend's threads need
 * (createBackendAsync). The pages load nothing from other origins, so the isolation costs them
 * nothing; they do not need it either, and run from any static server.
 */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: web,
  // Relative URLs, so the built pages work from any folder of a static server.
  base: './',
  plugins: [serveModel()],
  server: { fs: { allow: [repository] }, headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: {
        playground: resolve(web, 'index.html'),
        digits: resolve(web, 'digits.html'),
        chainRule: resolve(web, 'chain-rule.html'),
      },
    },
  },
});
