import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as browser from '../../src/browser.js';
import * as node from '../../src/index.js';
import {
  ConfigError,
  Dense,
  ModelFileError,
  Sequential,
  parseModelUrl,
} from '../../src/browser.js';

// Model URLs in Node, through both entries: the browser entry's saveModel/loadModel take URLs
// only; Node's take paths and URLs. localStorage and fetch are stood in for by small fakes
// (IndexedDB and downloads run in Chromium: test/browser/library.test.ts).

/** A Storage backed by a Map, as a page's localStorage behaves (strings in, strings out). */
class MapStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (value.length > 1e6) throw new Error('The quota has been exceeded.');
    this.items.set(key, String(value));
  }
}

function model(dtype: 'float32' | 'float64'): Sequential {
  return new Sequential(
    [new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 2, { activation: 'softmax' })],
    { dtype, seed: 7 },
  );
}

/** The parameters' bytes, layer by layer: equal bytes mean a bit-exact round trip. */
function bytes(m: Sequential): number[][] {
  return m.layers.flatMap((layer) =>
    layer.parameters().map((p) => Array.from(new Uint8Array(p.value.data.buffer.slice(0)))),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('parseModelUrl', () => {
  it('splits the five schemes, case-insensitively, and leaves paths alone', () => {
    expect(parseModelUrl('localstorage://xor')).toEqual({ scheme: 'localstorage', name: 'xor' });
    expect(parseModelUrl('IndexedDB://a/b')).toEqual({ scheme: 'indexeddb', name: 'a/b' });
    expect(parseModelUrl('https://x.org/m.json')).toEqual({
      scheme: 'https',
      name: 'x.org/m.json',
    });
    expect(parseModelUrl('model.json')).toBeUndefined();
    expect(parseModelUrl('C:\\models\\m.json')).toBeUndefined();
    expect(parseModelUrl('file:///tmp/m.json')).toBeUndefined();
    expect(() => parseModelUrl('downloads://')).toThrow(
      new ConfigError('downloads://: expected a model name after downloads://, found none'),
    );
  });
});

describe.each([
  ['browser', browser],
  ['node', node],
] as const)('saveModel and loadModel of the %s entry', (_, entry) => {
  it.each(['float32', 'float64'] as const)(
    'round-trip %s through localstorage:// bit-exactly',
    async (dtype) => {
      const storage = new MapStorage();
      vi.stubGlobal('localStorage', storage);
      const saved = model(dtype);
      await entry.saveModel(saved, 'localstorage://m', { metadata: { note: 'x' } });
      expect([...storage.items.keys()]).toEqual(['backprop-models/m']);
      expect(storage.items.get('backprop-models/m')).toBe(entry.modelToText(saved, { note: 'x' }));
      const loaded = await entry.loadModel('localstorage://m');
      expect(bytes(loaded)).toEqual(bytes(saved));
      expect(loaded.dtype).toBe(dtype);
      expect(loaded.metadata).toEqual({ note: 'x' });
    },
  );

  it('loads http(s) URLs with fetch and names the URL and status when it fails', async () => {
    const saved = model('float64');
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return url.endsWith('/m.json')
        ? new Response(entry.modelToText(saved))
        : new Response('gone', { status: 404, statusText: 'Not Found' });
    });
    const loaded = await entry.loadModel('https://example.test/m.json');
    expect(bytes(loaded)).toEqual(bytes(saved));
    await expect(entry.loadModel('http://example.test/x.json')).rejects.toThrow(
      new ModelFileError('http://example.test/x.json: expected HTTP 200, found 404 Not Found'),
    );
    expect(fetched).toEqual(['https://example.test/m.json', 'http://example.test/x.json']);
  });

  it('refuses what the storage cannot do, naming the URL', async () => {
    vi.stubGlobal('localStorage', new MapStorage());
    await expect(entry.loadModel('localstorage://none')).rejects.toThrow(
      new ModelFileError(
        'localstorage://none: expected a saved model under the key "backprop-models/none", found none',
      ),
    );
    localStorage.setItem('backprop-models/bad', '{"format": "backprop-model", "version": 9}');
    await expect(entry.loadModel('localstorage://bad')).rejects.toThrow(
      /^localstorage:\/\/bad: version: expected 1, 2 or 3, found 9/,
    );
    localStorage.setItem('backprop-models/text', 'not json');
    await expect(entry.loadModel('localstorage://text')).rejects.toThrow(
      /^localstorage:\/\/text: expected a JSON model file, found text that is not JSON/,
    );
    const big = new Sequential([new Dense(400, 400)], { dtype: 'float64' });
    await expect(entry.saveModel(big, 'localstorage://big')).rejects.toThrow(
      /^cannot save localstorage:\/\/big \(\d+ characters\): The quota has been exceeded\.$/,
    );
    await expect(entry.saveModel(model('float32'), 'https://x.org/m.json')).rejects.toThrow(
      'saveModel cannot write https://x.org/m.json: http(s) URLs are read-only here',
    );
    await expect(entry.loadModel('downloads://m')).rejects.toThrow(ConfigError);
  });

  it('says which storage a runtime lacks (Node has no localStorage, IndexedDB or document)', async () => {
    vi.stubGlobal('localStorage', undefined);
    await expect(entry.saveModel(model('float32'), 'localstorage://m')).rejects.toThrow(
      /^localstorage:\/\/m needs a page's localStorage, which this runtime lacks/,
    );
    await expect(entry.loadModel('indexeddb://m')).rejects.toThrow(
      /^indexeddb:\/\/m needs IndexedDB \(a page or a Web Worker\), which this runtime lacks/,
    );
    await expect(entry.saveModel(model('float32'), 'downloads://m')).rejects.toThrow(
      /^downloads:\/\/m\.json needs a page's document/,
    );
  });
});

describe('file paths', () => {
  it('are refused by the browser entry with a ConfigError that lists the schemes', async () => {
    await expect(browser.saveModel(model('float32'), 'model.json')).rejects.toThrow(
      new ConfigError(
        'saveModel: expected a URL starting with localstorage://, indexeddb://, downloads://, ' +
          'http://, https://; received "model.json" (a file path needs Node: import ' +
          '@backpropjs/core there)',
      ),
    );
    await expect(browser.loadModel('/tmp/m.json')).rejects.toThrow(/^loadModel: expected a URL/);
  });

  it('are files for the Node entry, with the same text as browser storage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-url-'));
    try {
      const saved = model('float32');
      await node.saveModel(saved, join(dir, 'm.json'));
      expect(bytes(await node.loadModel(join(dir, 'm.json')))).toEqual(bytes(saved));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
