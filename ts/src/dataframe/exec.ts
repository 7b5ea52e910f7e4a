/**
 * Physical execution of an optimised plan over partitions (Arrow RecordBatches).
 *
 * Narrow chains (project/filter/sample) run per partition as stage tasks — inline for `local`,
 * on the Piscina pool for `local[N]` (partitions whose buffers are SharedArrayBuffers reach the
 * workers without a copy). Aggregations end their stage in a partial aggregate per partition,
 * merged on the driver. Sorts, joins, unions, limits and repartitions are driver-side
 * operators over the materialised child.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import type { ExecutorBackend } from '../exec/backend.js';
import { summaryRef } from '../exec/summary.js';
import { nonNegativeMod, SPARK_HASH_SEED } from '../kernels/hash.js';
import { aggSpecs, finishAll, mergePartials, type PartialAgg } from './aggregate.js';
import { DenseTables, finishDense, planDense } from './dense-agg.js';
import { concatBatches, emptyBatch, isValidAt, makeBatch, makePrimitive, shareBatch, takeBatch, type AnyData } from './batch.js';
import type { Expr } from './column.js';
import { castColumn, evaluate, typeOf } from './eval.js';
import { hashJoin } from './join.js';
import { schemaOf, type NarrowOp, type Plan } from './plan.js';
import { batchToPlain, plainToBatch } from './portable.js';
import { sortBatch, sortKeys } from './sort.js';
import { hashColumnOf } from './keys.js';
import { murmur3Column } from '../kernels/partition.js';
import { runStage, STAGE_MODULE, type StageResult, type StageTask, type Terminal } from './stage.js';
import { sparkTypeName, Types } from './types.js';

export interface ExecContext {
  backend: ExecutorBackend;
  /** Shared per-partition tables of the dense aggregation path, reused across queries. */
  dense: DenseTables;
  /** Target rows per partition when reading files (Spark splits by bytes; we split by rows). */
  partitionRows: number;
}

const STAGE_REF = summaryRef(STAGE_MODULE, 'stageSummary');
/** Below this many rows a stage runs inline: a worker round trip costs more than the work. */
const INLINE_ROWS = 50_000;

/** The base plan below a chain of narrow operators, and the chain in application order. */
export function splitNarrow(plan: Plan): { base: Plan; ops: NarrowOp[] } {
  const ops: NarrowOp[] = [];
  let p = plan;
  for (;;) {
    if (p.op === 'project') ops.push({ op: 'project', exprs: p.exprs });
    else if (p.op === 'filter') ops.push({ op: 'filter', cond: p.cond });
    else if (p.op === 'sample') ops.push({ op: 'sample', lb: p.lb, ub: p.ub, seed: p.seed, withReplacement: p.withReplacement });
    else break;
    p = p.child;
  }
  return { base: p, ops: ops.reverse() };
}

async function runStages(ctx: ExecContext, partitions: readonly arrow.RecordBatch[], ops: NarrowOp[], terminal: Terminal | ((partition: number) => Terminal)): Promise<Array<{ rows?: arrow.RecordBatch; count?: number; partial?: PartialAgg }>> {
  const total = partitions.reduce((s, b) => s + b.numRows, 0);
  const term = typeof terminal === 'function' ? terminal : () => terminal;
  if (ctx.backend.kind === 'inline' || partitions.length <= 1 || total < INLINE_ROWS) {
    return partitions.map((b, i) => runStage(b, i, ops, term(i)));
  }
  const tasks = partitions.map((b, i) => ({ ref: STAGE_REF, partition: { batch: batchToPlain(b), partition: i, ops, terminal: term(i) } satisfies StageTask, broadcast: null }));
  const results = await ctx.backend.runSummaries<StageResult, StageTask, null>(tasks);
  return results.map((r) => (r.kind === 'rows' ? { rows: plainToBatch(r.batch) } : r.kind === 'count' ? { count: r.count } : { partial: r.partial }));
}

/** Rows of an optimised plan: a narrow chain over its base counts per partition as stage tasks. */
export async function countRows(plan: Plan, ctx: ExecContext): Promise<number> {
  const { base, ops } = splitNarrow(plan);
  const parts = await execute(base, ctx);
  if (ops.length === 0) return parts.reduce((s, b) => s + b.numRows, 0);
  const counts = await runStages(ctx, parts, ops, { kind: 'count' });
  return counts.reduce((s, r) => s + r.count!, 0);
}

