/**
 * ClusteringEvaluator: the silhouette as Spark computes it (SPARK_DEFINITIONS.md §4), in
 * O(N·k·d) from per-cluster sums, in two partition summaries:
 *   1. `clusterStatsSummary`: per cluster id, Σw·x and Σw (and Σw·‖x‖² for squaredEuclidean;
 *      for cosine the sums are of x/‖x‖);
 *   2. `silhouetteSummary` (the cluster sums broadcast): per point, the mean distance to each
 *      cluster from those sums —
 *        squaredEuclidean: ‖x‖² + Σw‖c‖²/W − 2·x·Σw·c/W   (SQUARED Euclidean distances:
 *                          not scikit-learn's Euclidean silhouette),
 *        cosine:           1 − (x/‖x‖)·Σw·(c/‖c‖)/W       (distance 1 − cos, as scikit-learn);
 *      a = the own-cluster mean rescaled by W/(W − w) to leave the point out, b = the smallest
 *      mean over the other clusters, s = 1 − a/b (a < b), b/a − 1 (a > b), 0 (equal), and 0 for a
 *      point alone in its cluster; the score is Σw·s / Σw.
 * featuresCol is a vector column (dense or VectorUDT struct, one size) or an array of numbers;
 * predictionCol is numeric (cluster ids are compared as doubles). Fewer than two clusters
 * (including an empty DataFrame) fail, as Spark's assertion. NaN features (or a zero vector
 * with cosine) make the means that involve them NaN; as in Spark, a point whose a or b is NaN
 * then scores 0 (both comparisons are false), and a NaN mean is passed over when looking for
 * the nearest other cluster, so the score stays a number.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { Summary } from '../../src/exec/task.js';
import { isNumericType, isVectorType, sparkTypeName } from '../../src/dataframe/types.js';
import { denseVectorValues, vectorSizeAt } from '../linalg/columns.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamValue } from '../param/params.js';
import { ClusteringEvaluatorParamsMixin, type ClusteringEvaluatorParams, type ClusteringEvaluatorParamsOptions } from './evaluator-params.js';
import { checkNumeric, fieldOf, foldPartitions, partitionsWithOffsets, readDoubles, readNumberArrays, readWeights, weightColumnOf } from './common.js';
import { register } from '../persist.js';

export type SilhouetteDistance = ParamValue<ClusteringEvaluatorParams['distanceMeasure']>;

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

export const clusterStatsSummary: Summary<ClusterStats, ClusterPartition, { measure: SilhouetteDistance; d: number }> = {
  zero: ({ d }) => ({ d, ids: new Float64Array(0), sums: new Float64Array(0), sqNorms: new Float64Array(0), weights: new Float64Array(0) }),
  add(s, p, { measure }) {
    const d = s.d;
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

/** Spark's Silhouette.pointSilhouetteCoefficient. */
export function pointSilhouette(own: number, clusters: ClusterStats, weight: number, meanDistance: (c: number) => number): number {
  const W = clusters.weights[own]!;
  if (W === weight) return 0; // a point alone in its cluster
  // the nearest other cluster in Java's Double order (a NaN mean is passed over unless all are NaN)
  let b = NaN;
  for (let c = 0; c < clusters.ids.length; c++) {
    if (c === own) continue;
    const m = meanDistance(c);
    if (Number.isNaN(b) || m < b) b = m;
  }
  const a = (meanDistance(own) * W) / (W - weight);
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
    const dots = new Float64Array(k);
    const n = p.prediction.length;
    for (let i = 0; i < n; i++) {
      const off = i * d;
      const w = p.weight ? p.weight[i]! : 1;
      const own = slot.get(p.prediction[i]!);
      if (own === undefined) throw Errors.badRow('ClusteringEvaluator', 'predictionCol', i, `holds cluster ${p.prediction[i]} that the cluster statistics do not know`);
      const n2 = rowNorm2(p.x, off, d);
      const scale = measure === 'cosine' ? 1 / Math.sqrt(n2) : 1;
      for (let c = 0; c < k; c++) {
        let dot = 0;
        const base = c * d;
        for (let t = 0; t < d; t++) dot += p.x[off + t]! * clusters.sums[base + t]!;
        dots[c] = dot * scale;
      }
      const mean =
        measure === 'cosine'
          ? (c: number) => 1 - dots[c]! / clusters.weights[c]!
          : (c: number) => n2 + clusters.sqNorms[c]! / clusters.weights[c]! - (2 * dots[c]!) / clusters.weights[c]!;
      s.scoreSum += pointSilhouette(own, clusters, w, mean) * w;
      s.weightSum += w;
    }
    return s;
  },
  merge: (a, b) => ({ scoreSum: a.scoreSum + b.scoreSum, weightSum: a.weightSum + b.weightSum }),
};

