// CommonJS: `require` of @backpropjs/core (Node's require(esm), Node >= 20.19), then train XOR
// and print the result as JSON.
const core = require('@backpropjs/core');
const { trainXor } = require('./train-xor.mjs');

trainXor(core).then((result) => console.log(JSON.stringify(result)));