export async function execute(plan: Plan, ctx: ExecContext): Promise<arrow.RecordBatch[]> {
  switch (plan.op) {
    case 'memory': return plan.partitions;
    case 'source': return readSource(plan, ctx);
    case 'range': return rangePartitions(plan, ctx);
    case 'project': case 'filter': case 'sample': {
      const { base, ops } = splitNarrow(plan);
      const parts = await execute(base, ctx);
      const out = await runStages(ctx, parts, ops, { kind: 'rows' });
      return out.map((r) => r.rows!);
    }
    case 'aggregate': return [await aggregate(plan, ctx)];
    case 'sort': {
      const child = await execute(plan.child, ctx);
      const all = concatBatches(schemaOf(plan.child), child);
      return [sortBatch(all, sortKeys(plan.orders))];
    }
    case 'limit': return [await limit(plan.child, plan.n, ctx)];
    case 'join': {
      const [l, r] = await Promise.all([execute(plan.left, ctx), execute(plan.right, ctx)]);
      const left = concatBatches(schemaOf(plan.left), l);
      const right = concatBatches(schemaOf(plan.right), r);
      return [hashJoin(left, right, plan.how, plan.on, schemaOf(plan))];
    }
    case 'union': {
      const schema = schemaOf(plan);
      const out: arrow.RecordBatch[] = [];
      for (const c of plan.children) for (const b of await execute(c, ctx)) out.push(conform(b, schema));
      return out;
    }
    case 'distinct': return [await distinct(plan, ctx)];
    case 'repartition': return repartition(plan, ctx);
    case 'cache': {
      if (!plan.state.partitions) {
        const parts = plan.state.compute ? await plan.state.compute() : await execute(plan.child, ctx);
        plan.state.partitions = ctx.backend.kind === 'local' ? parts.map(shareBatch) : parts;
      }
      return plan.state.partitions;
    }
  }
}

/** Casts a batch to a schema with the same number of columns (union by position). */
function conform(b: arrow.RecordBatch, schema: arrow.Schema): arrow.RecordBatch {
  const same = b.schema.fields.every((f, j) => sparkTypeName(f.type) === sparkTypeName(schema.fields[j]!.type));
  if (same) return makeBatch(schema, b.data.children.map((c, j) => (arrow.DataType.isDictionary(c.type) && !arrow.DataType.isDictionary(schema.fields[j]!.type) ? castColumn('union', c as AnyData, schema.fields[j]!.type) : c) as AnyData), b.numRows);
  return makeBatch(schema, b.data.children.map((c, j) => {
    const t = schema.fields[j]!.type;
    try {
      return castColumn('union', c as AnyData, t);
    } catch {
      throw Errors.schema(`union: column ${j + 1} (${schema.fields[j]!.name}) is ${sparkTypeName(t)} in the first input and ${sparkTypeName(c.type)} in another`);
    }
  }), b.numRows);
}

async function readSource(plan: Plan & { op: 'source' }, ctx: ExecContext): Promise<arrow.RecordBatch[]> {
  const schema = schemaOf(plan);
  const out: arrow.RecordBatch[] = [];
  let pending: arrow.RecordBatch[] = [];
  let rows = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const b = concatBatches(schema, pending);
    out.push(ctx.backend.kind === 'local' ? shareBatch(b) : b);
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

function rangePartitions(plan: Plan & { op: 'range' }, ctx: ExecContext): arrow.RecordBatch[] {
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
    const b = makeBatch(schema, [makePrimitive(Types.bigint(), ids, null)], hi - lo);
    out.push(ctx.backend.kind === 'local' ? shareBatch(b) : b);
  }
  return out;
}

async function aggregate(plan: Plan & { op: 'aggregate' }, ctx: ExecContext): Promise<arrow.RecordBatch> {
  const schema = schemaOf(plan);
  const childSchema = schemaOf(plan.child);
  const specs = aggSpecs(plan.aggs);
  const { base, ops } = splitNarrow(plan.child);
  const parts = await execute(base, ctx);
  const dense = planDense(plan.keys, specs, ops, parts);
  if (dense) {
    const width = dense.inputs.length;
    const tables = ctx.dense.get(parts.length * width, dense.range);
    const byPart = parts.map((_, p) => tables.slice(p * width, (p + 1) * width));
    await runStages(ctx, parts, ops, (p) => ({ kind: 'dense', task: { key: dense.key, base: dense.base, range: dense.range, inputs: dense.inputs, tables: byPart[p]! } }));
    return finishDense(schema, dense, specs, byPart);
  }
  const results = await runStages(ctx, parts, ops, { kind: 'aggregate', task: { keys: plan.keys, aggs: specs } });
  const keyTypes = plan.keys.map((k) => {
    const t = typeOf('groupBy', k, childSchema);
    return arrow.DataType.isDictionary(t) ? t.dictionary : t;
  });
  const inputTypes = specs.map((s) => (s.input ? typeOf('agg', s.input, childSchema) : null));
  const merged = mergePartials(specs, results.map((r) => r.partial!), keyTypes, inputTypes);
  return finishAll(schema, specs, merged, plan.keys.length === 0);
}

