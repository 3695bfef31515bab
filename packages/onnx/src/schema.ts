import protobuf from 'protobufjs/light.js';

/**
 * The subset of the ONNX protobuf schema (onnx/onnx.proto, proto2, package `onnx`) that a
 * feed-forward network needs, as a protobufjs JSON descriptor: no .proto file is read at run
 * time, so it works in Node and in browsers alike. Field numbers are the official ones; fields
 * left out (sparse tensors, training info, functions, segments, …) are skipped when decoding.
 * Names are camelCase (protobufjs's convention); only the numbers reach the wire.
 * @see https://github.com/onnx/onnx/blob/main/onnx/onnx.proto
 */
const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            docString: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            valueInfo: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            docString: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7, options: { packed: false } },
            ints: { rule: 'repeated', type: 'int64', id: 8, options: { packed: false } },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
            tensors: { rule: 'repeated', type: 'TensorProto', id: 10 },
            docString: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
            refAttrName: { type: 'string', id: 21 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1, options: { packed: false } },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            int32Data: { rule: 'repeated', type: 'int32', id: 5, options: { packed: true } },
            int64Data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: 'repeated', type: 'double', id: 10, options: { packed: true } },
            docString: { type: 'string', id: 12 },
            dataLocation: { type: 'int32', id: 14 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            docString: { type: 'string', id: 3 },
          },
        },
        TypeProto: {
          fields: {
            tensorType: { type: 'TypeProtoTensor', id: 1 },
            denotation: { type: 'string', id: 6 },
          },
        },
        // TypeProto.Tensor, flattened to a top-level name (names do not reach the wire).
        TypeProtoTensor: {
          fields: {
            elemType: { type: 'int32', id: 1 },
            shape: { type: 'TensorShapeProto', id: 2 },
          },
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: 'repeated', type: 'TensorShapeDimension', id: 1 },
          },
        },
        // TensorShapeProto.Dimension: oneof value { dim_value = 1; dim_param = 2 }.
        TensorShapeDimension: {
          oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
          fields: {
            dimValue: { type: 'int64', id: 1 },
            dimParam: { type: 'string', id: 2 },
            denotation: { type: 'string', id: 3 },
          },
        },
      },
    },
  },
};

/** TensorProto.DataType values used here. */
export const DATA_TYPE = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values used here. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** The opset of the default ONNX domain that {@link toOnnx} writes. */
export const ONNX_OPSET = 13;
/** The IR version matching opset 13 (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

/** An int64 as protobufjs decodes it: a number, or a Long when the `long` package is present. */
export type Int64 = number | { toNumber(): number };

/** The decoded shape of the messages (fields absent on the wire are undefined or empty). */
export interface TensorMessage {
  dims: Int64[];
  dataType?: number;
  floatData: number[];
  int32Data: number[];
  int64Data: Int64[];
  name?: string;
  rawData?: Uint8Array;
  doubleData: number[];
  dataLocation?: number;
}
export interface AttributeMessage {
  name?: string;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorMessage | null;
  floats: number[];
  ints: Int64[];
  type?: number;
}
export interface NodeMessage {
  input: string[];
  output: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute: AttributeMessage[];
}
export interface DimensionMessage {
  dimValue?: Int64;
  dimParam?: string;
}
export interface ValueInfoMessage {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim: DimensionMessage[] } } };
}
export interface GraphMessage {
  node: NodeMessage[];
  name?: string;
  initializer: TensorMessage[];
  input: ValueInfoMessage[];
  output: ValueInfoMessage[];
}
export interface ModelMessage {
  irVersion?: Int64;
  producerName?: string;
  producerVersion?: string;
  /** null when absent (protobufjs's default for a message field). */
  graph?: GraphMessage | null;
  opsetImport: { domain?: string; version?: Int64 }[];
  metadataProps: { key?: string; value?: string }[];
}

/** onnx.ModelProto, built once from the descriptor. */
export const ModelProto = protobuf.Root.fromJSON(descriptor).lookupType('onnx.ModelProto');

/** An int64 field's value as a JS number (exact below 2⁵³). */
export function int64(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
