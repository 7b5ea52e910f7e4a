/**
 * Tasks: the code an executor runs on one partition (docs/ARCHITECTURE.md, "The one idea").
 * A task is named by a `TaskRef`, so what travels to an executor is plain data — a ref, the
 * partition (or the id of a block the executor holds) and a broadcast value — never code.
 * Two shapes:
 *   - `Summary` (zero / add / merge): one partition folded into a small mergeable value; the
 *     driver merges the values in Spark's treeAggregate order (jobs.ts);
 *   - `PartitionTask` (run): a map-only task; its output comes back, or stays on the executor
 *     as blocks (`keep`), e.g. a fit's packed training data.
 * Built-in tasks are defined beside their algorithm with `defineSummary` / `defineTask` and
 * listed in the worker entry (ts/worker.ts, the composition root); user tasks are exports of a
 * module named by its file: URL (`taskRef(import.meta.url, 'mySummary')`).
 */
import { Errors } from '../errors.js';

/** Where an executor finds a task: the built-in module `kindling` by name, or a user module's file: URL and export name. */
export interface TaskRef {
  readonly module: string;
  readonly name: string;
}

/** The module of built-in tasks (registered by ts/worker.ts in every executor thread). */
export const BUILTIN_MODULE = 'kindling';

/** Typed-array constructors a task may allocate. */
export type ArrayCtor =
  | Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor
  | Int16ArrayConstructor | Uint16ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor
  | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

/** What a task sees of the executor running it. */
export interface TaskContext {
  /** The partition's index in its job (Spark's TaskContext.partitionId). */
  readonly partition: number;
  /**
   * The index of the partition's first row over the whole DataFrame, when the driver knows it
   * (a DataFrame's rows before any operator that drops rows): errors then name the global row.
   */
  readonly rowBase?: number;
  /**
   * Allocates an output array that every executor thread can read without a copy (shared
   * memory on a `local[N]` pool): outputs kept as blocks and summaries should use it.
   */
  alloc<C extends ArrayCtor>(ctor: C, length: number): InstanceType<C>;
  /** The array itself when every executor thread can read it, else a copy made with `alloc`. */
  share<T extends ArrayBufferView>(array: T): T;
  /** Another task by ref (a stage task hands its rows to the task it ends in). */
  resolve(ref: TaskRef): Promise<Task>;
}

export interface Summary<S = unknown, P = unknown, B = unknown> {
  /** Set by `defineSummary` for built-ins; a user summary is named by `taskRef(url, name)`. */
  readonly ref?: TaskRef;
  zero(broadcast: B): S;
  /** Folds one partition into `s` (may mutate and return it). */
  add(s: S, partition: P, broadcast: B, ctx: TaskContext): S;
  /** Associative, with `zero` as identity. May mutate and return `a`. */
  merge(a: S, b: S): S;
  /** Optional: merges several values at once (equal to folding them with `merge`; e.g. one hash pass for many group-by partials). */
  mergeAll?(values: S[]): S;
}

export interface PartitionTask<P = unknown, B = unknown, R = unknown> {
  readonly ref?: TaskRef;
  run(partition: P, broadcast: B, ctx: TaskContext): R | Promise<R>;
}

export type Task = Summary<any, any, any> | PartitionTask<any, any, any>;

/** What a task run with `keep` returns: values the executor keeps as blocks, and small facts for the driver. */
export interface Kept<M = unknown> {
  kept: unknown[];
  meta: M;
}

export function isSummary(t: Task): t is Summary<any, any, any> {
  return typeof (t as Summary).zero === 'function' && typeof (t as Summary).add === 'function' && typeof (t as Summary).merge === 'function';
}

export function isTask(t: unknown): t is Task {
  return t !== null && typeof t === 'object' && (isSummary(t as Task) || typeof (t as PartitionTask).run === 'function');
}

