/**
 * The executor side of a task, the same on every backend: resolve the task its ref names, fold
 * the partition into a fresh summary (`add(zero(b), partition, b)`) or run the map task, and
 * check that a task run with `keep` returned `Kept` (task.ts).
 */
import { Errors } from '../errors.js';
import type { TaskSpec } from './backend.js';
import { allocator, sharer } from './shared-memory.js';
import { isSummary, resolveTask, type Kept, type TaskContext } from './task.js';

/** Runs one task on its (already resolved) partition value. `shared`: outputs go to shared memory. */
export async function executeTask(spec: Omit<TaskSpec, 'input'>, partition: unknown, shared: boolean): Promise<unknown> {
  const task = await resolveTask(spec.ref);
  const ctx: TaskContext = { partition: spec.partition, alloc: allocator(shared), share: sharer(shared), resolve: resolveTask };
  if (isSummary(task)) {
    if (spec.keep) throw Errors.invalidArg('executeTask', 'keep', 'a map task (a summary returns its partial value)', spec.ref.name);
    return task.add(task.zero(spec.broadcast), partition, spec.broadcast, ctx);
  }
  const out = await task.run(partition, spec.broadcast, ctx);
  if (spec.keep && !isKept(out)) {
    throw Errors.invalidArg(`task ${spec.ref.name}`, 'result', '{ kept: values[], meta } (it runs with keep)', out);
  }
  return out;
}

export function isKept(v: unknown): v is Kept {
  return v !== null && typeof v === 'object' && Array.isArray((v as Kept).kept) && 'meta' in (v as object);
}
