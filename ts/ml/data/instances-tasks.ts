/**
 * The executor side of a fit's training data (instances.ts): `packInstances` reads one
 * partition's features (and labels and weights) once, checks every row natively, and keeps them on the
 * executor as row-major blocks — split into `splits` row ranges so that a pool has a task per
 * thread even with fewer partitions than threads. `gatherRows` copies chosen rows of a block
 * (initial centres, samples).
 */
import type * as arrow from 'apache-arrow';
import { defineTask, type Kept } from '../../src/exec/task.js';
import type { RowChecks } from '../../src/kernels/validate-rows.js';
import { readFeatures, readLabels, readWeights, type BadRow, type LabelSpec } from './features.js';

/** What a fit asks of its training data. */
export interface PackSpec {
  featuresCol: string;
  isArray: boolean;
  /** A weight column (Spark's weightCol), or null for weight 1. */
  weightCol: string | null;
  /** A label column (supervised fits), or null. */
  labelCol?: string | null;
  label?: LabelSpec;
  checks: RowChecks;
  /** Row ranges per partition, each kept as its own block. */
  splits: number;
}

/** One block of training data: n rows of d features, row-major, the labels (null: unsupervised) and the weights (null: all 1). */
export interface PackedRows {
  x: Float64Array;
  y?: Float64Array | null;
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
  /** The largest label of the partition (-Infinity without labels or rows). */
  labelMax?: number;
}

export const packInstances = defineTask<arrow.RecordBatch, PackSpec, Kept<PackMeta>>('ml.packInstances', (batch, spec, ctx) => {
  const n = batch.numRows;
  const none = (bad: BadRow | null, d = -1): Kept<PackMeta> => ({ kept: [], meta: { rows: [], d, n, bad, labelMax: -Infinity } });
  if (n === 0) return none(null);
  // the lowest bad row over features, weights and labels, whichever check it fails
  const f = readFeatures(batch, spec.featuresCol, spec.isArray, spec.checks);
  const r = spec.weightCol !== null ? readWeights(batch, spec.weightCol) : null;
  const l = spec.labelCol ? readLabels(batch, spec.labelCol, spec.label ?? { kind: 'regression' }) : null;
  const bads = [f, r, l].flatMap((v) => (v !== null && 'bad' in v ? [v.bad] : []));
  if (bads.length > 0) return none(bads.reduce((a, b) => (b.row < a.row ? b : a)), f.dim);
  if ('bad' in f) return none(null, f.dim); // unreachable: f's bad row is in bads
  const w = r !== null && 'w' in r ? ctx.share(r.w) : null;
  const y = l !== null && 'y' in l ? ctx.share(l.y) : null;
  let labelMax = -Infinity;
  if (y !== null) for (let i = 0; i < y.length; i++) if (y[i]! > labelMax) labelMax = y[i]!;
  const d = f.dim;
  const x = ctx.share(f.x);
  const kept: PackedRows[] = [];
  const parts = Math.max(1, Math.min(spec.splits, n));
  for (let s = 0; s < parts; s++) {
    const lo = Math.floor((s * n) / parts);
    const hi = Math.floor(((s + 1) * n) / parts);
    kept.push({ x: x.subarray(lo * d, hi * d), y: y ? y.subarray(lo, hi) : null, w: w ? w.subarray(lo, hi) : null, n: hi - lo, d });
  }
  return { kept, meta: { rows: kept.map((k) => k.n), d, n, bad: null, labelMax } };
});

/** Rows `b.rows[ctx.partition]` (indices within the block) of a block, row-major. */
export const gatherRows = defineTask<PackedRows, { rows: number[][] }, Float64Array>('ml.gatherRows', (block, b, ctx) => {
  const rows = b.rows[ctx.partition] ?? [];
  const d = block.d;
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, j) => out.set(block.x.subarray(r * d, (r + 1) * d), j * d));
  return out;
});