/** A ref to a user task: the file: URL of a module (compiled JavaScript) and the export's name. */
export function taskRef(module: string, name: string): TaskRef {
  if (typeof module !== 'string' || !(module === BUILTIN_MODULE || /^file:/.test(module))) {
    throw Errors.invalidArg('taskRef', 'module', `'${BUILTIN_MODULE}' (built-in tasks) or a file: URL`, module);
  }
  if (typeof name !== 'string' || name.length === 0) throw Errors.invalidArg('taskRef', 'name', 'a non-empty export name', name);
  return { module, name };
}

/** A built-in summary, named `name` in the `kindling` module. */
export function defineSummary<S, P, B>(name: string, impl: Omit<Summary<S, P, B>, 'ref'>): Summary<S, P, B> & { ref: TaskRef } {
  return Object.freeze({ ...impl, ref: { module: BUILTIN_MODULE, name } });
}

/** A built-in map-only task, named `name` in the `kindling` module. */
export function defineTask<P, B, R>(name: string, run: PartitionTask<P, B, R>['run']): PartitionTask<P, B, R> & { ref: TaskRef } {
  return Object.freeze({ run, ref: { module: BUILTIN_MODULE, name } });
}

/** A context for running a task by hand on this thread (tests of a summary's algebra, one-off folds). */
export function localContext(partition = 0): TaskContext {
  return { partition, alloc: (ctor, length) => new ctor(length) as never, share: (a) => a, resolve: (ref) => resolveTask(ref) };
}

// ----- the registry of one thread ---------------------------------------------------------------

const known = new Map<string, Task>();
const keyOf = (ref: TaskRef) => `${ref.module}#${ref.name}`;

/** Makes tasks resolvable on this thread by their refs (the worker entry registers every built-in). */
export function registerTasks(tasks: Iterable<Task>): void {
  for (const t of tasks) {
    if (!t.ref) throw Errors.invalidArg('registerTasks', 'task', 'a task made by defineSummary or defineTask (it has a ref)', t);
    known.set(keyOf(t.ref), t);
  }
}

/** The task a ref names: a registered built-in, or the export of a user module (imported once per thread). */
export async function resolveTask(ref: TaskRef): Promise<Task> {
  if (ref === null || typeof ref !== 'object' || typeof ref.module !== 'string' || typeof ref.name !== 'string') {
    throw Errors.invalidArg('resolveTask', 'ref', 'a task, or a TaskRef { module, name } (taskRef(url, name))', ref);
  }
  const key = keyOf(ref);
  let t = known.get(key);
  if (t) return t;
  if (ref.module === BUILTIN_MODULE) {
    throw Errors.invalidArg('resolveTask', 'ref', `a built-in task listed in ts/worker.ts (no built-in named ${ref.name})`, ref.name);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(ref.module)) as Record<string, unknown>;
  } catch (e) {
    throw Errors.load(`resolveTask: cannot load the module of task ${ref.name}, ${ref.module}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  const candidate = mod[ref.name];
  if (!isTask(candidate)) {
    throw Errors.invalidArg('resolveTask', 'ref', `a module exporting a Summary (zero/add/merge) or a task (run) named ${ref.name}`, ref.module);
  }
  t = candidate;
  known.set(key, t);
  return t;
}

/**
 * The ref of a task object (built-ins carry theirs). A user task's object is remembered on this
 * thread; a built-in is not: it resolves only through the worker entry's list (ts/worker.ts), on
 * every backend alike, so a task missing from that list fails on `local` as on a pool.
 */
export function refOf(task: Task | TaskRef): TaskRef {
  if (isTask(task)) {
    if (!task.ref) throw Errors.invalidArg('refOf', 'task', 'a task with a ref (defineSummary / defineTask, or pass taskRef(url, name))', task);
    if (task.ref.module !== BUILTIN_MODULE) known.set(keyOf(task.ref), task);
    return task.ref;
  }
  return taskRef(task.module, task.name);
}
