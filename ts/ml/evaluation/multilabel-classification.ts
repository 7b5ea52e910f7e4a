/**
 * MultilabelClassificationEvaluator and MultilabelMetrics, as Spark's mllib MultilabelMetrics
 * (one MultilabelSummarizer pass: a partition summary folded on the executors,
 * multilabel-classification-tasks.ts). Per
 * document with prediction set P and label set L (arrays; Scala's multiset intersect/diff):
 *   subsetAccuracy: P and L equal element by element (order matters, as java.util.Arrays.equals);
 *   accuracy: |P∩L| / (|L| + |P| − |P∩L|); precision: |P∩L|/|P| (0 for an empty P);
 *   recall: |P∩L|/|L|; f1Measure: 2|P∩L| / (|P| + |L|); all averaged over documents;
 *   hammingLoss: Σ(|L| + |P| − 2|P∩L|) / (documents · distinct labels);
 *   micro*: from the summed per-label true/false positives and false negatives;
 *   *ByLabel: per label (metricLabel), failing for a label that is never a true positive
 *   (Spark: key not found).
 * As in Spark an empty label set gives recall 0/0 = NaN for that document (and hence the mean),
 * and no documents give NaN for the document metrics. A NaN or ±Infinity element of a
 * prediction or label array fails, naming the row.
 */
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { javaDoubleString } from '../../src/io/text-common/java-format.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import { MultilabelClassificationEvaluatorParamsMixin, type MultilabelClassificationEvaluatorParamsOptions } from './evaluator-params.js';
import { aggregateRows } from '../data/checked-summary.js';
import { checkNumericArray } from '../data/schema-checks.js';
import { multilabelStats, toMap, type MultilabelStats } from './multilabel-classification-tasks.js';
import { register } from '../persist.js';
import { MULTILABEL_METRICS } from './evaluator-params.table.js';

export { MULTILABEL_METRICS };
export type MultilabelMetricName = (typeof MULTILABEL_METRICS)[number];

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
    const predictionCol = this.getPredictionCol();
    const labelCol = this.getLabelCol();
    checkNumericArray(api, schema, 'predictionCol', predictionCol);
    checkNumericArray(api, schema, 'labelCol', labelCol);
    return new MultilabelMetrics((await aggregateRows(api, df, multilabelStats, [predictionCol, labelCol], { predictionCol, labelCol })).value);
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
