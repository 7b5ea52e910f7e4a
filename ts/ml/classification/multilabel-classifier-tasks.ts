/**
 * The executor side of MultilabelClassifier (multilabel-classifier.ts):
 *   - `multilabelLabelStats`: one pass over the label-array column — every row's labels must be
 *     a non-null array of integers >= 0 (a bad row is named over the whole DataFrame,
 *     ml/data/checked-summary.ts) — giving the rows and, per label index, the rows that hold it;
 *   - `multilabelCombine`: after every sub-model has scored the rows (one-vs-rest-models.ts
 *     `transformEach`, outputs under temporary columns), the array<double> of the labels whose
 *     sub-model predicts 1 (ascending) and, when asked, the vector of their P(1), dropping the
 *     temporary columns.
 */
import * as arrow from 'apache-arrow';
import { type AnyData } from '../../src/dataframe/batch.js';
import { numericValues } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import { defineSummary, defineTask } from '../../src/exec/task.js';
import { batchSummary, columnOf, failRow, numberArraysOf } from '../data/checked-summary.js';
import { denseVectorColumn } from '../linalg/columns.js';
import { replaceColumns, vectorElements } from './one-vs-rest-tasks.js';

export interface LabelStats {
  rows: number;
  /** positives[j]: the rows whose labels hold j. */
  positives: number[];
}

export interface LabelStatsBroadcast {
  labelCol: string;
}

const labelStatsInner = defineSummary<LabelStats, Float64Array[], LabelStatsBroadcast>('classification.multilabelLabelStatsInner', {
  zero: () => ({ rows: 0, positives: [] }),
  add: (s, sets) => {
    for (const set of sets) {
      s.rows++;
      for (const j of new Set(set)) s.positives[j] = (s.positives[j] ?? 0) + 1;
    }
    return s;
  },
  merge: (a, b) => {
    const positives = Array.from({ length: Math.max(a.positives.length, b.positives.length) }, (_, j) => (a.positives[j] ?? 0) + (b.positives[j] ?? 0));
    return { rows: a.rows + b.rows, positives };
  },
});

export const multilabelLabelStats = batchSummary('classification.multilabelLabelStats', labelStatsInner, (batch, b: LabelStatsBroadcast) => {
  const sets = numberArraysOf(columnOf(batch, b.labelCol), b.labelCol);
  sets.forEach((set, i) => {
    for (const v of set) {
      if (!(Number.isInteger(v) && v >= 0)) failRow(i, `label column ${b.labelCol}`, `holds the label ${v}: labels must be integers >= 0 (label indices)`);
      if (v > 2 ** 20) failRow(i, `label column ${b.labelCol}`, `holds the label ${v}: more than 2^20 labels`);
    }
  });
  return { part: sets };
});

export interface MultilabelCombineBroadcast {
  /** The sub-models' temporary prediction and probability columns (label order; probability may be empty). */
  predCols: string[];
  probCols: string[];
  predictionCol: string;
  probabilityCol: string;
}

/** The output fields (prediction array<double>, probability vector of numLabels). */
export function multilabelFields(predictionCol: string, probabilityCol: string, numLabels: number): arrow.Field[] {
  const fields: arrow.Field[] = [];
  if (predictionCol !== '') fields.push(new arrow.Field(predictionCol, Types.array(Types.double(), false), false));
  if (probabilityCol !== '') fields.push(new arrow.Field(probabilityCol, Types.vector(numLabels), false));
  return fields;
}

export const multilabelCombine = defineTask<arrow.RecordBatch, MultilabelCombineBroadcast, arrow.RecordBatch>('classification.multilabelCombine', (batch, b) => {
  const n = batch.numRows;
  const k = b.predCols.length;
  const cols: AnyData[] = [];
  if (b.predictionCol !== '') {
    const preds = b.predCols.map((name) => numericValues(columnOf(batch, name)));
    const offsets = new Int32Array(n + 1);
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) if (preds[j]![i] === 1) values.push(j);
      offsets[i + 1] = values.length;
    }
    const child = arrow.makeData({ type: new arrow.Float64(), length: values.length, data: Float64Array.from(values), nullCount: 0 });
    cols.push(arrow.makeData({ type: Types.array(Types.double(), false) as arrow.List, length: n, valueOffsets: offsets, child, nullCount: 0 } as never) as AnyData);
  }
  if (b.probabilityCol !== '') {
    const prob = new Float64Array(n * k);
    b.probCols.forEach((name, j) => {
      const v = vectorElements(batch, name, 1);
      for (let i = 0; i < n; i++) prob[i * k + j] = v[i]!;
    });
    cols.push(denseVectorColumn(prob, k));
  }
  return replaceColumns(batch, [...b.predCols, ...b.probCols], multilabelFields(b.predictionCol, b.probabilityCol, k), cols);
});
