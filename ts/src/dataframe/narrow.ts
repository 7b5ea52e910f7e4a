/**
 * Narrow operators over one partition — project, filter, sample, and a map task (mapInArrow
 * with a task: a model's transform) — the operators a stage task chains on an executor without
 * moving rows (Spark's narrow dependencies). `splitNarrow` finds the chain above a plan's base;
 * `runNarrow` applies it.
 */
import * as arrow from 'apache-arrow';
import { evaluate, exprField, rowRandom, type EvalContext } from './eval.js';
import { isValidAt, makeBatch, selectionOf, takeBatch, type AnyData } from './batch.js';
import type { NarrowOp, Plan } from './plan.js';
import { Errors } from '../errors.js';
import { BUILTIN_MODULE, type PartitionTask, type TaskContext } from '../exec/task.js';
import { taskFailure } from '../exec/execute-task.js';
import { batchToPlain, descToType, plainToBatch, schemaToDesc, type FieldDesc } from './portable.js';
import { sparkTypeName } from './types.js';
import type { Expr } from './column.js';

/**
 * The base plan below a chain of narrow operators, and the chain in application order (as plain
 * data for the executors: a map task's broadcast computed now when it is lazy).
 */
export async function splitNarrow(plan: Plan): Promise<{ base: Plan; ops: NarrowOp[] }> {
  const ops: NarrowOp[] = [];
  let p = plan;
  for (;;) {
    if (p.op === 'project') ops.push({ op: 'project', exprs: p.exprs });
    else if (p.op === 'filter') ops.push({ op: 'filter', cond: p.cond });
    else if (p.op === 'sample') ops.push({ op: 'sample', lb: p.lb, ub: p.ub, seed: p.seed, withReplacement: p.withReplacement });
    else if (p.op === 'mapBatches') ops.push({ op: 'mapBatches', task: p.task, broadcast: p.lazyBroadcast ? await p.lazyBroadcast() : p.broadcast, fields: schemaToDesc(p.schema), name: p.name });
    else break;
    p = p.child;
  }
  return { base: p, ops: ops.reverse() };
}

export function projectBatch(api: string, batch: arrow.RecordBatch, exprs: readonly Expr[], ctx: EvalContext): arrow.RecordBatch {
  const fields = exprs.map((e) => exprField(api, e, batch.schema));
  const cols = exprs.map((e, j) => {
    const d = evaluate(api, e, batch, ctx);
    const f = fields[j]!;
    if (arrow.DataType.isNull(d.type) && !arrow.DataType.isNull(f.type)) return evaluate(api, { k: 'cast', child: e, to: 'string' }, batch, ctx);
    return d;
  });
  const schema = new arrow.Schema(fields.map((f, j) => (f.type.typeId === cols[j]!.type.typeId || arrow.DataType.isDictionary(cols[j]!.type) ? new arrow.Field(f.name, cols[j]!.type, f.nullable, f.metadata) : f)));
  return makeBatch(schema, cols as AnyData[], batch.numRows);
}

export function filterBatch(api: string, batch: arrow.RecordBatch, cond: Expr, ctx: EvalContext): arrow.RecordBatch {
  const mask = evaluate(api, cond, batch, ctx);
  if (arrow.DataType.isNull(mask.type)) return batch.slice(0, 0);
  const sel = selectionOf(mask);
  if (sel.length === batch.numRows) return batch;
  return takeBatch(batch, sel);
}

/** Bernoulli sampling of rows whose per-row uniform draw falls in [lb, ub) — Spark's BernoulliCellSampler idea, so randomSplit parts are disjoint and complete. With replacement: Poisson counts. */
export function sampleBatch(batch: arrow.RecordBatch, op: NarrowOp & { op: 'sample' }, partition: number): arrow.RecordBatch {
  const n = batch.numRows;
  const u = rowRandom(op.seed, partition, n);
  if (op.withReplacement) {
    const mean = op.ub - op.lb;
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      // Poisson(mean) by inversion, driven by a per-row stream
      let k = 0;
      let p = Math.exp(-mean);
      let s = p;
      const x = u[i]!;
      while (x > s && k < 1000) {
        k++;
        p *= mean / k;
        s += p;
      }
      for (let c = 0; c < k; c++) rows.push(i);
    }
    return takeBatch(batch, Int32Array.from(rows));
  }
  const sel: number[] = [];
  for (let i = 0; i < n; i++) if (u[i]! >= op.lb && u[i]! < op.ub) sel.push(i);
  return takeBatch(batch, Int32Array.from(sel));
}

