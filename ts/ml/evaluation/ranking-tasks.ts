/**
 * RankingEvaluator's executor side (Spark's mllib RankingMetrics, docs/formats/SPARK_DEFINITIONS.md §8):
 * the per-query metrics (`RankingMetrics`), and `rankingSummary`, which sums the chosen metric
 * over a partition's queries; `rankingStats` runs it over a DataFrame's partitions, reading the
 * prediction and label arrays where the partition is (evaluation/common.ts names a bad row on
 * the driver).
 */
import type { Summary } from '../../src/exec/task.js';
import { readLabelSets, type LabelSets } from './common.js';
import { batchSummary } from '../data/checked-summary.js';
import type { RankingMetricName } from './ranking.js';

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

/** One partition: the predicted ranking and the relevant labels of each query. */
export type RankingPartition = LabelSets;

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

export interface RankingColumns extends RankingBroadcast {
  predictionCol: string;
  labelCol: string;
}

/** The metric's sum over each partition's queries, read where the partition is. */
export const rankingStats = batchSummary<RankingStats, RankingPartition, RankingColumns>('evaluation.ranking', rankingSummary, readLabelSets);
