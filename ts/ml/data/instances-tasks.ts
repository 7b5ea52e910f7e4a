/**
 * The executor side of a fit's training data (instances.ts): `packInstances` reads one
 * partition's features (and weights) once, checks every row natively, and keeps them on the
 * executor as row-major blocks — split into `splits` row ranges so that a pool has a task per
 * thread even with fewer partitions than threads. `gatherRows` copies chosen rows of a block
 * (initial centres, samples).
 */
import type * as arrow from 'apache-arrow';
import { defineTask, type Kept } from '../../src/exec/task.js';
import type { RowChecks } from '../../src/kernels/validate-rows.js';
import { readFeatures, readWeights, type BadRow } from './features.js';

/** What a fit asks of its training data. */
export interface PackSpec {
  featuresCol: string;
  isArray: boolean;
  /** A weight column (Spark's weightCol), or null for weight 1. */
  weightCol: string | null;
  checks: RowChecks;
  /** Row ranges per partition, each kept as its own block. */
  splits: number;
}

/** One block of training data: n rows of d features, row-major, and the weights (null: all 1). */
export interface PackedRows {
  x: Float64Array;
  w: Float64Array | null;
  n: number;
  d: number;
}

/** What a partition reports: rows per kept block and the dimension, or its first bad row. */
export interface PackMeta {
  rows: number[];
  /** The size of the partition's first row, bad rows or not (-1 when it has no rows or the first is null): the driver compares it across partitions first. */
  d: number;
  /** Rows in the partition (the global row numbers of later partitions start after them). */
  n: number;
  bad: BadRow | null;
}

export const packInstances = defineTask<arrow.RecordBatch, PackSpec, Kept<PackMeta>>('ml.packInstances', (batch, spec, ctx) => {
  const n = batch.numRows;
  const none = (bad: BadRow | null, d = -1): Kept<PackMeta> => ({ kept: [], meta: { rows: [], d, n, bad } });
  if (n === 0) return none(null);
  const f = readFeatures(batch, spec.featuresCol, spec.isArray, spec.checks);
  if ('bad' in f) return none(f.bad, f.dim);
  let w: Float64Array | null = null;
  if (spec.weightCol !== null) {
    const r = readWeights(batch, spec.weightCol);
    if ('bad' in r) return none(r.bad, f.dim);
    w = ctx.share(r.w);
  }
  const d = f.dim;
  const x = ctx.share(f.x);
  const kept: PackedRows[] = [];
  const parts = Math.max(1, Math.min(spec.splits, n));
  for (let s = 0; s < parts; s++) {
    const lo = Math.floor((s * n) / parts);
    const hi = Math.floor(((s + 1) * n) / parts);
    kept.push({ x: x.subarray(lo * d, hi * d), w: w ? w.subarray(lo, hi) : null, n: hi - lo, d });
  }
  return { kept, meta: { rows: kept.map((k) => k.n), d, n, bad: null } };
});

/** Rows `b.rows[ctx.partition]` (indices within the block) of a block, row-major. */
export const gatherRows = defineTask<PackedRows, { rows: number[][] }, Float64Array>('ml.gatherRows', (block, b, ctx) => {
  const rows = b.rows[ctx.partition] ?? [];
  const d = block.d;
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, j) => out.set(block.x.subarray(r * d, (r + 1) * d), j * d));
  return out;
});
