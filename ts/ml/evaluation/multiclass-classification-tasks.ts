/**
 * MulticlassClassificationEvaluator's executor side (docs/formats/SPARK_DEFINITIONS.md §6): `confusionSummary`
 * sums the weight of each (label, prediction) pair of a partition, and for logLoss the weighted
 * -ln p[label] with p clipped to [eps, 1 - eps]; `confusionStats` runs it over a DataFrame's
 * partitions, reading the prediction, label, weight and (for logLoss) the probability of each
 * row's label where the partition is (evaluation/common.ts names a bad row on the driver).
 */
import type * as arrow from 'apache-arrow';
import { isValidAt } from '../../src/dataframe/batch.js';
import type { Summary } from '../../src/exec/task.js';
import { vectorElementAt, vectorSizeAt } from '../linalg/columns.js';
import { batchSummary, columnOf, doublesOf, failRow, weightsOf, type BatchRead } from '../data/checked-summary.js';

/** One partition: prediction, label, weight and (for logLoss) the probability of the row's label. */
export interface ConfusionPartition {
  prediction: Float64Array;
  label: Float64Array;
  weight: Float64Array | null;
  /** probability[label] per row, or null when logLoss is not asked for. */
  pLabel: Float64Array | null;
}

export interface ConfusionStats {
  /** (label, prediction) pairs, interleaved. */
  pairs: Float64Array;
  /** Summed weight of each pair. */
  weights: Float64Array;
  /** logLoss numerator and weight (when the partitions carry pLabel). */
  lossSum: number;
  lossWeight: number;
  /** Rows seen by the logLoss sums (Spark's treeReduce fails on none). */
  lossRows: number;
  eps: number;
}

function pairTable(): Map<number, Map<number, number>> {
  return new Map();
}

export function addPair(t: Map<number, Map<number, number>>, label: number, prediction: number, w: number): void {
  let row = t.get(label);
  if (!row) t.set(label, (row = new Map()));
  row.set(prediction, (row.get(prediction) ?? 0) + w);
}

function flatten(t: Map<number, Map<number, number>>): { pairs: Float64Array; weights: Float64Array } {
  const pairs: number[] = [];
  const weights: number[] = [];
  for (const [l, row] of t) for (const [p, w] of row) {
    pairs.push(l, p);
    weights.push(w);
  }
  return { pairs: Float64Array.from(pairs), weights: Float64Array.from(weights) };
}

export const confusionSummary: Summary<ConfusionStats, ConfusionPartition, { eps: number }> = {
  zero: ({ eps }) => ({ pairs: new Float64Array(0), weights: new Float64Array(0), lossSum: 0, lossWeight: 0, lossRows: 0, eps }),
  add(s, p) {
    const t = pairTable();
    for (let k = 0; k < s.weights.length; k++) addPair(t, s.pairs[2 * k]!, s.pairs[2 * k + 1]!, s.weights[k]!);
    const n = p.label.length;
    const loss1 = -Math.log(s.eps);
    const loss2 = -Math.log1p(-s.eps);
    for (let i = 0; i < n; i++) {
      const w = p.weight ? p.weight[i]! : 1;
      addPair(t, p.label[i]!, p.prediction[i]!, w);
      if (p.pLabel) {
        const pr = p.pLabel[i]!;
        const loss = pr < s.eps ? loss1 : pr > 1 - s.eps ? loss2 : -Math.log(pr);
        s.lossSum += loss * w;
        s.lossWeight += w;
        s.lossRows++;
      }
    }
    return { ...s, ...flatten(t) };
  },
  merge(a, b) {
    const t = pairTable();
    for (const s of [a, b]) for (let k = 0; k < s.weights.length; k++) addPair(t, s.pairs[2 * k]!, s.pairs[2 * k + 1]!, s.weights[k]!);
    return { ...flatten(t), lossSum: a.lossSum + b.lossSum, lossWeight: a.lossWeight + b.lossWeight, lossRows: a.lossRows + b.lossRows, eps: a.eps };
  },
};

export interface ConfusionColumns {
  predictionCol: string;
  labelCol: string;
  weightCol: string | null;
  /** Read only for logLoss (else null). */
  probabilityCol: string | null;
  eps: number;
}

/** probability[label] of each row (labels must be integers >= 0 indexing the probability vector). */
function labelProbabilities(batch: arrow.RecordBatch, probCol: string, label: Float64Array, labelCol: string): Float64Array {
  const d = columnOf(batch, probCol);
  const out = new Float64Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) {
    if (!isValidAt(d, i)) failRow(i, `column ${probCol}`, 'is null: probability of each class can not be null');
    const l = label[i]!;
    if (!(Number.isInteger(l) && l >= 0)) failRow(i, `column ${labelCol}`, `holds ${l}: logLoss needs integer labels >= 0 (Invalid label)`);
    const size = vectorSizeAt(d, i);
    if (l >= size) failRow(i, `column ${probCol}`, `has ${size} probabilities, no entry for label ${l}`);
    out[i] = vectorElementAt(probCol, d, i, l);
    if (out[i]! - out[i]! !== 0) failRow(i, `column ${probCol}`, `has ${out[i]} for label ${l}; evaluators need finite values`);
  }
  return out;
}

function readConfusions(batch: arrow.RecordBatch, b: ConfusionColumns): BatchRead<ConfusionPartition> {
  const label = doublesOf(batch, b.labelCol);
  const prediction = doublesOf(batch, b.predictionCol);
  const weight = weightsOf(batch, b.weightCol);
  const pLabel = b.probabilityCol !== null ? labelProbabilities(batch, b.probabilityCol, label, b.labelCol) : null;
  return { part: { prediction, label, weight, pLabel } };
}

/** The confusion counts of each partition, read where the partition is. */
export const confusionStats = batchSummary('evaluation.confusions', confusionSummary, readConfusions);
