/**
 * The executor backend: what the scheduler (jobs.ts) talks to. `local` runs tasks on the calling
 * thread (inline-backend.ts), `local[N]` on a Piscina pool of N threads (pool-backend.ts); the
 * cluster runtime is to implement the same interface over TCP (ts/cluster holds only its
 * placeholder today). Nothing above this interface branches on which backend it has.
 *
 * Blocks are values kept on the executors (Spark's BlockManager): a DataFrame placed once, a
 * cached DataFrame's partitions, a fit's packed training data, partial results. Tasks name
 * them by id, so a task carries its partition by reference and only broadcast state travels.
 */
import type { TaskRef } from './task.js';

export type BlockId = number;

/**
 * A task's partition: a value that travels with the task, a block the executor holds, or several
 * blocks read together as an array (a fit's data block beside the state it keeps per block).
 */
export type TaskInput = { value: unknown } | { block: BlockId } | { blocks: BlockId[] };

/** One task: run the task `ref` names on one partition. Plain data (it crosses threads and machines). */
export interface TaskSpec {
  ref: TaskRef;
  input: TaskInput;
  broadcast: unknown;
  /** The partition's index in its job. */
  partition: number;
  /** The task returns `Kept` (task.ts): its values stay on the executor as blocks; the driver gets `KeptRef`. */
  keep?: boolean;
  /** Rows the task reads: a scheduling hint (a small job runs where its data is, without a round trip). */
  rows?: number;
  /** The global index of the partition's first row, when known (TaskContext.rowBase). */
  rowBase?: number;
}

/** What the driver gets back for a task run with `keep`. */
export interface KeptRef<M = unknown> {
  ids: BlockId[];
  meta: M;
}

/** Data movement of a backend since it started (bytes copied or moved between threads or machines; shared memory counts 0). */
export interface ExecutorMetrics {
  tasks: number;
  bytesToExecutors: number;
  bytesFromExecutors: number;
}

export interface ExecutorBackend {
  /** Tasks that can run at once (Spark's defaultParallelism). */
  readonly parallelism: number;
  /** Runs the tasks; results (or `KeptRef`s) in task order. The first failure rejects. */
  run(tasks: readonly TaskSpec[]): Promise<unknown[]>;
  /** Places driver values on the executors, once; returns their block ids. */
  put(values: readonly unknown[]): BlockId[];
  /** A block's value, read on the driver (a view, not a copy, where memory is shared). */
  get(id: BlockId): unknown;
  /** Forgets blocks (unknown ids are ignored). */
  drop(ids: readonly BlockId[]): void;
  readonly metrics: ExecutorMetrics;
  /** Resolves when every executor thread has loaded (a session warms its pool when it starts). */
  ready(): Promise<void>;
  close(): Promise<void>;
}
