/**
 * MultilabelClassificationEvaluator and MultilabelMetrics, as Spark's mllib MultilabelMetrics
 * (one MultilabelSummarizer pass, here the partition summary `multilabelSummary`). Per
 * document with prediction set P and label set L (arrays; Scala's multiset intersect/diff):
 *   subsetAccuracy: P and L equal element by element (order matters, as java.util.Arrays.equals);
 *   accuracy: |P∩L| / (|L| + |P| − |P∩L|); precision: |P∩L|/|P| (0 for an empty P);
 *   recall: |P∩L|/|L|; f1Measure: 2|P∩L| / (|P| + |L|); all averaged over documents;
 *   hammingLoss: Σ(|L| + |P| − 2|P∩L|) / (documents · distinct labels);
 *   micro*: from the summed per-label true/false positives and false negatives;
 *   *ByLabel: per label (metricLabel), failing for a label that is never a true positive
 *   (Spark: key not found).
 * As in Spark an empty label set gives recall 0/0 = NaN for that document (and hence the mean),
 * and no documents give NaN for the document metrics.
 */
import { Errors } from '../../src/errors.js';
import type { AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { Summary } from '../../src/exec/task.js';
import { javaDoubleString } from '../../src/dataframe/format.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import { MultilabelClassificationEvaluatorParamsMixin, type MultilabelClassificationEvaluatorParamsOptions } from './evaluator-params.js';
import { checkNumericArray, foldPartitions, partitionsWithOffsets, readNumberArrays } from './common.js';
import { register } from '../persist.js';
import { MULTILABEL_METRICS } from './evaluator-params.table.js';

export { MULTILABEL_METRICS };
export type MultilabelMetricName = (typeof MULTILABEL_METRICS)[number];

export interface LabelSetsPartition {
  prediction: Float64Array[];
  label: Float64Array[];
}

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

function toMap(t: CountTable): Map<number, number> {
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

export const multilabelSummary: Summary<MultilabelStats, LabelSetsPartition, null> = {
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

/** Spark's mllib MultilabelMetrics over merged statistics. */
export class MultilabelMetrics {
  private readonly tp: Map<number, number>;
  private readonly fp: Map<number, number>;
  private readonly fn: Map<number, number>;

  constructor(private readonly s: MultilabelStats) {
    this.tp = toMap(s.tp);
    this.fp = toMap(s.fp);
    this.fn = toMap(s.fn);
  }

  get numDocs(): number { return this.s.docCnt; }
  get numLabels(): number { return this.s.labelSet.length; }
  get subsetAccuracy(): number { return this.s.subsetAccuracyCnt / this.s.docCnt; }
  get accuracy(): number { return this.s.accuracySum / this.s.docCnt; }
  get hammingLoss(): number { return this.s.hammingLossSum / this.s.docCnt / this.numLabels; }
  get precision(): number { return this.s.precisionSum / this.s.docCnt; }
  get recall(): number { return this.s.recallSum / this.s.docCnt; }
  get f1Measure(): number { return this.s.f1MeasureSum / this.s.docCnt; }

  /** Labels with at least one true positive, ascending (Spark's `labels`). */
  get labels(): number[] {
    return [...this.tp.keys()].sort((a, b) => a - b);
  }

  private tpOf(api: string, label: number): number {
    const tp = this.tp.get(label);
    if (tp === undefined) throw Errors.invalidArg(api, 'metricLabel', `a label with at least one true positive [${this.labels.map(javaDoubleString).join(', ')}]`, label);
    return tp;
  }

  precisionByLabel(label: number): number {
    const tp = this.tpOf('MultilabelMetrics.precision', label);
    const fp = this.fp.get(label) ?? 0;
    return tp + fp === 0 ? 0 : tp / (tp + fp);
  }

  recallByLabel(label: number): number {
    const tp = this.tpOf('MultilabelMetrics.recall', label);
    const fn = this.fn.get(label) ?? 0;
    return tp + fn === 0 ? 0 : tp / (tp + fn);
  }

  f1MeasureByLabel(label: number): number {
    const p = this.precisionByLabel(label);
    const r = this.recallByLabel(label);
    return p + r === 0 ? 0 : (2 * p * r) / (p + r);
  }

  private static sum(m: Map<number, number>): number {
    let s = 0;
    for (const v of m.values()) s += v;
    return s;
  }

  get microPrecision(): number {
    const tp = MultilabelMetrics.sum(this.tp);
    return tp / (tp + MultilabelMetrics.sum(this.fp));
  }

  get microRecall(): number {
    const tp = MultilabelMetrics.sum(this.tp);
    return tp / (tp + MultilabelMetrics.sum(this.fn));
  }

  get microF1Measure(): number {
    const tp = MultilabelMetrics.sum(this.tp);
    return (2.0 * tp) / (2 * tp + MultilabelMetrics.sum(this.fn) + MultilabelMetrics.sum(this.fp));
  }
}

export type MultilabelClassificationEvaluatorOptions = MultilabelClassificationEvaluatorParamsOptions;

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class MultilabelClassificationEvaluator extends MLWritable(MultilabelClassificationEvaluatorParamsMixin(Evaluator)) {
  constructor(options?: MultilabelClassificationEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  override isLargerBetter(): boolean {
    return this.getMetricName() !== 'hammingLoss';
  }

  async getMetrics(df: DataFrame): Promise<MultilabelMetrics> {
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
    return new MultilabelMetrics(foldPartitions(multilabelSummary, parts, null));
  }

  protected async evaluateImpl(df: DataFrame): Promise<number> {
    const m = await this.getMetrics(df);
    const label = this.getMetricLabel();
    switch (this.getMetricName()) {
      case 'subsetAccuracy': return m.subsetAccuracy;
      case 'accuracy': return m.accuracy;
      case 'hammingLoss': return m.hammingLoss;
      case 'precision': return m.precision;
      case 'recall': return m.recall;
      case 'f1Measure': return m.f1Measure;
      case 'precisionByLabel': return m.precisionByLabel(label);
      case 'recallByLabel': return m.recallByLabel(label);
      case 'f1MeasureByLabel': return m.f1MeasureByLabel(label);
      case 'microPrecision': return m.microPrecision;
      case 'microRecall': return m.microRecall;
      case 'microF1Measure': return m.microF1Measure;
    }
  }

  override toString(): string {
    return `MultilabelClassificationEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, metricLabel=${this.getMetricLabel()}`;
  }
}

register('org.apache.spark.ml.evaluation.MultilabelClassificationEvaluator', MultilabelClassificationEvaluator);