/** First n rows in partition order; streams partitions so show()/take() on a big input stops early. */
async function limit(child: Plan, n: number, ctx: ExecContext): Promise<arrow.RecordBatch> {
  const schema = schemaOf(child);
  const { base, ops } = splitNarrow(child);
  const out: arrow.RecordBatch[] = [];
  let have = 0;
  const take = (b: arrow.RecordBatch) => {
    const r = runStage(b, out.length, ops, { kind: 'rows' }).rows!;
    const k = Math.min(r.numRows, n - have);
    if (k > 0) out.push(k === r.numRows ? r : r.slice(0, k));
    have += k;
  };
  if (base.op === 'source' && ops.every((o) => o.op !== 'sample')) {
    for await (const b of base.source.scan({ columns: base.columns ?? undefined, filters: base.filters })) {
      take(b);
      if (have >= n) break;
    }
  } else {
    for (const b of await execute(base, ctx)) {
      take(b);
      if (have >= n) break;
    }
  }
  return concatBatches(schema, out);
}

async function distinct(plan: Plan & { op: 'distinct' }, ctx: ExecContext): Promise<arrow.RecordBatch> {
  const schema = schemaOf(plan);
  const names = schema.fields.map((f) => f.name);
  const subset = plan.subset ?? names;
  const lower = new Set(subset.map((s) => s.toLowerCase()));
  const keys: Expr[] = subset.map((c) => ({ k: 'col', name: c }));
  const rest = names.filter((c) => !lower.has(c.toLowerCase()));
  const aggs: Expr[] = rest.map((c) => ({ k: 'alias', child: { k: 'agg', fn: 'first', child: { k: 'col', name: c } }, name: c }));
  const agg = await aggregate({ op: 'aggregate', child: plan.child, keys, aggs }, ctx);
  // back to the input's column order
  const idx = names.map((c) => agg.schema.fields.findIndex((f) => f.name === c || (lower.has(c.toLowerCase()) && f.name.toLowerCase() === c.toLowerCase())));
  const fields = idx.map((j, i) => new arrow.Field(names[i]!, agg.schema.fields[j]!.type, schema.fields[i]!.nullable));
  return makeBatch(new arrow.Schema(fields), idx.map((j) => agg.data.children[j]! as AnyData), agg.numRows);
}

/** Spark's Murmur3Hash over key columns (seed 42, each column's hash seeds the next; nulls keep the seed). */
export function sparkHashRows(cols: readonly AnyData[], n: number): Int32Array {
  const h = new Int32Array(n).fill(SPARK_HASH_SEED);
  for (const c of cols) {
    const native = hashColumnOf(c);
    if (!native) throw Errors.schema(`repartition: cannot hash-partition by a ${sparkTypeName(c.type)} column`);
    murmur3Column(native, h);
  }
  return h;
}

async function repartition(plan: Plan & { op: 'repartition' }, ctx: ExecContext): Promise<arrow.RecordBatch[]> {
  const schema = schemaOf(plan);
  const child = await execute(plan.child, ctx);
  const all = concatBatches(schema, child);
  const n = all.numRows;
  const ids = new Int32Array(n);
  if (plan.keys.length > 0) {
    const cols = plan.keys.map((k) => evaluate('repartition', k, all));
    const h = sparkHashRows(cols, n);
    for (let i = 0; i < n; i++) ids[i] = nonNegativeMod(h[i]!, plan.n);
  } else {
    for (let i = 0; i < n; i++) ids[i] = i % plan.n;
  }
  const buckets: number[][] = Array.from({ length: plan.n }, () => []);
  for (let i = 0; i < n; i++) buckets[ids[i]!]!.push(i);
  return buckets.map((rows) => {
    const b = takeBatch(all, Int32Array.from(rows));
    return ctx.backend.kind === 'local' ? shareBatch(b) : b;
  });
}

