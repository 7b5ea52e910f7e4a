/**
 * BinaryClassificationEvaluator's executor side (docs/formats/SPARK_DEFINITIONS.md §5): `binaryScoreSummary`
 * groups a partition's scores by distinct value (Java Double order, descending) into weighted
 * positive/negative counts and merges sorted lists; `binaryScoreStats` runs it over a DataFrame's
 * partitions, reading the score (a double, or element 1 of a vector), the label and the weight
 * of each row, where the partition is (evaluation/common.ts names a bad row on the driver).
 */
import type * as arrow from 'apache-arrow';
import { isValidAt } from '../../src/dataframe/batch.js';
import { isVectorType } from '../../src/dataframe/types.js';
import type { Summary } from '../../src/exec/task.js';
import { vectorElementAt, vectorSizeAt } from '../linalg/columns.js';
import { javaDoubleCompare } from './common.js';
import { batchSummary, checkFinite, columnOf, doublesOf, failRow, weightsOf, type BatchRead } from '../data/checked-summary.js';

/** One partition: score, label and weight per row. */
export interface BinaryScorePartition {
  score: Float64Array;
  label: Float64Array;
  weight: Float64Array | null;
}

/** Distinct scores (descending, Java order) with their weighted positive and negative counts. */
export interface BinaryScoreStats {
  scores: Float64Array;
  pos: Float64Array;
  neg: Float64Array;
}

const emptyStats = (): BinaryScoreStats => ({ scores: new Float64Array(0), pos: new Float64Array(0), neg: new Float64Array(0) });

export const binaryScoreSummary: Summary<BinaryScoreStats, BinaryScorePartition, unknown> = {
  zero: emptyStats,
  add(s, p) {
    const n = p.score.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => javaDoubleCompare(p.score[b]!, p.score[a]!));
    const scores: number[] = [];
    const pos: number[] = [];
    const neg: number[] = [];
    for (const i of order) {
      const sc = p.score[i]!;
      const w = p.weight ? p.weight[i]! : 1;
      if (scores.length === 0 || javaDoubleCompare(scores[scores.length - 1]!, sc) !== 0) {
        scores.push(sc);
        pos.push(0);
        neg.push(0);
      }
      if (p.label[i]! > 0.5) pos[pos.length - 1]! += w;
      else neg[neg.length - 1]! += w;
    }
    return binaryScoreSummary.merge(s, { scores: Float64Array.from(scores), pos: Float64Array.from(pos), neg: Float64Array.from(neg) });
  },
  merge(a, b) {
    if (a.scores.length === 0) return b;
    if (b.scores.length === 0) return a;
    // a linear merge of two descending runs into typed arrays (equal scores add their weights)
    const cap = a.scores.length + b.scores.length;
    const scores = new Float64Array(cap);
    const pos = new Float64Array(cap);
    const neg = new Float64Array(cap);
    let i = 0;
    let j = 0;
    let m = 0;
    while (i < a.scores.length || j < b.scores.length) {
      const c = i >= a.scores.length ? 1 : j >= b.scores.length ? -1 : javaDoubleCompare(b.scores[j]!, a.scores[i]!);
      if (c < 0) {
        scores[m] = a.scores[i]!;
        pos[m] = a.pos[i]!;
        neg[m++] = a.neg[i++]!;
      } else if (c > 0) {
        scores[m] = b.scores[j]!;
        pos[m] = b.pos[j]!;
        neg[m++] = b.neg[j++]!;
      } else {
        scores[m] = a.scores[i]!;
        pos[m] = a.pos[i]! + b.pos[j]!;
        neg[m++] = a.neg[i++]! + b.neg[j++]!;
      }
    }
    return m === cap ? { scores, pos, neg } : { scores: scores.slice(0, m), pos: pos.slice(0, m), neg: neg.slice(0, m) };
  },
};

export interface BinaryScoreColumns {
  rawPredictionCol: string;
  labelCol: string;
  weightCol: string | null;
}

function readScores(batch: arrow.RecordBatch, b: BinaryScoreColumns): BatchRead<BinaryScorePartition> {
  const raw = columnOf(batch, b.rawPredictionCol);
  let score: Float64Array;
  if (isVectorType(raw.type)) {
    const what = `column ${b.rawPredictionCol}`;
    score = new Float64Array(batch.numRows);
    for (let i = 0; i < batch.numRows; i++) {
      if (!isValidAt(raw, i)) failRow(i, what, 'is null; evaluators need a value in every row');
      const size = vectorSizeAt(raw, i);
      if (size < 2) failRow(i, `${what}:`, `expected an index < the vector size ${size} for vector index, got 1 (number)`);
      score[i] = vectorElementAt(what, raw, i, 1);
    }
    checkFinite(score, score.length, what);
  } else score = doublesOf(batch, b.rawPredictionCol);
  return { part: { score, label: doublesOf(batch, b.labelCol), weight: weightsOf(batch, b.weightCol) } };
}

/** The score histogram of each partition, read where the partition is. */
export const binaryScoreStats = batchSummary('evaluation.binaryScores', binaryScoreSummary, readScores);
