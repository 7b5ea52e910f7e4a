/**
 * MultilabelClassificationEvaluator's executor side (Spark's mllib MultilabelMetrics, one
 * MultilabelSummarizer pass): `multilabelSummary` folds a partition's documents (prediction and
 * label arrays, Scala's multiset intersect/diff) into document counts and sums and per-label
 * true/false positive and false negative counts; `multilabelStats` runs it over a DataFrame's
 * partitions, reading the arrays where the partition is (evaluation/common.ts names a bad row on
 * the driver).
 */
import type { Summary } from '../../src/exec/task.js';
import { readLabelSets, type LabelSets } from './common.js';
import { batchSummary } from '../data/checked-summary.js';

/** One partition: the predicted and the true label set of each document. */
export type LabelSetsPartition = LabelSets;

/** Counts per label value (keys and counts, parallel). */
export interface CountTable {
  keys: Float64Array;
  counts: Float64Array;
}

export interface MultilabelStats {
  docCnt: number;
  labelSet: Float64Array;
  subsetAccuracyCnt: number;
  accuracySum: number;
  hammingLossSum: number;
  precisionSum: number;
  recallSum: number;
  f1MeasureSum: number;
  tp: CountTable;
  fp: CountTable;
  fn: CountTable;
}

/** Scala's Array.intersect: the elements of a that are matched by an unused occurrence in b, in a's order. */
export function multisetIntersect(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const counts = new Map<number, number>();
  for (let k = 0; k < b.length; k++) counts.set(b[k]!, (counts.get(b[k]!) ?? 0) + 1);
  const out: number[] = [];
  for (let k = 0; k < a.length; k++) {
    const c = counts.get(a[k]!) ?? 0;
    if (c > 0) {
      out.push(a[k]!);
      counts.set(a[k]!, c - 1);
    }
  }
  return out;
}

/** Scala's Array.diff: the elements of a left after removing one occurrence per element of b. */
export function multisetDiff(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const counts = new Map<number, number>();
  for (let k = 0; k < b.length; k++) counts.set(b[k]!, (counts.get(b[k]!) ?? 0) + 1);
  const out: number[] = [];
  for (let k = 0; k < a.length; k++) {
    const c = counts.get(a[k]!) ?? 0;
    if (c > 0) counts.set(a[k]!, c - 1);
    else out.push(a[k]!);
  }
  return out;
}

export function toMap(t: CountTable): Map<number, number> {
  const m = new Map<number, number>();
  for (let k = 0; k < t.keys.length; k++) m.set(t.keys[k]!, t.counts[k]!);
  return m;
}

function toTable(m: Map<number, number>): CountTable {
  return { keys: Float64Array.from(m.keys()), counts: Float64Array.from(m.values()) };
}

function mergeTables(a: CountTable, b: CountTable): CountTable {
  const m = toMap(a);
  for (let k = 0; k < b.keys.length; k++) m.set(b.keys[k]!, (m.get(b.keys[k]!) ?? 0) + b.counts[k]!);
  return toTable(m);
}

const emptyTable = (): CountTable => ({ keys: new Float64Array(0), counts: new Float64Array(0) });

export const multilabelSummary: Summary<MultilabelStats, LabelSetsPartition, unknown> = {
  zero: () => ({
    docCnt: 0, labelSet: new Float64Array(0), subsetAccuracyCnt: 0, accuracySum: 0, hammingLossSum: 0, precisionSum: 0, recallSum: 0, f1MeasureSum: 0,
    tp: emptyTable(), fp: emptyTable(), fn: emptyTable(),
  }),
  add(s, part) {
    const labels = new Set(s.labelSet);
    const tp = toMap(s.tp);
    const fp = toMap(s.fp);
    const fn = toMap(s.fn);
    const inc = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
    for (let r = 0; r < part.label.length; r++) {
      const P = part.prediction[r]!;
      const L = part.label[r]!;
      const inter = multisetIntersect(P, L);
      s.docCnt++;
      for (const l of L) labels.add(l);
      if (P.length === L.length && P.every((x, k) => Object.is(x, L[k]))) s.subsetAccuracyCnt++;
      s.accuracySum += inter.length / (L.length + P.length - inter.length);
      s.hammingLossSum += L.length + P.length - 2 * inter.length;
      if (P.length > 0) s.precisionSum += inter.length / P.length;
      s.recallSum += inter.length / L.length;
      s.f1MeasureSum += (2.0 * inter.length) / (P.length + L.length);
      for (const k of inter) inc(tp, k);
      for (const k of multisetDiff(P, L)) inc(fp, k);
      for (const k of multisetDiff(L, P)) inc(fn, k);
    }
    s.labelSet = Float64Array.from(labels);
    s.tp = toTable(tp);
    s.fp = toTable(fp);
    s.fn = toTable(fn);
    return s;
  },
  merge(a, b) {
    if (b.docCnt === 0) return a;
    if (a.docCnt === 0) return b;
    return {
      docCnt: a.docCnt + b.docCnt,
      labelSet: Float64Array.from(new Set([...a.labelSet, ...b.labelSet])),
      subsetAccuracyCnt: a.subsetAccuracyCnt + b.subsetAccuracyCnt,
      accuracySum: a.accuracySum + b.accuracySum,
      hammingLossSum: a.hammingLossSum + b.hammingLossSum,
      precisionSum: a.precisionSum + b.precisionSum,
      recallSum: a.recallSum + b.recallSum,
      f1MeasureSum: a.f1MeasureSum + b.f1MeasureSum,
      tp: mergeTables(a.tp, b.tp),
      fp: mergeTables(a.fp, b.fp),
      fn: mergeTables(a.fn, b.fn),
    };
  },
};

/** The sums and counts of each partition, read where the partition is. */
export const multilabelStats = batchSummary('evaluation.multilabel', multilabelSummary, readLabelSets);
