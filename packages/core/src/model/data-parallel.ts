import type { ShardPrograms } from '../backend/backend.js';
import { BackpropError } from '../errors.js';
import type { GradientSink, LayerContext } from '../layers/layer.js';
import type { Loss } from '../losses.js';
import type { Matrix } from '../tensor/matrix.js';
import { isFused, outputGradient, setOutput, type Network } from './propagation.js';
import type { Trace, Workspace } from './trace.js';
import type { Workspaces } from './workspaces.js';

/**
 * Rows per shard of a batch. Fixed (never dependent on the thread count), so a batch is cut
 * the same way on any number of threads and the results are the same bits. Measured on the
 * 2-core machine (MNIST 784-128-10): 16 rows give batch 32 two shards to share; 8-row shards
 * cost more in per-shard gradients and their reduction than they gain.
 */
export const SHARD_ROWS = 16;

/** A shard of a batch: rows [16s, 16s + rows) of every batch buffer, and its gradient sinks. */
interface Shard {
  readonly workspace: Workspace;
  /** Its batch buffers, in allocation order (rows of the batch's). */
  readonly buffers: Matrix[];
  readonly rows: number;
  /** What its layers' backward gets, per layer and parameter: a sink of `own`, or null. */
  readonly sinks: (GradientSink | null)[][];
  /** Its sinks (null for the layers that run on the whole batch), retargeted per batch. */
  readonly own: (GradientSink | null)[][];
}

/** A workspace cut into shards, made once per batch size. */
interface Plan {
  readonly workspace: Workspace;
  /** The index of each batch buffer, and of each of shard 0's, in allocation order. */
  readonly index: Map<Matrix, number>;
  readonly index0: Map<Matrix, number>;
  readonly buffers: Matrix[];
  readonly shards: Shard[];
}

/**
 * Data-parallel forward and backward propagation: a batch of more than SHARD_ROWS examples is
 * cut into shards of SHARD_ROWS rows (the last one shorter). The layers that compute rows on
 * the backend alone ({@link Layer.computesRowsOnBackend}: Dense with a built-in activation)
 * are recorded per shard as programs and run by the backend's threads, each shard on one
 * thread; every other layer (normalisation, dropout, noise, custom activations), the loss and
 * its gradient run on the calling thread over the whole batch, between parallel phases, as in
 * the serial loop (batch statistics over all rows, masks drawn in row order). The shards'
 * parameter gradients gₛ = (scale·rowsₛ/B)·ΔₛᵀAₛ (and column sums) are gathered, and a last
 * phase adds them into each sink in shard order 0..S−1 (target = β·target + g₀ + g₁ + …), split
 * over the threads by rows of the parameter. Every element is computed by one thread in an
 * order fixed by the batch size alone, so the results are the same bits on any thread count.
 */
export class DataParallel {
  readonly #network: Network;
  readonly #workspaces: Workspaces;
  readonly #programs: ShardPrograms;
  readonly #context: LayerContext;
  /** Per layer: whether it runs on the shards (else on the whole batch). */
  readonly #device: boolean[];
  readonly #plans = new WeakMap<Trace, Plan | null>();

  /**
   * @param context - the model's; its backend must have `programs`
   * @throws {BackpropError} when the backend runs no programs
   */
  constructor(network: Network, workspaces: Workspaces, context: LayerContext) {
    const programs = context.backend.programs;
    if (programs === undefined) throw new BackpropError('this backend runs no programs');
    this.#network = network;
    this.#workspaces = workspaces;
    this.#programs = programs;
    this.#context = { ...context, backend: programs.recorder };
    this.#device = network.layers.map((layer) => layer.computesRowsOnBackend());
  }

