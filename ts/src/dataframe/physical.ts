/**
 * Physical execution of an optimised plan over partitions (Arrow RecordBatches), on the
 * session's executor backend through the one execution API (exec/jobs.ts):
 *   - narrow chains (project / filter / sample / mapInArrow) run per partition as stage tasks
 *     (stage-task.ts) ending in rows, a count, or another task (a group-by partial, a fit's
 *     packing of its training data …);
 *   - data made on the driver (`createDataFrame`) and cached DataFrames are placed on the
 *     executors once, as blocks (placement.ts), so an action never copies them again;
 *   - group-by is a partition summary (dense-agg.ts or hash-agg.ts) merged in treeAggregate
 *     order (distinct is one); sorts, joins and repartitions are driver operators over the
 *     materialised child (wide.ts) until the exchange operator moves them to the executors; a
 *     union passes partitions through and a limit runs stage tasks in waves.
 */
import type * as arrow from 'apache-arrow';
import type { ExecutorBackend } from '../exec/backend.js';
import { mapJob, type JobSource } from '../exec/jobs.js';
import type { TaskRef } from '../exec/task.js';
import { concatBatches, emptyBatch, makeBatch, makePrimitive } from './batch.js';
import { splitNarrow } from './narrow.js';
import { optimize, schemaOf, type NarrowOp, type Plan } from './plan.js';
import { blockOf, placeCache, placeMemory } from './placement.js';
import { batchToPlain } from './portable.js';
import { stageRows, stageTask, type StageBroadcast, type StageEnd } from './stage-task.js';
import { Types } from './types.js';
import { aggregate, distinct, join, limit, repartition, sort, union } from './wide.js';

export interface ExecContext {
  backend: ExecutorBackend;
  /** Target rows per partition when reading files (Spark splits by bytes; we split by rows). */
  partitionRows: number;
}

/**
 * Partitions as task inputs: placed ones by block id, others as values that travel with the
 * task (`first`: the index of parts[0]; with all partitions from 0, each task knows the global
 * index of its first row).
 */
function partitionInputs(backend: ExecutorBackend, parts: readonly arrow.RecordBatch[], first = 0): JobSource {
  let base = 0;
  return {
    partitions: first === 0 ? undefined : parts.map((_, i) => first + i),
    inputs: parts.map((b) => {
      const block = blockOf(b, backend);
      return block === undefined ? { value: batchToPlain(b) } : { block };
    }),
    rows: parts.map((b) => b.numRows),
    rowBases: first === 0 ? parts.map((b) => (base += b.numRows) - b.numRows) : undefined,
  };
}

/** A job source over partitions behind a chain of narrow operators: every task first runs the chain. */
export function stageSource(backend: ExecutorBackend, parts: readonly arrow.RecordBatch[], ops: readonly NarrowOp[]): JobSource {
  const wrap = (ref: TaskRef, broadcast: unknown) => ({ ref: stageTask.ref, broadcast: { ops: [...ops], end: { kind: 'task', ref, broadcast } } satisfies StageBroadcast });
  return { ...partitionInputs(backend, parts), wrap };
}

/** A DataFrame plan as a job source: its base partitions (computed or placed) and the narrow chain above them. */
export async function frameSource(plan: Plan, ctx: ExecContext): Promise<JobSource> {
  const { base, ops } = await splitNarrow(optimize(plan));
  return stageSource(ctx.backend, await execute(base, ctx, true), ops);
}

/** Runs a stage ending in rows or a count over each partition (`first`: the index of parts[0]). */
function runStages(ctx: ExecContext, parts: readonly arrow.RecordBatch[], ops: readonly NarrowOp[], end: StageEnd, first = 0): Promise<unknown[]> {
  return mapJob(ctx.backend, stageTask, partitionInputs(ctx.backend, parts, first), { ops: [...ops], end } satisfies StageBroadcast);
}

/** Rows of an optimised plan: a narrow chain over its base counts per partition as stage tasks. */
export async function countRows(plan: Plan, ctx: ExecContext): Promise<number> {
  const { base, ops } = await splitNarrow(plan);
  const parts = await execute(base, ctx, ops.length > 0);
  if (ops.length === 0) return parts.reduce((s, b) => s + b.numRows, 0);
  const counts = (await runStages(ctx, parts, ops, { kind: 'count' })) as number[];
  return counts.reduce((s, c) => s + c, 0);
}

/** A plan's partitions. `forTasks`: they will be task inputs (placement.ts counts the use). */
export async function execute(plan: Plan, ctx: ExecContext, forTasks = false): Promise<arrow.RecordBatch[]> {
  switch (plan.op) {
    case 'memory': return placeMemory(plan, ctx.backend, forTasks);
    case 'source': return readSource(plan, ctx);
    case 'range': return rangePartitions(plan);
    case 'project': case 'filter': case 'sample': case 'mapBatches': {
      const { base, ops } = await splitNarrow(plan);
      return narrowRows(ctx, await execute(base, ctx, ops.length > 0), ops);
    }
    case 'aggregate': return [await aggregate(plan, ctx)];
    case 'sort': return [await sort(plan, ctx)];
    case 'limit': return [await limit(plan.child, plan.n, ctx)];
    case 'join': return [await join(plan, ctx)];
    case 'union': return union(plan, ctx);
    case 'distinct': return [await distinct(plan, ctx)];
    case 'repartition': return repartition(plan, ctx);
    case 'cache': return placeCache(plan, ctx.backend, () => execute(plan.child, ctx));
  }
}

/** The rows of a narrow chain over partitions (`first`: the index of parts[0]). */
export async function narrowRows(ctx: ExecContext, parts: readonly arrow.RecordBatch[], ops: readonly NarrowOp[], first = 0): Promise<arrow.RecordBatch[]> {
  if (ops.length === 0) return parts.slice();
  return (await runStages(ctx, parts, ops, { kind: 'rows' }, first)).map(stageRows);
}

async function readSource(plan: Plan & { op: 'source' }, ctx: ExecContext): Promise<arrow.RecordBatch[]> {
  const schema = schemaOf(plan);
  const out: arrow.RecordBatch[] = [];
  let pending: arrow.RecordBatch[] = [];
  let rows = 0;
  const flush = () => {
    if (pending.length === 0) return;
    out.push(concatBatches(schema, pending));
    pending = [];
    rows = 0;
  };
  for await (const b of plan.source.scan({ columns: plan.columns ?? undefined, filters: plan.filters })) {
    pending.push(b);
    rows += b.numRows;
    if (rows >= ctx.partitionRows) flush();
  }
  flush();
  return out.length > 0 ? out : [emptyBatch(schema)];
}

function rangePartitions(plan: Plan & { op: 'range' }): arrow.RecordBatch[] {
  const schema = schemaOf(plan);
  const { start, end, step } = plan;
  const count = step > 0n ? (end > start ? (end - start + step - 1n) / step : 0n) : start > end ? (start - end - step - 1n) / -step : 0n;
  const n = Number(count);
  const parts = Math.max(1, plan.numPartitions);
  const out: arrow.RecordBatch[] = [];
  for (let p = 0; p < parts; p++) {
    const lo = Math.floor((p * n) / parts);
    const hi = Math.floor(((p + 1) * n) / parts);
    const ids = new BigInt64Array(hi - lo);
    for (let i = lo; i < hi; i++) ids[i - lo] = start + BigInt(i) * step;
    out.push(makeBatch(schema, [makePrimitive(Types.bigint(), ids, null)], hi - lo));
  }
  return out;
}
