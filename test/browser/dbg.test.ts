import { it } from 'vitest';
import { startPlayground, launchChromium, root } from './chromium.js';
import { join } from 'node:path';
it('dbg', async () => {
const { url, server } = await startPlayground({ root: join(root, 'test/browser/library-page') });
const b = await launchChromium();
const p = await b.context.newPage();
p.on('console', m => console.log('console', m.text()));
p.on('request', r => { if (/browser|worker/.test(r.url())) console.log('req', r.url()); });
await p.goto(url);
await p.waitForFunction(() => (window as any).backprop !== undefined);
console.log(await p.evaluate(() => Object.keys((window as any).backprop).filter(k => /worker|Training/i.test(k))));
await b.close(); await server.close();
}, 60000);
