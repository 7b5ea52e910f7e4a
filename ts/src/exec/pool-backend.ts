/**
 * master 'local[N]': a Piscina pool of N worker threads in this process (docs/ARCHITECTURE.md,
 * "Execution"). The native addon is context-aware and loads in every thread.
 *   - Blocks live in shared memory: `put` copies a value into SharedArrayBuffers once, and
 *     outputs a task keeps are allocated there by the task (TaskContext.alloc), so a task names
 *     its partition by id and it reaches the thread without a copy. The driver thread holds the
 *     block table on the executors' behalf (they share the memory).
 *   - Broadcast values and partitions that are not blocks are copied into the message (only
 *     the viewed part of a buffer); replies move their buffers back. `metrics` counts both.
 *   - A small job (fewer than 8,192 rows in all) runs on the calling thread: a round trip to
 *     a worker costs more than the work. So does a job whose partitions are driver values of
 *     8 MB or more (a DataFrame's data on its first use, a driver operator's output): copying
 *     them into the threads' memory (~0.7 ms a MB here, page faults included) costs more than
 *     the partition work a second core would take over (~0.2 ms a MB for a stage ending in a
 *     group-by). Data used again is placed once (dataframe/placement.ts), and then on the pool.
 *   - The pool warms when the session starts (every thread loads the worker entry, ts/worker.ts).
 *     `close` stops taking tasks, waits for the warm-up and for the tasks already posted (up to
 *     CLOSE_GRACE_MS), then stops the threads: a thread terminated while it loads a module, or
 *     mid-task (Piscina replaces it with a new thread that starts loading), can abort V8.
 */
import { Piscina } from 'piscina';
import { Errors, KindlingError } from '../errors.js';
import type { BlockId, ExecutorBackend, ExecutorMetrics, KeptRef, TaskSpec } from './backend.js';
import { BlockStore } from './block-store.js';
import { keepInStore, runOnThisThread } from './execute-task.js';
import type { PoolMessage, WorkerReply } from './pool-worker.js';
import { compactViews, copiedBytes, shareValue } from './shared-memory.js';
import type { Kept } from './task.js';
import { decodeError } from './wire.js';

const INLINE_ROWS = 8192;
const INLINE_COPY_BYTES = 8 << 20;
const WARM_TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 30_000;

export class PoolBackend implements ExecutorBackend {
  readonly parallelism: number;
  readonly metrics: ExecutorMetrics = { tasks: 0, bytesToExecutors: 0, bytesFromExecutors: 0 };
  private pool: Piscina | null;
  private readonly store = new BlockStore();
  private readonly warm: Promise<void>;
  private loaded: Promise<void> | null = null;
  /** Tasks posted to the threads and not yet settled (close waits for them). */
  private readonly inflight = new Set<Promise<unknown>>();

  /** `entry`: the worker entry module's URL (ts/worker.ts, or dist/ts/worker.js). */
  constructor(threads: number, private readonly entry: string) {
    if (!Number.isInteger(threads) || threads < 1) throw Errors.outOfRange('PoolBackend', 'threads', 'integer >= 1', threads);
    this.parallelism = threads;
    // threads take the process's loader flags (tsx under tests), never a flag that only means
    // something for the main script (node --input-type=module -e '…')
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const pool = new Piscina({ filename: entry, minThreads: threads, maxThreads: threads, idleTimeout: 60_000, execArgv });
    // A worker that dies (e.g. cannot load) rejects its task; keep the pool's 'error' event from
    // becoming an uncaught exception of the whole process.
    pool.on('error', () => {});
    this.pool = pool;
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const warm: PoolMessage = { warm: { counter, threads, timeoutMs: WARM_TIMEOUT_MS } };
    this.warm = Promise.all(Array.from({ length: threads }, () => pool.run(warm))).then(() => undefined);
    this.warm.catch(() => {});
  }

  /** Resolves when every pool thread, and this thread, have loaded the worker entry. */
  ready(): Promise<void> {
    this.loaded ??= import(this.entry).then(() => undefined);
    return Promise.all([this.loaded, this.warm]).then(() => undefined);
  }

