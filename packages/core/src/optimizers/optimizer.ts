import { ConfigError, ShapeError } from '../errors.js';
import { checkLearningRate, checkNonNegative } from './checks.js';

export {
  checkLearningRate,
  checkNonNegative,
  checkOptimizerOptions,
  checkUnitInterval,
} from './checks.js';
import { base64ToBytes, BYTES_PER_ELEMENT, bytesToFloats, floatsToBase64 } from '../io/base64.js';
import { allocate, DTYPES, dtypeOf, type DType, type FloatArray } from '../tensor/matrix.js';
import type { Matrix } from '../tensor/matrix.js';

/** An optimizer's hyperparameters, as passed to its constructor and returned by getConfig(). */
export type OptimizerConfig = Record<string, number | boolean>;

/**
 * The JSON-serialisable state of an {@link Optimizer}: the step count t and, per state buffer
 * ("slot", e.g. Adam's `m` and `v`), one base64 string per parameter holding the little-endian
 * float32 or float64 values exactly.
 */
export interface OptimizerState {
  /** The optimizer's class, e.g. 'Adam'; setState rejects another's state. */
  className: string;
  /** t, the number of steps taken. */
  step: number;
  /** Element type of the slot buffers (that of the parameters); null before the first step. */
  dtype: DType | null;
  /** Slot name → one base64 string per parameter, in the order of the parameters. */
  slots: Record<string, string[]>;
}

/**
 * The base of every optimizer: it updates flat parameter tensors in place from their
 * gradients and knows nothing of layers (DESIGN.md). Subclasses give the per-parameter update
 * of one step; the base counts steps, checks shapes, allocates the state buffers ("slots") on
 * the first step, with the dtype of the parameters, and (de)serialises them. After the first
 * step, `step` allocates nothing. The update loops run in TypeScript over `parameter.data`
 * (parameters may live in a backend's memory, e.g. WASM; the loops read and write them there).
 *
 * Hyperparameter names follow the constructors' options: `learningRate` is PyTorch's γ (`lr`);
 * `weightDecay` is λ (`weight_decay`).
 */
export abstract class Optimizer {
  /** The class name stored with the state and config, e.g. 'Adam'. */
  abstract readonly className: string;
  /** λ ≥ 0; its meaning (an L2 term in the gradient, or decoupled decay) is per optimizer. */
  readonly weightDecay: number;
  #learningRate: number;
  #step = 0;
  #slots: Record<string, FloatArray[]> | undefined;
  /** The slots of each parameter, bound on the first step; undefined again after setState. */
  #perParameter: Record<string, FloatArray>[] | undefined;
  #sizes: number[] = [];
  /** The parameters of the first step (after construction or setState): the only ones stepped. */
  #bound: Matrix[] | undefined;

  /**
   * @throws {ConfigError} when learningRate is not a finite number > 0 or weightDecay is not a
   *   finite number ≥ 0 (echoes the value received).
   */
  constructor(learningRate: number, weightDecay: number) {
    this.#learningRate = checkLearningRate(learningRate);
    this.weightDecay = checkNonNegative(weightDecay, 'weightDecay');
  }

  /**
   * γ, the step size of the next step. Learning-rate schedules assign it before each batch.
   * @throws {ConfigError} when assigned a value that is not a finite number > 0.
   */
  get learningRate(): number {
    return this.#learningRate;
  }

  set learningRate(value: number) {
    this.#learningRate = checkLearningRate(value);
  }

  /** t, the number of steps taken so far (Keras `iterations`). */
  get iterations(): number {
    return this.#step;
  }

  /** The names of this optimizer's state buffers, one buffer per parameter each. */
  protected abstract readonly slotNames: readonly string[];

  /** The value the slots start from (0 except for Adagrad's accumulator). */
  protected initialValue(): number {
    return 0;
  }

