// ESM: `import` of @backpropjs/core, then train XOR and print the result as JSON.
import { Dense, Sequential } from '@backpropjs/core';
import { trainXor } from './train-xor.mjs';

console.log(JSON.stringify(await trainXor({ Dense, Sequential })));
