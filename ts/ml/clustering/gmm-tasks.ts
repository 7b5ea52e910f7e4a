/**
 * GaussianMixture's executor tasks (docs/ARCHITECTURE.md, "Summaries beside their algorithms";
 * docs/formats/SPARK_DEFINITIONS.md §11), over the training blocks prepared once by
 * ml/data/instances.ts: the rows were validated when they were packed, so the kernels are called
 * through their raw entry points and nothing is re-checked per iteration.
 *   - `gmmDataStats`: the data's total weight, weighted mean and squared spread (merged by Chan's
 *     formula), and up to `cap` distinct rows of positive weight — the E-step's shift, the
 *     regulariser's scale and the check that k does not exceed the distinct points;
 *   - `gmmSampleDraw`: one draw of Spark's takeSample with replacement, a Poisson(fraction) count
 *     per row from `uniformAt(seed, 0, global row)`, so a seed samples the same rows however the
 *     data is split (gmm-init.ts shuffles and gathers them);
 *   - `gmmStats`: the E-step (kernels/gmm.ts), merged by adding;
 *   - `gmmSizes`: rows per most probable component (the summary's clusterSizes);
 *   - `gmmPredict`: GaussianMixtureModel.transform's narrow operator (the probability vector,
 *     Spark's computeProbabilities, and the most probable component).
 */
import { KindlingError } from '../../src/errors.js';
import { defineSummary, defineTask, type TaskContext } from '../../src/exec/task.js';
import { gmmPosteriorsRaw, gmmStepAddRaw, gmmStepMerge, gmmStepZero, type GmmComponents, type GmmStepStats } from '../../src/kernels/gmm.js';
import * as arrow from 'apache-arrow';
import type { PackedRows } from '../data/instances-tasks.js';
import { appendComputed, badRowError, labelColumn, type PredictInput } from '../data/predictions.js';
import { denseVectorColumn } from '../linalg/columns.js';
import { uniformAt } from './kmeans-common.js';

// ----- the data's scale and distinct points ----------------------------------------------------------

export interface GmmDataStats {
  d: number;
  /** Total weight (rows of weight 0 count for nothing). */
  weight: number;
  /** The weighted mean (d). */
  mean: Float64Array;
  /** Σ w |x - mean|², over every feature. */
  m2: number;
  /** Up to `cap` distinct rows of positive weight, row-major. */
  distinct: Float64Array;
  cap: number;
}

export interface DataStatsBroadcast {
  d: number;
  /** How many distinct rows are enough (k). */
  cap: number;
}

/** A row's value as a key (-0 and 0 are one point). */
function rowKey(x: Float64Array, o: number, d: number): string {
  let key = '';
  for (let t = 0; t < d; t++) key += `${x[o + t] === 0 ? 0 : x[o + t]},`;
  return key;
}

/** Rows of `b` not in `a`, appended to `a` up to `cap` rows. */
function unionRows(a: Float64Array, b: Float64Array, d: number, cap: number): Float64Array {
  const seen = new Set<string>();
  for (let o = 0; o < a.length; o += d) seen.add(rowKey(a, o, d));
  const add: number[] = [];
  for (let o = 0; o < b.length && seen.size < cap; o += d) {
    const key = rowKey(b, o, d);
    if (seen.has(key)) continue;
    seen.add(key);
    add.push(o);
  }
  if (add.length === 0) return a;
  const out = new Float64Array(a.length + add.length * d);
  out.set(a);
  add.forEach((o, i) => out.set(b.subarray(o, o + d), a.length + i * d));
  return out;
}

function mergeDataStats(a: GmmDataStats, b: GmmDataStats): GmmDataStats {
  if (b.weight === 0) return a;
  if (a.weight === 0) return b;
  const W = a.weight + b.weight;
  const f = b.weight / W;
  let dd = 0;
  for (let t = 0; t < a.d; t++) {
    const delta = b.mean[t]! - a.mean[t]!;
    dd += delta * delta;
    a.mean[t] = a.mean[t]! + delta * f;
  }
  a.m2 += b.m2 + dd * a.weight * f;
  a.weight = W;
  a.distinct = unionRows(a.distinct, b.distinct, a.d, a.cap);
  return a;
}

export const gmmDataStats = defineSummary<GmmDataStats, PackedRows, DataStatsBroadcast>('gmm.dataStats', {
  zero: (b) => ({ d: b.d, weight: 0, mean: new Float64Array(b.d), m2: 0, distinct: new Float64Array(0), cap: b.cap }),
  add: (s, p, b) => {
    const { d } = b;
    const mean = new Float64Array(d);
    let W = 0;
    for (let i = 0; i < p.n; i++) {
      const w = p.w ? p.w[i]! : 1;
      if (w === 0) continue;
      W += w;
      for (let t = 0; t < d; t++) mean[t] += w * p.x[i * d + t]!;
    }
    if (W === 0) return s;
    for (let t = 0; t < d; t++) mean[t] = mean[t]! / W;
    let m2 = 0;
    const seen = new Set<string>();
    const keep: number[] = [];
    for (let i = 0; i < p.n; i++) {
      const w = p.w ? p.w[i]! : 1;
      if (w === 0) continue;
      for (let t = 0; t < d; t++) {
        const v = p.x[i * d + t]! - mean[t]!;
        m2 += w * v * v;
      }
      if (seen.size < b.cap) {
        const key = rowKey(p.x, i * d, d);
        if (!seen.has(key)) {
          seen.add(key);
          keep.push(i);
        }
      }
    }
    const distinct = new Float64Array(keep.length * d);
    keep.forEach((i, r) => distinct.set(p.x.subarray(i * d, (i + 1) * d), r * d));
    return mergeDataStats(s, { d, weight: W, mean, m2, distinct, cap: b.cap });
  },
  merge: mergeDataStats,
});

