/**
 * The operators that need more than one partition at a time: group-by (a partition summary on
 * the executors: dense-agg.ts or hash-agg.ts, merged in treeAggregate order), distinct (a
 * group-by), limit (stage tasks in waves, or a streamed scan, until it has its rows), union
 * (the children's partitions passed through), and — on the driver over the materialised child
 * until the exchange operator moves them to the executors — sort, join and repartition
 * (Spark's Murmur3 hash partitioning).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { aggregateJob } from '../exec/jobs.js';
import { nonNegativeMod, SPARK_HASH_SEED } from '../kernels/hash.js';
import { murmur3Column } from '../kernels/partition.js';
import { aggSpecs, finishAll } from './agg-states.js';
import { concatBatches, makeBatch, takeBatch, type AnyData } from './batch.js';
import type { Expr } from './column.js';
import { denseAggSummary, finishDense, planDense } from './dense-agg.js';
import { castColumn, evaluate } from './eval.js';
import { hashAggSummary } from './hash-agg.js';
import { joinBatches } from './join.js';
import { hashColumnOf } from './keys.js';
import { splitNarrow } from './narrow.js';
import { execute, narrowRows, stageSource, type ExecContext } from './physical.js';
import { schemaOf, type Plan } from './plan.js';
import { sortBatch, sortKeys } from './sort.js';
import { sparkTypeName } from './types.js';

export async function aggregate(plan: Plan & { op: 'aggregate' }, ctx: ExecContext): Promise<arrow.RecordBatch> {
  const schema = schemaOf(plan);
  const specs = aggSpecs(plan.aggs);
  const { base, ops } = await splitNarrow(plan.child);
  const parts = await execute(base, ctx, true);
  const source = stageSource(ctx.backend, parts, ops);
  const dense = planDense(plan.keys, specs, ops, parts);
  if (dense) {
    const tables = await aggregateJob(ctx.backend, denseAggSummary, source, { key: dense.key, base: dense.base, range: dense.range, inputs: dense.inputs });
    return finishDense(schema, dense, specs, tables);
  }
  const merged = await aggregateJob(ctx.backend, hashAggSummary, source, { keys: plan.keys, aggs: specs });
  return finishAll(schema, specs, merged, plan.keys.length === 0);
}

export async function sort(plan: Plan & { op: 'sort' }, ctx: ExecContext): Promise<arrow.RecordBatch> {
  const all = concatBatches(schemaOf(plan.child), await execute(plan.child, ctx));
  return sortBatch(all, sortKeys(plan.orders));
}

export async function join(plan: Plan & { op: 'join' }, ctx: ExecContext): Promise<arrow.RecordBatch> {
  const [l, r] = await Promise.all([execute(plan.left, ctx), execute(plan.right, ctx)]);
  const left = concatBatches(schemaOf(plan.left), l);
  const right = concatBatches(schemaOf(plan.right), r);
  return joinBatches(left, right, plan.how, plan.on, schemaOf(plan));
}

export async function union(plan: Plan & { op: 'union' }, ctx: ExecContext): Promise<arrow.RecordBatch[]> {
  const schema = schemaOf(plan);
  const out: arrow.RecordBatch[] = [];
  for (const c of plan.children) for (const b of await execute(c, ctx)) out.push(conform(b, schema));
  return out;
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

/**
 * First n rows in partition order. Partitions run in waves of the backend's parallelism and a
 * file scan streams, so show()/take() on a big input stops early.
 */
export async function limit(child: Plan, n: number, ctx: ExecContext): Promise<arrow.RecordBatch> {
  const schema = schemaOf(child);
  const { base, ops } = await splitNarrow(child);
  const out: arrow.RecordBatch[] = [];
  let have = 0;
  const take = (r: arrow.RecordBatch) => {
    const k = Math.min(r.numRows, n - have);
    if (k > 0) out.push(k === r.numRows ? r : r.slice(0, k));
    have += k;
  };
  if (base.op === 'source' && ops.every((o) => o.op !== 'sample')) {
    let i = 0;
    for await (const b of base.source.scan({ columns: base.columns ?? undefined, filters: base.filters })) {
      for (const r of await narrowRows(ctx, [b], ops, i++)) take(r);
      if (have >= n) break;
    }
    return concatBatches(schema, out);
  }
  const parts = await execute(base, ctx, ops.length > 0);
  const wave = Math.max(1, ctx.backend.parallelism);
  for (let p = 0; p < parts.length && have < n; p += wave) {
    for (const r of await narrowRows(ctx, parts.slice(p, p + wave), ops, p)) if (have < n) take(r);
  }
  return concatBatches(schema, out);
}

export async function distinct(plan: Plan & { op: 'distinct' }, ctx: ExecContext): Promise<arrow.RecordBatch> {
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
function sparkHashRows(cols: readonly AnyData[], n: number): Int32Array {
  const h = new Int32Array(n).fill(SPARK_HASH_SEED);
  for (const c of cols) {
    const native = hashColumnOf(c);
    if (!native) throw Errors.schema(`repartition: cannot hash-partition by a ${sparkTypeName(c.type)} column`);
    murmur3Column(native, h);
  }
  return h;
}

export async function repartition(plan: Plan & { op: 'repartition' }, ctx: ExecContext): Promise<arrow.RecordBatch[]> {
  const schema = schemaOf(plan);
  const all = concatBatches(schema, await execute(plan.child, ctx));
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
  return buckets.map((rows) => takeBatch(all, Int32Array.from(rows)));
}
