/**
 * Per-feature column statistics of n x d row-major vector rows — count, mean, M2, min, max,
 * nnz: the metrics of Spark's Summarizer that the scalers and VarianceThresholdSelector need
 * (docs/formats/SPARK_DEFINITIONS.md §3) — as a mergeable summary, and the per-row affine map
 * y = (x - shift) * scale + offset that the scalers apply.
 *
 * Statistics: rows are folded in blocks of COLSTATS_BLOCK (the block's mean, then its M2 from
 * it, while the block is in cache; each as four partial sums over rows (row - start) % 4, added
 * as (p0 + p1) + (p2 + p3)) and each block is merged into the running value with Chan et al.'s
 * formulas, so the data is read once. NaN propagates into mean and M2 and is skipped
 * by min / max, which start at ∓Double.MAX_VALUE as Spark's SummarizerBuffer does; nnz counts
 * values != 0 (NaN counts).
 *
 * `colStatsAddRaw` / `affineRowsRaw` are the entry points for summaries and tasks over checked
 * data (one native call on the active SIMD tier: native/include/kindling/kernels/colstats.h);
 * `colStatsAddJs` / `affineRowsJs` are their JS twins (the same operations in the same order as
 * the scalar kernel; test/native/colstats-parity.test.ts).
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';

export interface ColStats {
  n: number;
  d: number;
  mean: Float64Array;
  m2: Float64Array;
  min: Float64Array;
  max: Float64Array;
  nnz: Float64Array;
}

/** Rows per block of the one-pass fold (see the file comment). */
export const COLSTATS_BLOCK = 256;

export function colStatsZero(d: number): ColStats {
  return { n: 0, d, mean: new Float64Array(d), m2: new Float64Array(d), min: new Float64Array(d).fill(Number.MAX_VALUE), max: new Float64Array(d).fill(-Number.MAX_VALUE), nnz: new Float64Array(d) };
}

/** Chan et al.'s merge (associative; a summary with n = 0 is the identity): a new summary, a and b are not changed. */
export function colStatsMerge(a: ColStats, b: ColStats): ColStats {
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  if (a.d !== b.d) throw Errors.schema(`colStats: vectors of sizes ${a.d} and ${b.d} in one column`);
  const n = a.n + b.n;
  const wb = b.n / n;
  const wab = (a.n * b.n) / n;
  const r = colStatsZero(a.d);
  r.n = n;
  for (let j = 0; j < a.d; j++) {
    const delta = b.mean[j]! - a.mean[j]!;
    r.mean[j] = a.mean[j]! + delta * wb;
    r.m2[j] = a.m2[j]! + b.m2[j]! + delta * delta * wab;
    r.min[j] = b.min[j]! < a.min[j]! ? b.min[j]! : a.min[j]!;
    r.max[j] = b.max[j]! > a.max[j]! ? b.max[j]! : a.max[j]!;
    r.nnz[j] = a.nnz[j]! + b.nnz[j]!;
  }
  return r;
}

/** JS twin: s with n rows of x (row-major, d per row) folded in (s.d must be d); a new summary. */
export function colStatsAddJs(s: ColStats, x: Float64Array, n: number, d: number): ColStats {
  const blk = colStatsZero(d);
  for (let start = 0; start < n; start += COLSTATS_BLOCK) {
    const end = Math.min(n, start + COLSTATS_BLOCK);
    const m = end - start;
    blk.n = m;
    // per feature: four partial sums by row (row - start) % 4, added as (p0 + p1) + (p2 + p3), as the scalar kernel
    for (let j = 0; j < d; j++) {
      const p = [0, 0, 0, 0];
      let lo = Number.MAX_VALUE;
      let hi = -Number.MAX_VALUE;
      let nz = 0;
      for (let i = start; i < end; i++) {
        const v = x[i * d + j]!;
        p[(i - start) & 3] += v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (v !== 0) nz++;
      }
      const mean = (p[0]! + p[1]! + (p[2]! + p[3]!)) / m;
      const q = [0, 0, 0, 0];
      for (let i = start; i < end; i++) {
        const dev = x[i * d + j]! - mean;
        q[(i - start) & 3] += dev * dev;
      }
      blk.mean[j] = mean;
      blk.m2[j] = q[0]! + q[1]! + (q[2]! + q[3]!);
      blk.min[j] = lo;
      blk.max[j] = hi;
      blk.nnz[j] = nz;
    }
    // the scalar kernel's colstats_merge_block: the first block is copied, later ones merged
    s = s.n === 0 ? { ...blk, mean: blk.mean.slice(), m2: blk.m2.slice(), min: blk.min.slice(), max: blk.max.slice(), nnz: blk.nnz.slice() } : colStatsMerge(s, blk);
  }
  return s;
}

/** The column statistics of n rows of x (row-major, d per row), on the active SIMD tier (or the given variant). */
export function colStatsOfRows(x: Float64Array, n: number, d: number, impl: NativeKernels = native()): ColStats {
  const out = new Float64Array(1 + 5 * d);
  impl.colStatsF64(n * d === x.length ? x : x.subarray(0, n * d), d, out);
  return { n: out[0]!, d, mean: out.subarray(1, 1 + d), m2: out.subarray(1 + d, 1 + 2 * d), min: out.subarray(1 + 2 * d, 1 + 3 * d), max: out.subarray(1 + 3 * d, 1 + 4 * d), nnz: out.subarray(1 + 4 * d) };
}

/** Folds n rows of x into s (data already checked: d >= 1, sizes agree): one native call, then a merge. */
export function colStatsAddRaw(s: ColStats, x: Float64Array, n: number, d: number, impl: NativeKernels = native()): ColStats {
  if (n === 0) return s;
  return colStatsMerge(s, colStatsOfRows(x, n, d, impl));
}

/** The per-feature affine map of a scaler: y = (x - shift) * scale + offset; a null array is 0 (shift, offset) or 1 (scale). */
export interface Affine {
  shift: Float64Array | null;
  scale: Float64Array | null;
  offset: Float64Array | null;
}

/** JS twin: y[i*d + j] = (x[i*d + j] - shift[j]) * scale[j] + offset[j] over n rows. */
export function affineRowsJs(x: Float64Array, n: number, d: number, a: Affine, y: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let v = x[i * d + j]!;
      if (a.shift) v -= a.shift[j]!;
      if (a.scale) v *= a.scale[j]!;
      if (a.offset) v += a.offset[j]!;
      y[i * d + j] = v;
    }
  }
  return y;
}

/** The affine map over n checked rows, natively: a new n x d array (x may be longer than n x d). */
export function affineRowsRaw(x: Float64Array, n: number, d: number, a: Affine, impl: NativeKernels = native()): Float64Array {
  const y = new Float64Array(n * d);
  if (n === 0 || d === 0) return y;
  const or = (v: Float64Array | null, fill: number): Float64Array => v ?? new Float64Array(d).fill(fill);
  impl.affineRowsF64(n * d === x.length ? x : x.subarray(0, n * d), d, or(a.shift, 0), or(a.scale, 1), or(a.offset, 0), y);
  return y;
}