// ----- takeSample's draws ------------------------------------------------------------------------------

/** A Poisson(lambda) count from one uniform, by inversion. */
export function poissonCount(lambda: number, u: number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let s = p;
  while (u > s && k < 1000) {
    k++;
    p *= lambda / k;
    s += p;
  }
  return k;
}

/** Rows base .. base + n - 1, each repeated Poisson(fraction) times (drawn from uniformAt(seed, 0, row)), with their weights (null: 1). */
export function drawRows(seed: number, fraction: number, base: number, n: number, w: Float64Array | null): { rows: number[]; w: number[] } {
  const rows: number[] = [];
  const ws: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = poissonCount(fraction, uniformAt(seed, 0, base + i));
    for (let j = 0; j < c; j++) {
      rows.push(base + i);
      ws.push(w ? w[i]! : 1);
    }
  }
  return { rows, w: ws };
}

export interface SampleBroadcast {
  seed: number;
  fraction: number;
  /** The global index of each block's first row, by block (the task's partition). */
  rowBases: number[];
}

export const gmmSampleDraw = defineTask<PackedRows, SampleBroadcast, { rows: number[]; w: number[] }>('gmm.sampleDraw', (p, b, ctx) =>
  drawRows(b.seed, b.fraction, b.rowBases[ctx.partition]!, p.n, p.w),
);

// ----- the E-step and the cluster sizes -------------------------------------------------------------

export interface GmmStepBroadcast {
  comps: GmmComponents;
  /** The global index of each block's first row (error messages). */
  rowBases: number[];
  /** The fit's name and features column (error messages). */
  api: string;
  featuresCol: string;
}

/** A row with no finite density under the components (they diverged): not an argument error. */
function noDensity(b: GmmStepBroadcast, ctx: TaskContext, bad: number): KindlingError {
  const row = b.rowBases[ctx.partition]! + bad;
  return new KindlingError(
    'ERR_KINDLING_CONVERGENCE',
    `${b.api}: EM did not converge: row ${row} of column ${b.featuresCol} has no finite density under the components (its features are too large for the covariances); rescale the features`,
  );
}

export const gmmStats = defineSummary<GmmStepStats, PackedRows, GmmStepBroadcast>('gmm.stats', {
  zero: (b) => gmmStepZero(b.comps.k, b.comps.d, b.comps.shift),
  add: (s, p, b, ctx) => {
    const bad = gmmStepAddRaw(s, p.x, p.w, p.d, b.comps);
    if (bad >= 0) throw noDensity(b, ctx, bad);
    return s;
  },
  merge: gmmStepMerge,
});

/** The first index of the largest value of v[o .. o + k) (Spark's DenseVector.argmax). */
export function argmax(v: Float64Array, o: number, k: number): number {
  let best = 0;
  let bv = v[o]!;
  for (let j = 1; j < k; j++) {
    if (v[o + j]! > bv) {
      bv = v[o + j]!;
      best = j;
    }
  }
  return best;
}

/** Rows (not weights, as Spark's clusterSizes) whose most probable component is each component. */
export const gmmSizes = defineSummary<Float64Array, PackedRows, GmmStepBroadcast>('gmm.sizes', {
  zero: (b) => new Float64Array(b.comps.k),
  add: (s, p, b, ctx) => {
    const { k, d } = b.comps;
    const chunk = Math.max(1, Math.floor(65536 / k));
    const post = new Float64Array(Math.min(chunk, p.n) * k);
    for (let lo = 0; lo < p.n; lo += chunk) {
      const hi = Math.min(p.n, lo + chunk);
      const out = post.subarray(0, (hi - lo) * k);
      const bad = gmmPosteriorsRaw(p.x.subarray(lo * d, hi * d), d, b.comps, out);
      if (bad >= 0) throw noDensity(b, ctx, lo + bad);
      for (let i = 0; i < hi - lo; i++) s[argmax(out, i * k, k)] += 1;
    }
    return s;
  },
  merge: (a, b) => {
    for (let j = 0; j < a.length; j++) a[j] += b[j]!;
    return a;
  },
});

export interface GmmPredictBroadcast {
  input: PredictInput;
  comps: GmmComponents;
  probabilityCol: string;
  predictionCol: string;
}

/** Appends the probability vector and the most probable component (the first on ties). */
export const gmmPredict = defineTask<arrow.RecordBatch, GmmPredictBroadcast, arrow.RecordBatch>('gmm.predict', (batch, b, ctx) => {
  const { k, d } = b.comps;
  const fields = [new arrow.Field(b.probabilityCol, new arrow.FixedSizeList(k, new arrow.Field('element', new arrow.Float64(), false)), false), new arrow.Field(b.predictionCol, new arrow.Int32(), false)];
  return appendComputed(batch, b.input, ctx, fields, (x, n) => {
    const post = new Float64Array(n * k);
    if (n > 0) {
      const bad = gmmPosteriorsRaw(x, d, b.comps, post);
      if (bad >= 0) throw badRowError(b.input.api, { row: bad, what: `column ${b.input.featuresCol}`, why: 'has no finite density under the components (its features are too large for the covariances); rescale the features' }, ctx.partition, ctx.rowBase);
    }
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = argmax(post, i * k, k);
    return [denseVectorColumn(post, k), labelColumn(labels)];
  });
});
