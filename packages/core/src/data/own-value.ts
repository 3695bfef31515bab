/**
 * A record's own property, never one inherited from Object.prototype: a record without a
 * `constructor` or `__proto__` field reads as missing (undefined), not as Object's function or
 * prototype, and a column named so reads its own value.
 * @param record - a row as an object (parsed JSON, a CSV record, or a caller's object)
 * @param key - the column name
 * @returns the value, or undefined when the record has no such own field
 * @throws never
 */
export function ownValue(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}