export type ClusteringEvaluatorOptions = ClusteringEvaluatorParamsOptions;

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class ClusteringEvaluator extends MLWritable(ClusteringEvaluatorParamsMixin(Evaluator)) {
  constructor(options?: ClusteringEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  override isLargerBetter(): boolean {
    return true;
  }

  protected async evaluateImpl(df: DataFrame): Promise<number> {
    const api = this.stageName;
    const schema = df.schema;
    const featName = this.getFeaturesCol();
    const feat = fieldOf(api, schema, featName);
    const ft = feat.field.type;
    const isArray = arrow.DataType.isList(ft) && isNumericType(ft.children[0]!.type);
    if (!isVectorType(ft) && !isArray) {
      throw Errors.schema(`${api}: column ${featName} (featuresCol) must be a vector or an array of numbers, but is ${sparkTypeName(ft)}`);
    }
    const predName = this.getPredictionCol();
    const predIdx = checkNumeric(api, schema, 'predictionCol', predName);
    const weightName = weightColumnOf(this.getWeightCol());
    const weightIdx = weightName === null ? -1 : checkNumeric(api, schema, 'weightCol', weightName);
    let dim = -1;
    const parts: ClusterPartition[] = (await partitionsWithOffsets(df)).map(({ batch, rowBase }) => {
      const fd = batch.data.children[feat.index]! as AnyData;
      let x: Float64Array;
      let d: number;
      if (isArray) {
        const rows = readNumberArrays(api, fd, featName, rowBase);
        d = dim >= 0 ? dim : rows[0]?.length ?? -1;
        x = new Float64Array(rows.length * Math.max(d, 0));
        rows.forEach((r, i) => {
          if (r.length !== d) throw Errors.badRow(api, `column ${featName}`, rowBase + i, `has ${r.length} features, but earlier rows have ${d}`);
          x.set(r, i * d);
        });
      } else {
        for (let i = 0; i < fd.length; i++) {
          if (!isValidAt(fd, i)) throw Errors.badRow(api, `column ${featName}`, rowBase + i, 'is null: Vectors MUST NOT be Null');
          const size = vectorSizeAt(fd, i);
          if (dim < 0) dim = size;
          else if (size !== dim) throw Errors.badRow(api, `column ${featName}`, rowBase + i, `has ${size} features, but earlier rows have ${dim}: Vector sizes must match`);
        }
        const dv = denseVectorValues(fd, dim >= 0 && fd.length > 0 ? dim : undefined);
        x = dv.values;
        d = fd.length > 0 ? dv.dim : -1;
      }
      if (d >= 0) {
        if (dim >= 0 && d !== dim) throw Errors.schema(`${api}: column ${featName} holds vectors of sizes ${dim} and ${d}; Vector sizes must match`);
        dim = d;
      }
      return {
        x,
        d: Math.max(d, 0),
        prediction: readDoubles(api, batch.data.children[predIdx]! as AnyData, predName, rowBase),
        weight: weightIdx >= 0 ? readWeights(api, batch.data.children[weightIdx]! as AnyData, weightName!, rowBase) : null,
      };
    });
    const d = Math.max(dim, 0);
    for (const p of parts) p.d = d;
    const measure = this.getDistanceMeasure();
    const clusters = foldPartitions(clusterStatsSummary, parts, { measure, d });
    if (clusters.ids.length < 2) {
      throw Errors.schema(`${api}: Number of clusters must be greater than one (the silhouette needs at least two clusters; found ${clusters.ids.length})`);
    }
    const s = foldPartitions(silhouetteSummary, parts, { measure, clusters });
    return s.scoreSum / s.weightSum;
  }

  override toString(): string {
    return `ClusteringEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, distanceMeasure=${this.getDistanceMeasure()}`;
  }
}

register('org.apache.spark.ml.evaluation.ClusteringEvaluator', ClusteringEvaluator);