  /**
   * One step of the update for one parameter tensor, in place.
   * @param theta - the parameter's values θ (updated)
   * @param g - its gradient ∂L/∂θ (read only)
   * @param slots - this parameter's state buffers, by slot name, θ's length and dtype
   * @param t - the step number, 1 for the first step
   */
  protected abstract update(
    theta: FloatArray,
    g: FloatArray,
    slots: Readonly<Record<string, FloatArray>>,
    t: number,
  ): void;

  /** The hyperparameters, so that `new (this.constructor)(this.getConfig())` is an equal optimizer. */
  abstract getConfig(): OptimizerConfig;

  /**
   * Updates every parameter in place from its gradient: one step of the optimizer.
   * @param parameters - e.g. `model.parameters()`, [W¹, b¹, W², b², …]
   * @param gradients - ∂L/∂θ for each parameter, the same shapes (read only)
   * @throws {ShapeError} when the lists' lengths or a pair's shapes differ.
   * @throws {ConfigError} when the optimizer holds state for other parameters: it binds to the
   *   parameters of its first step (after construction or setState), as PyTorch's optimizers
   *   are given theirs, and refuses any others.
   */
  step(parameters: readonly Matrix[], gradients: readonly Matrix[]): void {
    const slots = this.#prepare(parameters, gradients);
    const t = ++this.#step;
    for (let i = 0; i < parameters.length; i++) {
      this.update(parameters[i]!.data, gradients[i]!.data, slots[i]!, t);
    }
  }

