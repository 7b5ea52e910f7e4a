/**
 * Narrow operators over one partition — project, filter, sample — the operators a stage task
 * chains on an executor without moving rows (Spark's narrow dependencies). `splitNarrow` finds
 * the chain above a plan's base; `runNarrow` applies it.
 */
import * as arrow from 'apache-arrow';
import { evaluate, fieldOf, rowRandom, type EvalContext } from './eval.js';
import { makeBatch, selectionOf, takeBatch, type AnyData } from './batch.js';
import type { NarrowOp, Plan } from './plan.js';
import type { Expr } from './column.js';

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

export function projectBatch(api: string, batch: arrow.RecordBatch, exprs: readonly Expr[], ctx: EvalContext): arrow.RecordBatch {
  const fields = exprs.map((e) => fieldOf(api, e, batch.schema));
  const cols = exprs.map((e, j) => {
    const d = evaluate(api, e, batch, ctx);
    const f = fields[j]!;
    if (arrow.DataType.isNull(d.type) && !arrow.DataType.isNull(f.type)) return evaluate(api, { k: 'cast', child: e, to: 'string' }, batch, ctx);
    return d;
  });
  const schema = new arrow.Schema(fields.map((f, j) => (f.type.typeId === cols[j]!.type.typeId || arrow.DataType.isDictionary(cols[j]!.type) ? new arrow.Field(f.name, cols[j]!.type, f.nullable) : f)));
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

export function runNarrow(batch: arrow.RecordBatch, ops: readonly NarrowOp[], partition: number): arrow.RecordBatch {
  const ctx: EvalContext = { partition };
  for (const op of ops) {
    if (op.op === 'project') batch = projectBatch('select', batch, op.exprs, ctx);
    else if (op.op === 'filter') batch = filterBatch('filter', batch, op.cond, ctx);
    else batch = sampleBatch(batch, op, partition);
  }
  return batch;
}