/**
 * Runs a chain of narrow operators over one partition. Returns the rows and the context that
 * holds for them: `rowBase` only while no operator has dropped or repeated rows.
 */
export async function runNarrow(batch: arrow.RecordBatch, ops: readonly NarrowOp[], ctx: TaskContext): Promise<{ batch: arrow.RecordBatch; ctx: TaskContext }> {
  const ev: EvalContext = { partition: ctx.partition };
  let rows = ctx; // rowBase holds while no operator has dropped or repeated rows
  for (const op of ops) {
    if (op.op === 'project') batch = projectBatch('select', batch, op.exprs, ev);
    else if (op.op === 'filter') batch = filterBatch('filter', batch, op.cond, ev);
    else if (op.op === 'sample') batch = sampleBatch(batch, op, ctx.partition);
    else {
      const n = batch.numRows;
      batch = await mapBatch(batch, op, rows);
      if (batch.numRows !== n) rows = { ...ctx, rowBase: undefined };
    }
    if (op.op === 'filter' || op.op === 'sample') rows = { ...ctx, rowBase: undefined };
  }
  return { batch, ctx: rows };
}

/** Runs a map task on a batch and checks it returned a batch of the declared schema. */
async function mapBatch(batch: arrow.RecordBatch, op: NarrowOp & { op: 'mapBatches' }, ctx: TaskContext): Promise<arrow.RecordBatch> {
  const task = (await ctx.resolve(op.task)) as PartitionTask<arrow.RecordBatch, unknown, arrow.RecordBatch>;
  if (typeof task.run !== 'function') throw Errors.invalidArg('mapInArrow', 'task', 'a task with run(batch, broadcast, ctx)', op.name);
  let out: unknown;
  try {
    out = await task.run(batch, op.broadcast, ctx);
  } catch (err) {
    throw taskFailure(op.task, ctx.partition, err);
  }
  checkMapOutput(op.name, out, op.fields, ctx.partition);
  // a user module may bring its own copy of apache-arrow (classes that pass instanceof but carry
  // other type objects): rebuild its batch with the engine's; a built-in task's batch is the engine's
  return op.task.module === BUILTIN_MODULE ? out : plainToBatch(batchToPlain(out));
}

/**
 * A mapInArrow result must be a RecordBatch with the declared columns — names, types (Spark's
 * type names, nested types included) and no nulls where the schema declares NOT NULL — as
 * PySpark's mapInArrow checks the batches a function returns against its schema. The error
 * names the partition and the first column that differs.
 */
export function checkMapOutput(name: string, out: unknown, fields: readonly FieldDesc[], partition: number): asserts out is arrow.RecordBatch {
  const b = out as arrow.RecordBatch;
  const isBatch = b !== null && typeof b === 'object' && b.schema !== undefined && b.data !== undefined && typeof b.numRows === 'number';
  if (!isBatch) throw Errors.invalidArg(`mapInArrow ${name}`, 'result', 'a RecordBatch', out);
  const at = `mapInArrow ${name}: partition ${partition} returned`;
  if (b.schema.fields.length !== fields.length) throw Errors.schema(`${at} ${b.schema.fields.length} columns, the schema has ${fields.length}`);
  fields.forEach((f, j) => {
    const got = b.schema.fields[j]!;
    if (got.name !== f.name) throw Errors.schema(`${at} column ${j + 1} named ${got.name}, the schema declares ${f.name}`);
    const want = sparkTypeName(descToType(f.type));
    if (sparkTypeName(got.type) !== want) throw Errors.schema(`${at} column ${j + 1} (${got.name}) as ${sparkTypeName(got.type)}, the schema declares ${f.name} ${want}`);
    const d = b.data.children[j] as AnyData;
    if (!f.nullable && d.nullCount > 0) {
      let row = 0;
      while (isValidAt(d, row)) row++;
      throw Errors.schema(`${at} a null in row ${row} of column ${j + 1} (${f.name}), which the schema declares NOT NULL`);
    }
  });
}
