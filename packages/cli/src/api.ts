// Everything the command line uses, from the packages' public APIs only.
export * from '@backpropjs/core';
export * from '@backpropjs/datasets';
export * from '@backpropjs/onnx';
