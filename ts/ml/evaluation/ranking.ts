/**
 * RankingEvaluator and RankingMetrics, as Spark's mllib RankingMetrics (SPARK_DEFINITIONS.md
 * §8): per query (a predicted ranking and a set of relevant labels), then the mean over all
 * queries; a query with no relevant labels contributes 0 and still counts.
 *   precision@k = hits in the top k / k;  recall@k = hits in the top k / |labels|;
 *   AP = Σ over hits at rank i of (hits so far / i), divided by |labels| (MAP takes
 *   k = max(|prediction|, |labels|)); AP@k restricts to the top k and divides by min(|labels|, k);
 *   NDCG@k with binary gains 1/log(rank + 1), the ideal DCG over min(|labels|, k) positions.
 * The per-query sums are a partition summary (`rankingSummary`). No queries give NaN (the mean
 * of nothing, as Spark's RDD.mean()).
 */
import type { AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { Summary } from '../../src/exec/task.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import { RankingEvaluatorParamsMixin, type RankingEvaluatorParamsOptions } from './evaluator-params.js';
import { checkNumericArray, foldPartitions, partitionsWithOffsets, readNumberArrays } from './common.js';
import { register } from '../persist.js';
import { RANKING_METRICS } from './evaluator-params.table.js';

export { RANKING_METRICS };
export type RankingMetricName = (typeof RANKING_METRICS)[number];

/** Per-query metric of a predicted ranking against the relevant labels. */
export const RankingMetrics = {
  precisionAt(pred: ArrayLike<number>, lab: ArrayLike<number>, k: number): number {
    return countRelevantItemRatio(pred, lab, k, k);
  },

  recallAt(pred: ArrayLike<number>, lab: ArrayLike<number>, k: number): number {
    return countRelevantItemRatio(pred, lab, k, new Set(Array.from(lab)).size);
  },

  averagePrecision(pred: ArrayLike<number>, lab: ArrayLike<number>): number {
    const labSet = new Set(Array.from(lab));
    return averagePrecision(pred, labSet, Math.max(pred.length, labSet.size));
  },

  averagePrecisionAt(pred: ArrayLike<number>, lab: ArrayLike<number>, k: number): number {
    return averagePrecision(pred, new Set(Array.from(lab)), k);
  },

  ndcgAt(pred: ArrayLike<number>, lab: ArrayLike<number>, k: number): number {
    const labSet = new Set(Array.from(lab));
    if (labSet.size === 0) return 0;
    const n = Math.min(Math.max(pred.length, labSet.size), k);
    let maxDcg = 0;
    let dcg = 0;
    for (let i = 0; i < n; i++) {
      const gain = 1.0 / Math.log(i + 2);
      if (i < pred.length && labSet.has(pred[i]!)) dcg += gain;
      if (i < labSet.size) maxDcg += gain;
    }
    return maxDcg === 0 ? 0 : dcg / maxDcg;
  },
};

function countRelevantItemRatio(pred: ArrayLike<number>, lab: ArrayLike<number>, k: number, denominator: number): number {
  const labSet = new Set(Array.from(lab));
  if (labSet.size === 0) return 0;
  const n = Math.min(pred.length, k);
  let cnt = 0;
  for (let i = 0; i < n; i++) if (labSet.has(pred[i]!)) cnt++;
  return cnt / denominator;
}

function averagePrecision(pred: ArrayLike<number>, lab: Set<number>, k: number): number {
  if (lab.size === 0) return 0;
  const n = Math.min(k, pred.length);
  let cnt = 0;
  let precSum = 0;
  for (let i = 0; i < n; i++) {
    if (lab.has(pred[i]!)) {
      cnt++;
      precSum += cnt / (i + 1);
    }
  }
  return precSum / Math.min(lab.size, k);
}

export interface RankingPartition {
  prediction: Float64Array[];
  label: Float64Array[];
}

export interface RankingBroadcast {
  metricName: RankingMetricName;
  k: number;
}

export interface RankingStats {
  sum: number;
  count: number;
}

export const rankingSummary: Summary<RankingStats, RankingPartition, RankingBroadcast> = {
  zero: () => ({ sum: 0, count: 0 }),
  add(s, part, { metricName, k }) {
    for (let r = 0; r < part.label.length; r++) {
      const p = part.prediction[r]!;
      const l = part.label[r]!;
      let v: number;
      switch (metricName) {
        case 'meanAveragePrecision': v = RankingMetrics.averagePrecision(p, l); break;
        case 'meanAveragePrecisionAtK': v = RankingMetrics.averagePrecisionAt(p, l, k); break;
        case 'precisionAtK': v = RankingMetrics.precisionAt(p, l, k); break;
        case 'ndcgAtK': v = RankingMetrics.ndcgAt(p, l, k); break;
        case 'recallAtK': v = RankingMetrics.recallAt(p, l, k); break;
      }
      s.sum += v;
      s.count++;
    }
    return s;
  },
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
};

export type RankingEvaluatorOptions = RankingEvaluatorParamsOptions;

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class RankingEvaluator extends MLWritable(RankingEvaluatorParamsMixin(Evaluator)) {
  constructor(options?: RankingEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  override isLargerBetter(): boolean {
    return true;
  }

  protected async evaluateImpl(df: DataFrame): Promise<number> {
    const api = this.stageName;
    const schema = df.schema;
    const predName = this.getPredictionCol();
    const labelName = this.getLabelCol();
    const predIdx = checkNumericArray(api, schema, 'predictionCol', predName);
    const labelIdx = checkNumericArray(api, schema, 'labelCol', labelName);
    const parts = (await partitionsWithOffsets(df)).map(({ batch, rowBase }) => ({
      prediction: readNumberArrays(api, batch.data.children[predIdx]! as AnyData, predName, rowBase),
      label: readNumberArrays(api, batch.data.children[labelIdx]! as AnyData, labelName, rowBase),
    }));
    const s = foldPartitions(rankingSummary, parts, { metricName: this.getMetricName(), k: this.getK() });
    return s.sum / s.count;
  }

  override toString(): string {
    return `RankingEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, k=${this.getK()}`;
  }
}

register('org.apache.spark.ml.evaluation.RankingEvaluator', RankingEvaluator);
