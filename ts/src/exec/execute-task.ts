/**
 * The executor side of a task, the same on every backend: resolve the task its ref names, fold
 * the partition into a fresh summary (`add(zero(b), partition, b)`) or run the map task, and
 * check that a task run with `keep` returned `Kept` (task.ts). `runOnThisThread` is a job run
 * task after task on the calling thread (the `local` backend, and a pool's small jobs).
 */
import { Errors } from '../errors.js';
import type { ExecutorMetrics, KeptRef, TaskSpec } from './backend.js';
import type { BlockStore } from './block-store.js';
import { allocator, shareValue, sharer } from './shared-memory.js';
import { isSummary, resolveTask, type Kept, type Task, type TaskContext } from './task.js';

/** One task on one partition: a summary's fold into a fresh partial, or a map task's run. */
export function runResolved(task: Task, partition: unknown, broadcast: unknown, ctx: TaskContext): unknown {
  return isSummary(task) ? task.add(task.zero(broadcast), partition, broadcast, ctx) : task.run(partition, broadcast, ctx);
}

/** Runs one task on its (already resolved) partition value. `shared`: outputs go to shared memory. */
export async function executeTask(spec: Omit<TaskSpec, 'input'>, partition: unknown, shared: boolean): Promise<unknown> {
  const task = await resolveTask(spec.ref);
  const ctx: TaskContext = { partition: spec.partition, rowBase: spec.rowBase, alloc: allocator(shared), share: sharer(shared), resolve: resolveTask };
  if (spec.keep && isSummary(task)) throw Errors.invalidArg('executeTask', 'keep', 'a map task (a summary returns its partial value)', spec.ref.name);
  const out = await runResolved(task, partition, spec.broadcast, ctx);
  if (spec.keep && !isKept(out)) {
    throw Errors.invalidArg(`task ${spec.ref.name}`, 'result', '{ kept: values[], meta } (it runs with keep)', out);
  }
  return out;
}

function isKept(v: unknown): v is Kept {
  return v !== null && typeof v === 'object' && Array.isArray((v as Kept).kept) && 'meta' in (v as object);
}

/** A kept task result's values as blocks of `store` (in shared memory when `shared`). */
export function keepInStore(store: BlockStore, kept: Kept, shared: boolean): KeptRef {
  return { ids: kept.kept.map((v) => store.add(shared ? shareValue(v) : v)), meta: kept.meta };
}

/** A job's tasks one after another on this thread; a failed job keeps nothing. */
export async function runOnThisThread(tasks: readonly TaskSpec[], store: BlockStore, shared: boolean, metrics: ExecutorMetrics): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for (const spec of tasks) {
      metrics.tasks++;
      const r = await executeTask(spec, store.resolve(spec.input), shared);
      out.push(spec.keep ? keepInStore(store, r as Kept, shared) : r);
    }
  } catch (err) {
    if (tasks[0]?.keep) for (const r of out) store.drop((r as KeptRef).ids);
    throw err;
  }
  return out;
}
