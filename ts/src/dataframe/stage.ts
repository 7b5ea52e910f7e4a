/**
 * One stage task: a chain of narrow operators over one partition, ending in a terminal —
 * return the rows, count them, or fold them into a partial aggregate. Tasks are plain data
 * (plain batch + operators as expression trees), so the same function runs inline, in a
 * `local[N]` worker (as the built-in summary `kindling:stage`), or on a remote executor.
 */
import * as arrow from 'apache-arrow';
import { evaluate, rowRandom, type EvalContext } from './eval.js';
import { fieldOf } from './eval.js';
import { makeBatch, selectionOf, takeBatch, type AnyData } from './batch.js';
import { partialAggregate, type AggregateTask, type PartialAgg } from './aggregate.js';
import { runDense, type DenseAggTask } from './dense-agg.js';
import { batchToPlain, plainToBatch, type PlainBatch } from './portable.js';
import type { NarrowOp } from './plan.js';
import type { Summary } from '../exec/summary.js';
import type { Expr } from './column.js';

export type Terminal = { kind: 'rows' } | { kind: 'count' } | { kind: 'aggregate'; task: AggregateTask } | { kind: 'dense'; task: DenseAggTask };

export interface StageTask {
  batch: PlainBatch;
  partition: number;
  ops: NarrowOp[];
  terminal: Terminal;
}

export type StageResult = { kind: 'rows'; batch: PlainBatch } | { kind: 'count'; count: number } | { kind: 'aggregate'; partial: PartialAgg };

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

export function runStage(batch: arrow.RecordBatch, partition: number, ops: readonly NarrowOp[], terminal: Terminal): { rows?: arrow.RecordBatch; count?: number; partial?: PartialAgg } {
  const out = runNarrow(batch, ops, partition);
  if (terminal.kind === 'rows') return { rows: out };
  if (terminal.kind === 'count') return { count: out.numRows };
  if (terminal.kind === 'dense') {
    runDense(out, terminal.task);
    return { count: out.numRows };
  }
  return { partial: partialAggregate('agg', out, terminal.task, { partition }) };
}

/** The stage as a built-in summary for executor backends: `add` runs the task; partials are returned in task order (never merged by the backend). */
export const stageSummary: Summary<StageResult | null, StageTask, null> = {
  zero: () => null,
  add: (_s, task) => {
    const r = runStage(plainToBatch(task.batch), task.partition, task.ops, task.terminal);
    if (r.rows) return { kind: 'rows', batch: batchToPlain(r.rows) };
    if (r.count !== undefined) return { kind: 'count', count: r.count };
    return { kind: 'aggregate', partial: r.partial! };
  },
  merge: (a, b) => b ?? a,
};

export const STAGE_MODULE = 'kindling:stage';
