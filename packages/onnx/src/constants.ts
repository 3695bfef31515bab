import { ModelFileError } from '@backpropjs/core';
import type { Constant } from './tensors.js';

/** The constant tensors of a graph (initializers and Constant nodes), read as nodes use them. */
export class Constants {
  readonly #tensors: Map<string, Constant>;
  /** True once a DOUBLE tensor was used (or set for a DOUBLE graph input). */
  double = false;

  constructor(tensors: Map<string, Constant>) {
    this.#tensors = tensors;
  }

  /** True for the name of a constant. */
  has(name: string): boolean {
    return this.#tensors.has(name);
  }

  /** Adds a Constant node's output. */
  set(name: string, constant: Constant): void {
    this.#tensors.set(name, constant);
  }

  /**
   * The constant a node takes as `what`.
   * @throws {ModelFileError} naming the node when the name is not a constant
   */
  get(name: string | undefined, label: string, what: string): Constant {
    const constant = this.#tensors.get(name ?? '');
    if (constant === undefined) {
      throw new ModelFileError(
        `${label}: expected ${what} to be an initializer or a Constant, found ` +
          JSON.stringify(name ?? ''),
      );
    }
    if (constant.double) this.double = true;
    return constant;
  }

  /**
   * A constant broadcast to `width` values: a scalar, [width] or [1, width].
   * @throws {ModelFileError} naming the node and the input otherwise
   */
  vector(name: string | undefined, width: number, label: string, what: string): Float64Array {
    const { values, dims } = this.get(name, label, what);
    if (values.length === 1) return new Float64Array(width).fill(values[0]!);
    if (values.length === width && dims.at(-1) === width) return values;
    throw new ModelFileError(
      `${label}: expected ${what} to have 1 or ${width} values, found dims [${dims.join(', ')}]`,
    );
  }

  /**
   * A constant with one value per feature, [width] or [1, width] (any width when undefined).
   * @throws {ModelFileError} naming the node and the input otherwise
   */
  perFeature(
    name: string | undefined,
    width: number | undefined,
    label: string,
    what: string,
  ): Float64Array {
    const { values, dims } = this.get(name, label, what);
    const n = width ?? values.length;
    if (values.length !== n || dims.at(-1) !== n) {
      throw new ModelFileError(
        `${label}: expected ${what} to have ${n} values (one per feature), found dims ` +
          `[${dims.join(', ')}]`,
      );
    }
    return values;
  }
}
