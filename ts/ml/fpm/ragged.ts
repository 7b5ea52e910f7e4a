/**
 * Lists of integers as plain data (what crosses a task boundary or stays on an executor as a
 * block): itemsets of ranks, encoded sequences, patterns, postfixes — list i is
 * data[offsets[i] .. offsets[i + 1]). Built with `RaggedBuilder`, allocated by the task
 * (TaskContext.alloc) when the lists are kept as blocks, so a `local[N]` pool shares them.
 */
import { allocator } from '../../src/exec/shared-memory.js';
import type { ArrayCtor, TaskContext } from '../../src/exec/task.js';

export interface Ragged {
  data: Int32Array;
  offsets: Int32Array;
}

/** Allocation on this thread's heap (results that go back to the driver). */
export const heap: TaskContext['alloc'] = allocator(false);

/** A typed array of `values`, allocated by `alloc`. */
export function typed<C extends Float64ArrayConstructor | Int32ArrayConstructor>(alloc: TaskContext['alloc'], ctor: C & ArrayCtor, values: readonly number[]): InstanceType<C> {
  const out = alloc(ctor, values.length) as InstanceType<C>;
  out.set(values);
  return out;
}

export class RaggedBuilder {
  private readonly data: number[] = [];
  private readonly offsets: number[] = [0];

  /** Appends one list. */
  push(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.data.push(values[i]!);
    this.offsets.push(this.data.length);
    return this;
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  build(alloc: TaskContext['alloc'] = heap): Ragged {
    return { data: typed(alloc, Int32Array, this.data), offsets: typed(alloc, Int32Array, this.offsets) };
  }
}

export function raggedLength(r: Ragged): number {
  return r.offsets.length - 1;
}

/** List i (a view). */
export function listAt(r: Ragged, i: number): Int32Array {
  return r.data.subarray(r.offsets[i]!, r.offsets[i + 1]!);
}
