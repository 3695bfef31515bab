import { ATTRIBUTE_TYPE, type AttributeMessage, type NodeMessage } from './schema.js';

/** A node with one output. */
export function node(
  name: string,
  opType: string,
  input: string[],
  output: string,
  attribute: AttributeMessage[] = [],
): NodeMessage {
  return { name, opType, input, output: [output], attribute };
}

/** An INT attribute. */
export function intAttribute(name: string, i: number): AttributeMessage {
  return { name, type: ATTRIBUTE_TYPE.INT, i, floats: [], ints: [] };
}

/** A FLOAT attribute (stored as float32). */
export function floatAttribute(name: string, f: number): AttributeMessage {
  return { name, type: ATTRIBUTE_TYPE.FLOAT, f, floats: [], ints: [] };
}

/** An INTS attribute (e.g. ReduceMean's axes). */
export function intsAttribute(name: string, ints: number[]): AttributeMessage {
  return { name, type: ATTRIBUTE_TYPE.INTS, floats: [], ints };
}
