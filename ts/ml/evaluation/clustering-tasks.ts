/**
 * ClusteringEvaluator's executor side (docs/formats/SPARK_DEFINITIONS.md §4): the silhouette's two partition
 * summaries — `clusterStatsSummary` (per cluster id: Σw·x, Σw·‖x‖², Σw; x/‖x‖ for cosine) and
 * `silhouetteSummary` (the merged cluster sums broadcast: Σw·s(i) and Σw over the points) — and
 * `clusterStats` / `silhouetteStats`, which run them over a DataFrame's partitions, reading the
 * features (a vector column or an array of numbers, one size; finite, and of non-zero norm under
 * cosine: Spark would score NaN or a silent 0), cluster ids and weights where the partition is
 * (ml/data/checked-summary.ts names a bad row on the driver).
 */
import type * as arrow from 'apache-arrow';
import type { Summary } from '../../src/exec/task.js';
import { arrayRowsOf, batchSummary, doublesOf, failRow, vectorRowsOf, weightsOf, type BatchRead, type SizeMismatch } from '../data/checked-summary.js';
import { explainRow, firstBadRowRaw } from '../../src/kernels/validate-rows.js';
import type { SilhouetteDistance } from './clustering.js';

/** One partition: n x d row-major features, cluster ids and weights. */
export interface ClusterPartition {
  x: Float64Array;
  d: number;
  prediction: Float64Array;
  weight: Float64Array | null;
}

/** Per-cluster sums, clusters sorted by id. */
export interface ClusterStats {
  d: number;
  ids: Float64Array;
  /** k x d: Σw·x (squaredEuclidean) or Σw·x/‖x‖ (cosine). */
  sums: Float64Array;
  /** Σw·‖x‖² (squaredEuclidean; zeros for cosine). */
  sqNorms: Float64Array;
  /** Σw. */
  weights: Float64Array;
}

function rowNorm2(x: Float64Array, off: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += x[off + t]! * x[off + t]!;
  return s;
}

/** The vector size comes from the data (`ClusterPartition.d`); a summary with no cluster yet has d = 0. */
export const clusterStatsSummary: Summary<ClusterStats, ClusterPartition, { measure: SilhouetteDistance }> = {
  zero: () => ({ d: 0, ids: new Float64Array(0), sums: new Float64Array(0), sqNorms: new Float64Array(0), weights: new Float64Array(0) }),
  add(s, p, { measure }) {
    const d = p.d;
    const n = p.prediction.length;
    const slot = new Map<number, number>();
    const sums: number[][] = [];
    const sq: number[] = [];
    const ws: number[] = [];
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = p.prediction[i]!;
      let c = slot.get(id);
      if (c === undefined) {
        c = ids.length;
        slot.set(id, c);
        ids.push(id);
        sums.push(new Array<number>(d).fill(0));
        sq.push(0);
        ws.push(0);
      }
      const w = p.weight ? p.weight[i]! : 1;
      const off = i * d;
      const n2 = rowNorm2(p.x, off, d);
      const row = sums[c]!;
      if (measure === 'cosine') {
        const inv = 1 / Math.sqrt(n2);
        for (let t = 0; t < d; t++) row[t]! += w * (p.x[off + t]! * inv);
      } else {
        for (let t = 0; t < d; t++) row[t]! += w * p.x[off + t]!;
        sq[c]! += n2 * w;
      }
      ws[c]! += w;
    }
    const part: ClusterStats = { d, ids: Float64Array.from(ids), sums: Float64Array.from(sums.flat()), sqNorms: Float64Array.from(sq), weights: Float64Array.from(ws) };
    return clusterStatsSummary.merge(s, sortStats(part));
  },
  merge(a, b) {
    if (a.ids.length === 0) return b;
    if (b.ids.length === 0) return a;
    const d = a.d;
    const ids: number[] = [];
    const sums: number[] = [];
    const sq: number[] = [];
    const ws: number[] = [];
    let i = 0;
    let j = 0;
    const take = (s: ClusterStats, k: number, into: number | null) => {
      if (into === null) {
        ids.push(s.ids[k]!);
        for (let t = 0; t < d; t++) sums.push(s.sums[k * d + t]!);
        sq.push(s.sqNorms[k]!);
        ws.push(s.weights[k]!);
      } else {
        for (let t = 0; t < d; t++) sums[into * d + t]! += s.sums[k * d + t]!;
        sq[into]! += s.sqNorms[k]!;
        ws[into]! += s.weights[k]!;
      }
    };
    while (i < a.ids.length || j < b.ids.length) {
      if (j >= b.ids.length || (i < a.ids.length && a.ids[i]! < b.ids[j]!)) take(a, i++, null);
      else if (i >= a.ids.length || b.ids[j]! < a.ids[i]!) take(b, j++, null);
      else {
        take(a, i++, null);
        take(b, j++, ids.length - 1);
      }
    }
    return { d, ids: Float64Array.from(ids), sums: Float64Array.from(sums), sqNorms: Float64Array.from(sq), weights: Float64Array.from(ws) };
  },
};

