/**
 * What only the evaluators share (docs/formats/SPARK_DEFINITIONS.md §4–8): the label sets of the multilabel
 * and ranking evaluators, and Java's Double.compare for score orderings. Column rules are in
 * ml/data/schema-checks.ts; the summaries that name bad rows in ml/data/checked-summary.ts.
 */
import type * as arrow from 'apache-arrow';
import { columnOf, numberArraysOf, type BatchRead } from '../data/checked-summary.js';

/** The prediction and label arrays of each row (the multilabel and ranking evaluators). */
export interface LabelSets {
  prediction: Float64Array[];
  label: Float64Array[];
}

export function readLabelSets(batch: arrow.RecordBatch, b: { predictionCol: string; labelCol: string }): BatchRead<LabelSets> {
  return { part: { prediction: numberArraysOf(columnOf(batch, b.predictionCol), b.predictionCol), label: numberArraysOf(columnOf(batch, b.labelCol), b.labelCol) } };
}

/** Java's Double.compare: NaN above +Infinity, -0.0 below 0.0. */
export function javaDoubleCompare(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = a !== a;
  const bn = b !== b;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (a === 0 && b === 0) {
    const na = Object.is(a, -0);
    const nb = Object.is(b, -0);
    return na === nb ? 0 : na ? -1 : 1;
  }
  return 0;
}