  /** The JSON-serialisable state: t and every slot buffer, exactly. */
  getState(): OptimizerState {
    const slots: Record<string, string[]> = {};
    for (const name of this.slotNames) {
      slots[name] = (this.#slots?.[name] ?? []).map((values) => floatsToBase64(values));
    }
    const first = this.#slots?.[this.slotNames[0] ?? '']?.[0];
    return {
      className: this.className,
      step: this.#step,
      dtype: first === undefined ? null : dtypeOf(first),
      slots,
    };
  }

  /**
   * Restores a state from {@link Optimizer.getState} (of an optimizer of this class and
   * configuration); the next step continues bit for bit as the saved optimizer would have.
   * @throws {ConfigError} for another class's state, a missing or extra slot, or a malformed
   *   field (names it, with what was expected and found).
   */
  setState(state: OptimizerState): void {
    const where = `${this.className}.setState`;
    if (typeof state !== 'object' || state === null) {
      throw new ConfigError(`${where}: expected a state object, found ${String(state)}`);
    }
    if (state.className !== this.className) {
      throw new ConfigError(
        `${where}: expected the state of a ${this.className}, found that of ${JSON.stringify(state.className)}`,
      );
    }
    if (!Number.isSafeInteger(state.step) || state.step < 0) {
      throw new ConfigError(
        `${where}: step must be an integer >= 0; found ${JSON.stringify(state.step)}`,
      );
    }
    const names = Object.keys(state.slots ?? {}).sort();
    const expected = [...this.slotNames].sort();
    if (names.join() !== expected.join()) {
      throw new ConfigError(
        `${where}: expected slots [${expected.join(', ')}], found [${names.join(', ')}]; ` +
          'help: was the state saved with other options (e.g. momentum, centered, amsgrad)?',
      );
    }
    if (state.dtype !== null && !DTYPES.includes(state.dtype)) {
      throw new ConfigError(
        `${where}: dtype must be float32, float64 or null; found ${state.dtype}`,
      );
    }
    let slots: Record<string, FloatArray[]> | undefined;
    if (state.dtype !== null) {
      const dtype = state.dtype;
      const decoded: Record<string, FloatArray[]> = {};
      for (const name of expected) {
        const texts: unknown = state.slots[name];
        if (!Array.isArray(texts)) {
          throw new ConfigError(`${where}: slots.${name} must be an array of base64 strings`);
        }
        decoded[name] = texts.map((text: unknown, i) => {
          const bytes = typeof text === 'string' ? base64ToBytes(text) : undefined;
          if (bytes === undefined || bytes.length % BYTES_PER_ELEMENT[dtype] !== 0) {
            throw new ConfigError(
              `${where}: slots.${name}[${i}] must be base64 of ${dtype} values; found other text`,
            );
          }
          return bytesToFloats(bytes, dtype);
        });
      }
      slots = expected.length > 0 ? decoded : undefined;
    }
    this.#step = state.step;
    this.#slots = slots;
    this.#perParameter = undefined;
    this.#bound = undefined;
  }

  /**
   * The fused-step capability: when this optimizer's update is exactly θ ← θ − γ·∂L/∂θ, the
   * scale −γ with which the backward pass may add the gradient straight into θ (a layer's
   * gradient sink with beta 1), never storing it; undefined when the update needs the gradient
   * itself (state, decay). Only plain SGD can fuse.
   */
  fusedScale(): number | undefined {
    return undefined;
  }

  /** e.g. 'Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, weightDecay=0)'. */
  toString(): string {
    const config = Object.entries(this.getConfig()).map(([key, value]) => `${key}=${value}`);
    return `${this.className}(${config.join(', ')})`;
  }

  /** Checks shapes; allocates the slots on the first step (or adopts restored ones). */
  #prepare(
    parameters: readonly Matrix[],
    gradients: readonly Matrix[],
  ): Record<string, FloatArray>[] {
    if (parameters.length !== gradients.length) {
      throw new ShapeError(
        `${this.className}.step needs one gradient per parameter; received ` +
          `${parameters.length} parameters and ${gradients.length} gradients`,
      );
    }
    for (let i = 0; i < parameters.length; i++) {
      const p = parameters[i]!;
      const g = gradients[i]!;
      if (p.rows !== g.rows || p.cols !== g.cols) {
        throw new ShapeError(
          `${this.className}.step: gradient ${i} must have the shape of parameter ${i} ` +
            `[${p.rows}, ${p.cols}]; received [${g.rows}, ${g.cols}]`,
        );
      }
    }
    const cached = this.#perParameter;
    const bound = this.#bound;
    if (cached !== undefined && bound !== undefined && this.#sameSizes(parameters)) {
      if (parameters.every((p, i) => p === bound[i])) return cached;
      throw new ConfigError(
        `${this.className} is bound to the parameters of its first step (another model's, or ` +
          'copies); stepping other parameters would carry its state over; help: use a new ' +
          'optimizer for another model',
      );
    }
    const slots = this.#bind(parameters);
    this.#bound = [...parameters];
    return (this.#perParameter = slots);
  }

  /** The slots per parameter; allocates them, or checks and converts restored ones. */
  #bind(parameters: readonly Matrix[]): Record<string, FloatArray>[] {
    const wanted = parameters.map((p) => p.data.length);
    if (this.#slots === undefined) {
      this.#slots = {};
      for (const name of this.slotNames) {
        this.#slots[name] = parameters.map((p) =>
          allocate(p.dtype, p.data.length).fill(this.initialValue()),
        );
      }
    }
    const slots = this.#slots;
    for (const name of this.slotNames) {
      const buffers = slots[name]!;
      const sizes = buffers.map((b) => b.length);
      if (sizes.join() !== wanted.join()) {
        throw new ConfigError(
          `${this.className} holds state for parameters of sizes [${sizes.join(', ')}]; ` +
            `received parameters of sizes [${wanted.join(', ')}]; help: use a new optimizer ` +
            'for another model',
        );
      }
      // Restored state of the other dtype: converted once, to the parameters' dtype.
      buffers.forEach((b, i) => {
        const dtype = parameters[i]!.dtype;
        if (dtypeOf(b) !== dtype) buffers[i] = allocate(dtype, b.length).map((_, k) => b[k]!);
      });
    }
    this.#sizes = wanted;
    return parameters.map((_, i) => {
      const entry: Record<string, FloatArray> = {};
      for (const name of this.slotNames) entry[name] = slots[name]![i]!;
      return entry;
    });
  }

  #sameSizes(parameters: readonly Matrix[]): boolean {
    if (parameters.length !== this.#sizes.length) return false;
    for (let i = 0; i < parameters.length; i++) {
      if (parameters[i]!.data.length !== this.#sizes[i]) return false;
    }
    return true;
  }
}