function sortStats(s: ClusterStats): ClusterStats {
  const k = s.ids.length;
  const order = Array.from({ length: k }, (_, c) => c).sort((x, y) => s.ids[x]! - s.ids[y]!);
  const d = s.d;
  const sums = new Float64Array(k * d);
  order.forEach((c, r) => sums.set(s.sums.subarray(c * d, (c + 1) * d), r * d));
  return { d, ids: Float64Array.from(order, (c) => s.ids[c]!), sums, sqNorms: Float64Array.from(order, (c) => s.sqNorms[c]!), weights: Float64Array.from(order, (c) => s.weights[c]!) };
}

export interface SilhouetteStats {
  /** Σw·s(i) and Σw. */
  scoreSum: number;
  weightSum: number;
}

export interface SilhouetteBroadcast {
  measure: SilhouetteDistance;
  clusters: ClusterStats;
}

/** Spark's Silhouette.pointSilhouetteCoefficient, from the point's mean distance to each cluster. */
export function pointSilhouette(own: number, clusters: ClusterStats, weight: number, means: ArrayLike<number>): number {
  const W = clusters.weights[own]!;
  if (W === weight) return 0; // a point alone in its cluster
  // the nearest other cluster in Java's Double order (a NaN mean is passed over unless all are NaN)
  let b = NaN;
  for (let c = 0; c < clusters.ids.length; c++) {
    if (c === own) continue;
    const m = means[c]!;
    if (Number.isNaN(b) || m < b) b = m;
  }
  const a = (means[own]! * W) / (W - weight);
  if (a < b) return 1 - a / b;
  if (a > b) return b / a - 1;
  return 0;
}

export const silhouetteSummary: Summary<SilhouetteStats, ClusterPartition, SilhouetteBroadcast> = {
  zero: () => ({ scoreSum: 0, weightSum: 0 }),
  add(s, p, { measure, clusters }) {
    const d = p.d;
    const k = clusters.ids.length;
    const slot = new Map<number, number>();
    for (let c = 0; c < k; c++) slot.set(clusters.ids[c]!, c);
    const means = new Float64Array(k);
    const { x } = p;
    const { sums, sqNorms, weights } = clusters;
    const cosine = measure === 'cosine';
    const n = p.prediction.length;
    for (let i = 0; i < n; i++) {
      const off = i * d;
      const w = p.weight ? p.weight[i]! : 1;
      const own = slot.get(p.prediction[i]!);
      if (own === undefined) failRow(i, 'predictionCol', `holds cluster ${p.prediction[i]} that the cluster statistics do not know`);
      const n2 = rowNorm2(p.x, off, d);
      const scale = cosine ? 1 / Math.sqrt(n2) : 1;
      for (let c = 0; c < k; c++) {
        let dot = 0;
        const base = c * d;
        for (let t = 0; t < d; t++) dot += x[off + t]! * sums[base + t]!;
        const W = weights[c]!;
        means[c] = cosine ? 1 - (dot * scale) / W : n2 + sqNorms[c]! / W - (2 * dot) / W;
      }
      s.scoreSum += pointSilhouette(own, clusters, w, means) * w;
      s.weightSum += w;
    }
    return s;
  },
  merge: (a, b) => ({ scoreSum: a.scoreSum + b.scoreSum, weightSum: a.weightSum + b.weightSum }),
};

export interface ClusterColumns {
  featuresCol: string;
  /** featuresCol is an array of numbers (else a vector column). */
  isArray: boolean;
  predictionCol: string;
  weightCol: string | null;
  measure: SilhouetteDistance;
}

/** How a row whose size differs from the earlier rows' is reported. */
export function pointSizeMismatch(featuresCol: string, isArray: boolean): SizeMismatch {
  return (size, dim) => ({ what: `column ${featuresCol}`, why: `has ${size} features, but earlier rows have ${dim}${isArray ? '' : ': Vector sizes must match'}` });
}

/** A partition's points: the features row-major (one size), cluster ids and weights. */
function readPoints(batch: arrow.RecordBatch, b: ClusterColumns): BatchRead<ClusterPartition> {
  const sizeMismatch = pointSizeMismatch(b.featuresCol, b.isArray);
  const { x, d } = b.isArray
    ? arrayRowsOf(batch, b.featuresCol, sizeMismatch)
    : vectorRowsOf(batch, b.featuresCol, { what: `column ${b.featuresCol}`, isNull: 'is null: Vectors MUST NOT be Null', sizeMismatch });
  if (d > 0) {
    // as the estimators' fits (ml/data/features.ts): finite values, a finite squared norm, and a
    // non-zero norm under cosine; else a silhouette is NaN, or compares false into a silent 0
    const checks = { nonZeroNorm: b.measure === 'cosine', finiteNorm: true };
    const rows = x.subarray(0, batch.numRows * d);
    const bad = firstBadRowRaw(rows, d, checks);
    if (bad >= 0) failRow(bad, `column ${b.featuresCol}`, explainRow(rows, d, bad, checks), d);
  }
  return { part: { x, d: Math.max(d, 0), prediction: doublesOf(batch, b.predictionCol), weight: weightsOf(batch, b.weightCol) }, size: d };
}

/** Pass 1: the cluster sums of each partition, read where the partition is. */
export const clusterStats = batchSummary('evaluation.clusterStats', clusterStatsSummary, readPoints);

/** Pass 2: the silhouettes of each partition's points, against the merged cluster sums. */
export const silhouetteStats = batchSummary<SilhouetteStats, ClusterPartition, ClusterColumns & SilhouetteBroadcast>('evaluation.silhouettes', silhouetteSummary, readPoints);