  /**
   * Forward propagation of a workspace's trace, as propagation.forwardTrace computes it.
   * @returns false (having done nothing) for a batch of one shard or a trace of no workspace
   */
  forward(trace: Trace, training: boolean): boolean {
    const plan = this.#plan(trace);
    if (plan === null) return false;
    const { layers } = this.#network;
    const K = layers.length;
    for (let k = 0; k < K;) {
      if (!this.#device[k]) {
        const output = layers[k]!.forward(trace.outputs[k]!, trace.states[k]!, training);
        setOutput(this.#network, trace, k, output);
        for (let s = 0; s < plan.shards.length; s++) {
          const shard = plan.shards[s]!;
          const outputs = shard.workspace.trace.outputs;
          outputs[k + 1] =
            output === trace.outputs[k]
              ? outputs[k]!
              : shard.buffers[this.#find(plan.index, output, k)]!;
        }
        k++;
        continue;
      }
      let end = k;
      while (end < K && this.#device[end]) end++;
      this.#programs.begin();
      for (let s = 0; s < plan.shards.length; s++) {
        this.#programs.task(s);
        const { outputs, states } = plan.shards[s]!.workspace.trace;
        for (let j = k; j < end; j++) {
          outputs[j + 1] = layers[j]!.forward(outputs[j]!, states[j]!, training);
        }
      }
      this.#programs.run();
      const first = plan.shards[0]!.workspace.trace.outputs;
      for (let j = k; j < end; j++) {
        const output =
          first[j + 1] === first[j]
            ? trace.outputs[j]!
            : plan.buffers[this.#find(plan.index0, first[j + 1]!, j)]!;
        setOutput(this.#network, trace, j, output);
      }
      k = end;
    }
    return true;
  }

  /**
   * Backpropagation into a workspace, as propagation.backwardTrace computes it (up to the order
   * of the sums over the batch), after {@link DataParallel.forward} of its trace.
   * @returns false (having done nothing) when forward would, or `y` is not the workspace's
   *   targets
   */
  backward(
    workspace: Workspace,
    y: Matrix,
    loss: Loss,
    sinks: readonly (readonly (GradientSink | null)[])[],
    weights?: Float64Array,
  ): boolean {
    const { trace, gradOutputs } = workspace;
    const plan = this.#plan(trace);
    if (plan === null || plan.workspace !== workspace || y !== workspace.target) return false;
    const { layers } = this.#network;
    const K = layers.length;
    this.#retarget(plan, sinks);
    // δᴸ = aᴸ − y per shard, or the output gradient on the whole batch.
    const perShard = this.#device[K - 1]! && weights === undefined && isFused(this.#network, loss);
    const noGradOutput =
      perShard || outputGradient(this.#network, workspace, y, loss, weights) === null;
    for (let k = K - 1; k >= 0;) {
      if (!this.#device[k]) {
        const gradOutput = k === K - 1 && noGradOutput ? null : gradOutputs[k + 1]!;
        const gradInput = k > 0 ? gradOutputs[k]! : null;
        const { outputs, states } = trace;
        layers[k]!.backward(
          outputs[k]!,
          outputs[k + 1]!,
          states[k]!,
          gradOutput,
          gradInput,
          sinks[k]!,
        );
        k--;
        continue;
      }
      let low = k;
      while (low > 0 && this.#device[low - 1]) low--;
      this.#programs.begin();
      for (let s = 0; s < plan.shards.length; s++) {
        this.#programs.task(s);
        const shard = plan.shards[s]!;
        const { trace: own, gradOutputs: grads, target } = shard.workspace;
        if (perShard && k === K - 1) {
          const delta = layers[K - 1]!.logits!(own.states[K - 1]!).delta;
          this.#programs.recorder.subtract(own.outputs[K]!, target, delta);
        }
        for (let j = k; j >= low; j--) {
          const gradOutput = j === K - 1 && noGradOutput ? null : grads[j + 1]!;
          const gradInput = j > 0 ? grads[j]! : null;
          const { outputs, states } = own;
          layers[j]!.backward(
            outputs[j]!,
            outputs[j + 1]!,
            states[j]!,
            gradOutput,
            gradInput,
            shard.sinks[j]!,
          );
        }
      }
      // The lowest shard phase also sums every gathered gradient, after a barrier.
      if (low === this.#device.indexOf(true)) this.#sum(sinks);
      this.#programs.run();
      k = low - 1;
    }
    return true;
  }

  /**
   * Points the shards' sinks at this batch's (scale·rows_s/B, so that each shard's product is
   * scale·ΔₛᵀAₛ/B), and gathers the products into them (ShardPrograms.gather).
   */
  #retarget(plan: Plan, sinks: readonly (readonly (GradientSink | null)[])[]): void {
    const B = plan.workspace.trace.outputs[0]!.rows;
    for (let s = 0; s < plan.shards.length; s++) {
      const shard = plan.shards[s]!;
      for (let k = 0; k < sinks.length; k++) {
        if (!this.#device[k]) continue;
        const own = shard.own[k]!;
        for (let i = 0; i < own.length; i++) {
          const sink = own[i]!;
          const real = sinks[k]![i];
          shard.sinks[k]![i] = real ? sink : null;
          if (!real || sink === null) continue;
          sink.target = real.target;
          sink.scale = (real.scale * shard.rows) / B;
          sink.beta = real.beta;
          if (s === 0) this.#programs.gather(real.target);
        }
      }
    }
  }

  /**
   * The last phase, after a barrier in the program of the lowest shard phase: each gathered
   * parameter gradient summed into its sink over the batch's rows in order (shard 0..S−1),
   * split over the threads by rows of the parameter.
   */
  #sum(sinks: readonly (readonly (GradientSink | null)[])[]): void {
    this.#programs.barrier();
    for (let k = 0; k < sinks.length; k++) {
      if (!this.#device[k]) continue;
      const perLayer = sinks[k]!;
      for (let i = 0; i < perLayer.length; i++) {
        const sink = perLayer[i];
        if (sink) this.#programs.sum(sink.target);
      }
    }
  }

  /** The shards of a trace's workspace, made once; null when it is not to be cut. */
  #plan(trace: Trace): Plan | null {
    let plan = this.#plans.get(trace);
    if (plan !== undefined) return plan;
    plan = this.#cut(trace);
    this.#plans.set(trace, plan);
    return plan;
  }

  #cut(trace: Trace): Plan | null {
    const B = trace.outputs[0]!.rows;
    if (B <= SHARD_ROWS || !this.#device.includes(true)) return null;
    const bounds: number[] = [];
    for (let from = 0; from < B; from += SHARD_ROWS) bounds.push(from);
    bounds.push(B);
    const own = bounds
      .slice(1)
      .map(() =>
        this.#network.layers.map((layer) =>
          layer
            .parameters()
            .map((p): GradientSink | null =>
              p.trainable ? { target: p.value, scale: 1, beta: 0 } : null,
            ),
        ),
      );
    const cut = this.#workspaces.slices(trace, bounds, this.#context, own);
    if (cut === undefined) return null;
    const shards = cut.slices.map(({ workspace, buffers }, s) => ({
      workspace,
      buffers,
      rows: bounds[s + 1]! - bounds[s]!,
      own: own[s]!,
      sinks: own[s]!.map((perLayer) => [...perLayer]),
    }));
    const indexOf = (buffers: Matrix[]) => new Map(buffers.map((m, i) => [m, i]));
    return {
      workspace: cut.workspace,
      index: indexOf(cut.buffers),
      index0: indexOf(shards[0]!.buffers),
      buffers: cut.buffers,
      shards,
    };
  }

  /** A buffer's index. @throws {BackpropError} for an output the model did not allocate. */
  #find(index: Map<Matrix, number>, output: Matrix, k: number): number {
    const found = index.get(output);
    if (found !== undefined) return found;
    throw new BackpropError(
      `${String(this.#network.layers[k])} returned an output that is not one of its batch buffers`,
    );
  }
}
