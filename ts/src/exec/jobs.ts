/**
 * The one execution API (docs/ARCHITECTURE.md, "Execution"): every piece of partition work —
 * an estimator's iteration, an evaluator's metric, a transformer's fit, a miner's pass, a
 * DataFrame operator — is one of these jobs on the session's executor backend:
 *   - `aggregateJob`: a summary folded over every partition on the executors, the partial
 *     values merged on the driver in Spark's treeAggregate order (`treeMerge`);
 *   - `mapJob`: a map-only task per partition, results back in partition order, or kept on the
 *     executors as blocks (`keepJob`: a fit's training data, prepared once, then read by id).
 * A job's partitions come from a `JobSource`: values, blocks, or a DataFrame's partitions
 * behind its stage of narrow operators (dataframe/physical.ts: frameSource, stageSource).
 */
import { Errors } from '../errors.js';
import type { BlockId, ExecutorBackend, KeptRef, TaskInput, TaskSpec } from './backend.js';
import { refOf, type PartitionTask, type Summary, type TaskRef } from './task.js';

/** Where a job's partitions come from. */
export interface JobSource {
  /** One input per partition. */
  inputs: TaskInput[];
  /** Rows per partition, where known (a scheduling hint). */
  rows?: ReadonlyArray<number | undefined>;
  /** The partitions' indices (TaskContext.partition), when the inputs are not partitions 0, 1, 2 …. */
  partitions?: readonly number[];
  /** The global index of each partition's first row (TaskContext.rowBase), when known. */
  rowBases?: readonly number[];
  /** Puts the job's task behind a stage the executor runs first (a DataFrame's narrow operators). */
  wrap?: (ref: TaskRef, broadcast: unknown) => { ref: TaskRef; broadcast: unknown };
}

/** Anything that can be a job's source: blocks, a fit's prepared training data. */
export interface SourceLike {
  source(): JobSource;
}

export function isSourceLike(v: unknown): v is SourceLike {
  return v !== null && typeof v === 'object' && typeof (v as SourceLike).source === 'function';
}

/** Values that travel with their tasks, one per partition. */
export function valuesSource(values: readonly unknown[], rows?: ReadonlyArray<number | undefined>): JobSource {
  return { inputs: values.map((value) => ({ value })), rows };
}

function specs(source: JobSource, ref: TaskRef, broadcast: unknown, keep: boolean): TaskSpec[] {
  const outer = source.wrap ? source.wrap(ref, broadcast) : { ref, broadcast };
  return source.inputs.map((input, i) => {
    const spec: TaskSpec = { ref: outer.ref, input, broadcast: outer.broadcast, partition: source.partitions?.[i] ?? i };
    if (keep) spec.keep = true;
    const rows = source.rows?.[i];
    if (rows !== undefined) spec.rows = rows;
    const rowBase = source.rowBases?.[i];
    if (rowBase !== undefined) spec.rowBase = rowBase;
    return spec;
  });
}

/** Spark's treeAggregate: the summary folded over every partition, merged with depth `depth` (>= 1). */
export async function aggregateJob<S, P, B>(backend: ExecutorBackend, summary: Summary<S, P, B>, source: JobSource, broadcast: B, depth = 2): Promise<S> {
  if (!Number.isInteger(depth) || depth < 1) throw Errors.outOfRange('treeAggregate', 'depth', 'integer >= 1', depth);
  const partials = (await backend.run(specs(source, refOf(summary), broadcast, false))) as S[];
  return treeMerge(partials, (a, b) => summary.merge(a, b), () => summary.zero(broadcast), depth, summary.mergeAll?.bind(summary));
}

/** A map-only task per partition (a summary runs as its fold of the partition); results in partition order. */
export async function mapJob<P, B, R>(backend: ExecutorBackend, task: PartitionTask<P, B, R> | Summary<R, P, B> | TaskRef, source: JobSource, broadcast: B): Promise<R[]> {
  return (await backend.run(specs(source, refOf(task), broadcast, false))) as R[];
}

/** A map-only task per partition whose outputs stay on the executors (the task returns `Kept`). */
export async function keepJob<P, B, M>(backend: ExecutorBackend, task: PartitionTask<P, B, unknown> | TaskRef, source: JobSource, broadcast: B): Promise<Blocks<M>> {
  const refs = (await backend.run(specs(source, refOf(task), broadcast, true))) as Array<KeptRef<M>>;
  return new Blocks<M>(backend, refs);
}

/** Values kept on the executors by a `keepJob`, with what each task reported (its `meta`). */
export class Blocks<M = unknown> implements SourceLike {
  private released = false;

  constructor(
    private readonly backend: ExecutorBackend,
    /** Per task of the job that made them: its block ids and meta. */
    readonly parts: ReadonlyArray<KeptRef<M>>,
  ) {}

  /** Every block id, in task order. */
  get ids(): BlockId[] {
    return this.parts.flatMap((p) => p.ids);
  }

  /** The blocks as a job source: one task per block (rows per block as a scheduling hint). */
  source(rows?: ReadonlyArray<number | undefined>): JobSource {
    if (this.released) throw Errors.invalidArg('Blocks.source', 'blocks', 'blocks not yet released', 'released blocks');
    return { inputs: this.ids.map((block) => ({ block })), rows };
  }

  /** Forgets the blocks on the executors. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.backend.drop(this.ids);
  }
}

/**
 * Spark's treeAggregate merge order over per-partition values: with P partials and depth d,
 * scale = max(ceil(P^(1/d)), 2); while P > scale + ceil(P / scale), partials are regrouped by
 * (index mod P/scale) and merged; the rest are merged in order. Results equal a sequential fold
 * up to floating-point reassociation. `mergeAll`, when a summary has one, merges a group at once.
 */
export function treeMerge<S>(partials: S[], merge: (a: S, b: S) => S, zero: () => S, depth = 2, mergeAll?: (values: S[]) => S): S {
  if (!Number.isInteger(depth) || depth < 1) throw Errors.outOfRange('treeAggregate', 'depth', 'integer >= 1', depth);
  const fold = (group: S[]) => (mergeAll ? mergeAll([zero(), ...group]) : group.reduce((a, b) => merge(a, b), zero()));
  let level = partials.slice();
  if (level.length === 0) return zero();
  const scale = Math.max(Math.ceil(Math.pow(level.length, 1 / depth)), 2);
  let numPartitions = level.length;
  while (numPartitions > scale + Math.ceil(numPartitions / scale)) {
    numPartitions = Math.floor(numPartitions / scale);
    const groups: S[][] = Array.from({ length: numPartitions }, () => []);
    level.forEach((s, i) => groups[i % numPartitions]!.push(s));
    level = groups.map(fold);
  }
  return fold(level);
}
