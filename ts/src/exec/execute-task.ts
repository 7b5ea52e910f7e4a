/**
 * The executor side of a task, the same on every backend: resolve the task its ref names, fold
 * the partition into a fresh summary (`add(zero(b), partition, b)`) or run the map task, and
 * check that a task run with `keep` returned `Kept` (task.ts). `runOnThisThread` is a job run
 * task after task on the calling thread (the `local` backend, and a pool's small jobs).
 *
 * Whatever a task throws reaches the driver with a code (`taskFailure`): kindling's own errors as
 * they are, anything else (a TypeError of a task fed garbage, a thrown string or object) as
 * ERR_KINDLING_WORKER naming the task and partition, the original as its `cause` (stack kept).
 * A result that could not cross to another thread (a function, a symbol …) is refused on every
 * backend alike, naming where it is; Piscina would reject it as an empty object.
 */
import { inspect } from 'node:util';
import { Errors, KindlingError } from '../errors.js';
import type { ExecutorMetrics, KeptRef, TaskSpec } from './backend.js';
import type { BlockStore } from './block-store.js';
import { allocator, shareValue, sharer } from './shared-memory.js';
import { isSummary, resolveTask, type Kept, type Task, type TaskContext, type TaskRef } from './task.js';

/** One task on one partition: a summary's fold into a fresh partial, or a map task's run. */
export function runResolved(task: Task, partition: unknown, broadcast: unknown, ctx: TaskContext): unknown {
  return isSummary(task) ? task.add(task.zero(broadcast), partition, broadcast, ctx) : task.run(partition, broadcast, ctx);
}

/** The task `ref` names on one partition: its failure coded, its result checked to cross threads. */
export async function runTask(ref: TaskRef, partition: unknown, broadcast: unknown, ctx: TaskContext, keep = false): Promise<unknown> {
  try {
    const task = await ctx.resolve(ref);
    if (keep && isSummary(task)) throw Errors.invalidArg('executeTask', 'keep', 'a map task (a summary returns its partial value)', ref.name);
    const out = await runResolved(task, partition, broadcast, ctx);
    const bad = unclonableAt(out, 'result', new Set());
    if (bad) throw new KindlingError('ERR_KINDLING_WORKER', `task ${ref.name} on partition ${ctx.partition} returned a value that cannot be sent between threads (structured clone): ${bad}; return plain data`);
    return out;
  } catch (err) {
    throw taskFailure(ref, ctx.partition, err);
  }
}

/** A thrown value as a coded error: kindling's errors pass, anything else is wrapped (see the header). */
export function taskFailure(ref: TaskRef, partition: number, err: unknown): Error {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && typeof code === 'string' && code.startsWith('ERR_KINDLING_')) return err;
  const what = err instanceof Error ? `${err.name}: ${err.message}` : `it threw a non-Error value ${inspect(err, { depth: 2, breakLength: Infinity, maxStringLength: 200 })}`;
  return new KindlingError('ERR_KINDLING_WORKER', `task ${ref.name} failed on partition ${partition}: ${what}`, err instanceof Error ? { cause: err } : undefined);
}

/** Runs one task on its (already resolved) partition value. `shared`: outputs go to shared memory. */
export async function executeTask(spec: Omit<TaskSpec, 'input'>, partition: unknown, shared: boolean): Promise<unknown> {
  const ctx: TaskContext = { partition: spec.partition, rowBase: spec.rowBase, alloc: allocator(shared), share: sharer(shared), resolve: resolveTask };
  const out = await runTask(spec.ref, partition, spec.broadcast, ctx, spec.keep === true);
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

/** Where a value holds what structured clone refuses (`result.model.f is a function`), or null. */
function unclonableAt(v: unknown, path: string, seen: Set<object>): string | null {
  if (typeof v === 'function') return `${path} is a function`;
  if (typeof v === 'symbol') return `${path} is a symbol`;
  if (v === null || typeof v !== 'object' || seen.has(v)) return null;
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return null;
  if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || v instanceof WeakRef) return `${path} is a ${v.constructor.name}`;
  seen.add(v);
  let entries: [string, unknown][];
  if (v instanceof Map) entries = [...v].flatMap(([k, x], i): [string, unknown][] => [[`${path} key ${i}`, k], [`${path}.get(key ${i})`, x]]);
  else if (v instanceof Set) entries = [...v].map((x, i): [string, unknown] => [`${path} item ${i}`, x]);
  else if (Array.isArray(v)) entries = v.map((x, i): [string, unknown] => [`${path}[${i}]`, x]);
  else entries = Object.keys(v).map((k): [string, unknown] => [`${path}.${k}`, (v as Record<string, unknown>)[k]]);
  for (const [p, x] of entries) {
    const bad = unclonableAt(x, p, seen);
    if (bad) return bad;
  }
  return null;
}