  async run(tasks: readonly TaskSpec[]): Promise<unknown[]> {
    if (!this.pool) throw new KindlingError('ERR_KINDLING_WORKER', 'PoolBackend: the pool is closed (Session.stop() was called)');
    const rows = tasks.reduce((s, t) => s + (t.rows ?? INLINE_ROWS), 0);
    if (rows < INLINE_ROWS || tasks.length === 0 || inputCopyBytes(tasks) >= INLINE_COPY_BYTES) return this.runHere(tasks);
    await this.warm;
    // tasks of a job share one broadcast: compact it (and count its bytes) once per job
    const compacted = new Map<unknown, { value: unknown; bytes: number }>();
    const broadcastOf = (b: unknown) => {
      let c = compacted.get(b);
      if (!c) {
        const value = compactViews(b);
        c = { value, bytes: copiedBytes(value) };
        compacted.set(b, c);
      }
      return c;
    };
    const settled = await Promise.allSettled(tasks.map((t, i) => this.post(t, i, broadcastOf(t.broadcast))));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
      // a failed job keeps nothing; the first failure in task order is the one reported
      for (const s of settled) if (s.status === 'fulfilled' && tasks[0]!.keep) this.store.drop((s.value as KeptRef).ids);
      throw (failed as PromiseRejectedResult).reason;
    }
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
  }

  /** A small job on the calling thread, its kept outputs in shared memory like a worker's. */
  private async runHere(tasks: readonly TaskSpec[]): Promise<unknown[]> {
    this.loaded ??= import(this.entry).then(() => undefined);
    await this.loaded;
    return runOnThisThread(tasks, this.store, true, this.metrics);
  }

  private async post(spec: TaskSpec, i: number, broadcast: { value: unknown; bytes: number }): Promise<unknown> {
    const pool = this.pool;
    if (!pool) throw new KindlingError('ERR_KINDLING_WORKER', 'PoolBackend: the pool is closed (Session.stop() was called)');
    const input = 'value' in spec.input ? compactViews(spec.input.value) : this.store.resolve(spec.input);
    const task: Omit<TaskSpec, 'input'> = { ref: spec.ref, broadcast: broadcast.value, partition: spec.partition, keep: spec.keep, rowBase: spec.rowBase };
    this.metrics.tasks++;
    this.metrics.bytesToExecutors += copiedBytes(input) + broadcast.bytes;
    let reply: WorkerReply;
    const running = pool.run({ task, input } satisfies PoolMessage) as Promise<WorkerReply>;
    this.inflight.add(running);
    try {
      reply = await running;
    } catch (cause) {
      throw new KindlingError('ERR_KINDLING_WORKER', `PoolBackend: worker failed on task ${i}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    } finally {
      this.inflight.delete(running);
    }
    if (!reply.ok) throw decodeError(reply.error);
    this.metrics.bytesFromExecutors += copiedBytes(reply.value);
    return spec.keep ? keepInStore(this.store, reply.value as Kept, true) : reply.value;
  }

  put(values: readonly unknown[]): BlockId[] {
    return values.map((v) => {
      this.metrics.bytesToExecutors += copiedBytes(v);
      return this.store.add(shareValue(v));
    });
  }

  get(id: BlockId): unknown {
    return this.store.get(id);
  }

  drop(ids: readonly BlockId[]): void {
    this.store.drop(ids);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    this.store.clear();
    // never stop threads that are still loading their module or running a task (see above)
    const settled = Promise.allSettled([this.warm, ...this.inflight]);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => { timer = setTimeout(r, CLOSE_GRACE_MS); });
    await Promise.race([settled, grace]);
    clearTimeout(timer);
    if (pool) await pool.destroy();
  }
}

/** Bytes of the tasks' partition values that posting them to the threads would copy (blocks cost nothing). */
function inputCopyBytes(tasks: readonly TaskSpec[]): number {
  let bytes = 0;
  for (const t of tasks) if ('value' in t.input) bytes += copiedBytes(t.input.value);
  return bytes;
}
