/**
 * KMeans' executor tasks (docs/ARCHITECTURE.md, "Summaries beside their algorithms"), over the
 * training blocks prepared once by ml/data/instances.ts, so they call the raw kernels (the rows
 * were validated when packed):
 *   - `kmeansStats`: the Lloyd step — distances to every centre, argmin, per-centre weighted
 *     sums and weights, weighted cost — merged by adding (kernels/distance.ts);
 *   - k-means|| (Spark's initKMeansParallel): `kmeansInitCosts` keeps a cost per row beside each
 *     block; each step `kmeansUpdateCosts` lowers them to the new candidates and sums them, and
 *     `kmeansPick` returns the rows kept with probability 2·k·cost/Σcost, decided per global row
 *     by `uniformAt(seed, step, row)`, so a seed picks the same rows however the data is split;
 *   - `kmeansPredict`: KMeansModel.transform's narrow operator (the nearest centre of each row).
 */
import { Errors } from '../../src/errors.js';
import { defineSummary, defineTask, type Kept } from '../../src/exec/task.js';
import { kmeansStepAddRaw, kmeansStepMerge, kmeansStepZero, pairwiseRaw, type DistanceMeasure, type KMeansStepStats } from '../../src/kernels/distance.js';
import type * as arrow from 'apache-arrow';
import type { PackedRows } from '../data/instances-tasks.js';
import { appendPrediction, type PredictInput } from '../data/predictions.js';
import { uniformAt } from './kmeans-common.js';

export interface KMeansStepBroadcast {
  /** The current centres, row-major (k x d). */
  centers: Float64Array;
  d: number;
  measure: DistanceMeasure;
  /** Use the blocks' weights (false: count rows, as Spark's clusterSizes). */
  weighted: boolean;
}

export const kmeansStats = defineSummary<KMeansStepStats, PackedRows, KMeansStepBroadcast>('kmeans.stats', {
  zero: (b) => kmeansStepZero(b.centers.length / b.d, b.d),
  add: (s, p, b) => {
    const bad = kmeansStepAddRaw(s, p.x, b.weighted ? p.w : null, b.d, b.centers, b.measure);
    if (bad >= 0) throw Errors.badRow('KMeans', 'a training block', bad, 'has no finite distance to any centre');
    return s;
  },
  merge: kmeansStepMerge,
});

/** Beside each block: a cost per row, +Infinity (no candidate yet). */
export const kmeansInitCosts = defineTask<PackedRows, null, Kept<null>>('kmeans.initCosts', (p, _b, ctx) => ({ kept: [ctx.alloc(Float64Array, p.n).fill(Infinity)], meta: null }));

export interface CostsBroadcast {
  /** The candidates added in the last step (row-major). */
  centers: Float64Array;
  d: number;
  measure: DistanceMeasure;
}

/** Lowers each row's cost to its distance to the nearest new candidate (in place), and sums the costs. */
export const kmeansUpdateCosts = defineSummary<number, [PackedRows, Float64Array], CostsBroadcast>('kmeans.updateCosts', {
  zero: () => 0,
  add: (s, [p, costs], b) => {
    const { d } = b;
    const m = b.centers.length / d;
    if (m > 0) {
      const chunk = Math.max(1, Math.floor(65536 / m));
      const dist = new Float64Array(Math.min(chunk, p.n) * m);
      for (let lo = 0; lo < p.n; lo += chunk) {
        const hi = Math.min(p.n, lo + chunk);
        pairwiseRaw(p.x.subarray(lo * d, hi * d), d, b.centers, b.measure, dist);
        for (let i = lo; i < hi; i++) {
          let best = costs[i]!;
          const o = (i - lo) * m;
          for (let j = 0; j < m; j++) if (dist[o + j]! < best) best = dist[o + j]!;
          costs[i] = best;
        }
      }
    }
    let sum = 0;
    for (let i = 0; i < p.n; i++) sum += costs[i]!;
    return s + sum;
  },
  merge: (a, b) => a + b,
});

export interface PickBroadcast {
  seed: number;
  step: number;
  k: number;
  sumCosts: number;
  /** The global index of each block's first row, by block (the task's partition). */
  rowBases: number[];
}

/** The rows of a block that step `step` keeps, row-major, in row order. */
export const kmeansPick = defineTask<[PackedRows, Float64Array], PickBroadcast, Float64Array>('kmeans.pick', ([p, costs], b, ctx) => {
  const base = b.rowBases[ctx.partition]!;
  const picked: number[] = [];
  for (let i = 0; i < p.n; i++) if (uniformAt(b.seed, b.step, base + i) < (2.0 * costs[i]! * b.k) / b.sumCosts) picked.push(i);
  const d = p.d;
  const out = new Float64Array(picked.length * d);
  picked.forEach((i, r) => out.set(p.x.subarray(i * d, (i + 1) * d), r * d));
  return out;
});

export interface PredictBroadcast {
  input: PredictInput;
  predictionCol: string;
  centers: Float64Array;
  measure: DistanceMeasure;
}

/** The index of each row's nearest centre, appended as an int column. */
export const kmeansPredict = defineTask<arrow.RecordBatch, PredictBroadcast, arrow.RecordBatch>('kmeans.predict', (batch, b, ctx) =>
  appendPrediction(batch, b.input, ctx.partition, b.predictionCol, (x, n) => {
    const d = b.input.d;
    const labels = new Int32Array(n);
    kmeansStepAddRaw(kmeansStepZero(b.centers.length / d, d), x, null, d, b.centers, b.measure, labels);
    return labels;
  }),
);
