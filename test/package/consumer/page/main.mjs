// A page that trains XOR: the bundle the consumer test measures and runs in Chromium. The
// result goes to <body data-result="…">.
import { Dense, Sequential } from '@backpropjs/core';
import { trainXor } from '../train-xor.mjs';

trainXor({ Dense, Sequential }).then(
  (result) => (document.body.dataset.result = JSON.stringify(result)),
  (error) => (document.body.dataset.result = JSON.stringify({ error: String(error) })),
);
