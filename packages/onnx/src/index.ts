/**
 * ONNX export and import of backprop models (opset 13), through protobufjs.
 * @packageDocumentation
 * @module @backpropjs/onnx
 */
export { toOnnx, ONNX_INPUT, ONNX_OUTPUT, ONNX_OPSET, type ToOnnxOptions } from './export.js';
export { fromOnnx, type FromOnnxOptions } from './import.js';
