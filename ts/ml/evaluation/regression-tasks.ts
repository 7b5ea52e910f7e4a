/**
 * RegressionEvaluator's executor side (docs/formats/SPARK_DEFINITIONS.md §7): `regressionSummary` folds a
 * partition's (prediction, label, weight) rows into weighted sums, means and the label's M2
 * (Welford within a partition, Chan's formulas across); `regressionStats` runs it over a
 * DataFrame's partitions, reading the columns where the partition is (evaluation/common.ts
 * names a bad row on the driver).
 */
import type * as arrow from 'apache-arrow';
import type { Summary } from '../../src/exec/task.js';
import { batchSummary, doublesOf, weightsOf, type BatchRead } from '../data/checked-summary.js';

export interface RegressionPartition {
  prediction: Float64Array;
  label: Float64Array;
  weight: Float64Array | null;
}

/** Weighted sums over (prediction, label) rows; means and M2 merge with Chan's formulas. */
export interface RegressionStats {
  /** Σw and Σw². */
  weightSum: number;
  weightSqSum: number;
  rows: number;
  /** Weighted mean and M2 = Σw(y−ȳ)² of the label. */
  meanY: number;
  m2Y: number;
  /** Weighted mean of the prediction. */
  meanP: number;
  /** Σw(y−p)², Σw|y−p|, Σw·y², Σw·p². */
  sqErr: number;
  absErr: number;
  sqY: number;
  sqP: number;
}

export const regressionSummary: Summary<RegressionStats, RegressionPartition, unknown> = {
  zero: () => ({ weightSum: 0, weightSqSum: 0, rows: 0, meanY: 0, m2Y: 0, meanP: 0, sqErr: 0, absErr: 0, sqY: 0, sqP: 0 }),
  add(s, part) {
    const { prediction: p, label: y, weight } = part;
    for (let i = 0; i < y.length; i++) {
      const w = weight ? weight[i]! : 1;
      if (w === 0) continue;
      const yi = y[i]!;
      const pi = p[i]!;
      const W = s.weightSum + w;
      const dy = yi - s.meanY;
      s.meanY += (w * dy) / W;
      s.m2Y += w * dy * (yi - s.meanY);
      s.meanP += (w * (pi - s.meanP)) / W;
      s.weightSum = W;
      s.weightSqSum += w * w;
      s.rows++;
      const e = yi - pi;
      s.sqErr += w * e * e;
      s.absErr += w * Math.abs(e);
      s.sqY += w * yi * yi;
      s.sqP += w * pi * pi;
    }
    return s;
  },
  merge(a, b) {
    if (b.weightSum === 0) return a;
    if (a.weightSum === 0) return b;
    const W = a.weightSum + b.weightSum;
    const dy = b.meanY - a.meanY;
    return {
      weightSum: W,
      weightSqSum: a.weightSqSum + b.weightSqSum,
      rows: a.rows + b.rows,
      meanY: a.meanY + (dy * b.weightSum) / W,
      m2Y: a.m2Y + b.m2Y + (dy * dy * a.weightSum * b.weightSum) / W,
      meanP: a.meanP + ((b.meanP - a.meanP) * b.weightSum) / W,
      sqErr: a.sqErr + b.sqErr,
      absErr: a.absErr + b.absErr,
      sqY: a.sqY + b.sqY,
      sqP: a.sqP + b.sqP,
    };
  },
};

export interface RegressionColumns {
  predictionCol: string;
  labelCol: string;
  weightCol: string | null;
}

function readRegression(batch: arrow.RecordBatch, b: RegressionColumns): BatchRead<RegressionPartition> {
  return { part: { prediction: doublesOf(batch, b.predictionCol), label: doublesOf(batch, b.labelCol), weight: weightsOf(batch, b.weightCol) } };
}

/** The sums of each partition, read where the partition is. */
export const regressionStats = batchSummary('evaluation.regression', regressionSummary, readRegression);
