/**
 * The one pass a supervised fit makes over its packed training data before it optimises (Spark's
 * LogisticRegression / LinearRegression first pass: a Summarizer of the features and the label,
 * and the weighted histogram of the labels): per feature the weighted mean and M2, the label's
 * weighted mean and M2, the weighted count of each class, the count, Σw and Σw². Unweighted
 * features fold through the native column-statistics kernel (kernels/colstats.ts); weighted rows
 * through West's weighted update. Merged with Chan et al.'s weighted formulas.
 */
import { defineSummary } from '../../src/exec/task.js';
import { colStatsAddRaw, colStatsZero } from '../../src/kernels/colstats.js';
import type { PackedRows } from '../data/instances-tasks.js';

export interface TrainingStats {
  d: number;
  count: number;
  weightSum: number;
  weightSquareSum: number;
  /** Per feature: weighted mean and Σ w (x - mean)². */
  mean: Float64Array;
  m2: Float64Array;
  labelMean: number;
  labelM2: number;
  /** Weighted count of rows of each class 0..numClasses-1 (empty unless asked). */
  classCounts: Float64Array;
}

export interface TrainingStatsBroadcast {
  d: number;
  /** 0: no class histogram. */
  numClasses: number;
}

export function trainingStatsZero(d: number, numClasses: number): TrainingStats {
  return { d, count: 0, weightSum: 0, weightSquareSum: 0, mean: new Float64Array(d), m2: new Float64Array(d), labelMean: 0, labelM2: 0, classCounts: new Float64Array(numClasses) };
}

/** Chan et al.'s weighted merge (a summary with weight 0 is the identity); a new value. */
export function trainingStatsMerge(a: TrainingStats, b: TrainingStats): TrainingStats {
  const counts = a.classCounts.slice();
  for (let c = 0; c < counts.length; c++) counts[c] = counts[c]! + b.classCounts[c]!;
  if (b.weightSum === 0) return { ...a, count: a.count + b.count, classCounts: counts };
  if (a.weightSum === 0) return { ...b, count: a.count + b.count, classCounts: counts };
  const w = a.weightSum + b.weightSum;
  const fb = b.weightSum / w;
  const fab = (a.weightSum * b.weightSum) / w;
  const mean = new Float64Array(a.d);
  const m2 = new Float64Array(a.d);
  for (let j = 0; j < a.d; j++) {
    const delta = b.mean[j]! - a.mean[j]!;
    mean[j] = a.mean[j]! + delta * fb;
    m2[j] = a.m2[j]! + b.m2[j]! + delta * delta * fab;
  }
  const dy = b.labelMean - a.labelMean;
  return {
    d: a.d,
    count: a.count + b.count,
    weightSum: w,
    weightSquareSum: a.weightSquareSum + b.weightSquareSum,
    mean,
    m2,
    labelMean: a.labelMean + dy * fb,
    labelM2: a.labelM2 + b.labelM2 + dy * dy * fab,
    classCounts: counts,
  };
}

/** One block's statistics. */
export function trainingStatsOf(block: PackedRows, numClasses: number): TrainingStats {
  const { x, y, w, n, d } = block;
  const s = trainingStatsZero(d, numClasses);
  if (n === 0) return s;
  s.count = n;
  if (w === null) {
    const c = colStatsAddRaw(colStatsZero(d), x, n, d);
    s.mean = c.mean;
    s.m2 = c.m2;
    s.weightSum = n;
    s.weightSquareSum = n;
    if (y) {
      let mean = 0;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        const delta = y[i]! - mean;
        mean += delta / (i + 1);
        m2 += delta * (y[i]! - mean);
        if (numClasses > 0) s.classCounts[y[i]!] = s.classCounts[y[i]!]! + 1;
      }
      s.labelMean = mean;
      s.labelM2 = m2;
    }
    return s;
  }
  let ws = 0;
  let w2 = 0;
  let ym = 0;
  let ym2 = 0;
  const mean = s.mean;
  const m2 = s.m2;
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    ws += wi;
    w2 += wi * wi;
    const f = wi / ws;
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const delta = x[o + j]! - mean[j]!;
      mean[j] = mean[j]! + delta * f;
      m2[j] = m2[j]! + wi * delta * (x[o + j]! - mean[j]!);
    }
    if (y) {
      const delta = y[i]! - ym;
      ym += delta * f;
      ym2 += wi * delta * (y[i]! - ym);
      if (numClasses > 0) s.classCounts[y[i]!] = s.classCounts[y[i]!]! + wi;
    }
  }
  s.weightSum = ws;
  s.weightSquareSum = w2;
  s.labelMean = ym;
  s.labelM2 = ym2;
  return s;
}

export const trainingStats = defineSummary<TrainingStats, PackedRows, TrainingStatsBroadcast>('ml.trainingStats', {
  zero: (b) => trainingStatsZero(b.d, b.numClasses),
  add: (s, block, b) => trainingStatsMerge(s, trainingStatsOf(block, b.numClasses)),
  merge: trainingStatsMerge,
});
