/**
 * MulticlassClassificationEvaluator and MulticlassMetrics, as Spark (docs/formats/SPARK_DEFINITIONS.md §6):
 * the weighted confusion counts per (label, prediction) pair are a partition summary
 * folded on the executors (multiclass-classification-tasks.ts); the metrics follow mllib's MulticlassMetrics:
 *   - labels are the distinct values of the label column (ascending); a prediction value that is
 *     never a label only counts as a false positive of that value;
 *   - precision(l) = tp / (tp + fp), 0 when l is never predicted; recall(l) = tp / count(l);
 *     F = (1 + β²)·p·r / (β²·p + r), 0 when p + r = 0; fpr(l) = fp / (total - count(l));
 *   - weighted* metrics weight each label's metric by its weighted frequency; accuracy and
 *     hammingLoss are the (weighted) fractions of equal and unequal pairs;
 *   - logLoss = weighted mean of -ln(p[label]) with p clipped to [eps, 1 - eps]
 *     (log1p(-eps) above 1 - eps); labels must be integers >= 0 indexing probabilityCol.
 * ByLabel metrics fail for a metricLabel that is not a label (Spark: key not found). A NaN or
 * ±Infinity prediction, label or probability[label] fails, naming the row (Spark counts a NaN
 * prediction as a wrong one).
 * Empty input, as Spark: f1 and the weighted metrics are 0 (sums over no labels), accuracy and
 * hammingLoss NaN, ByLabel metrics and logLoss fail.
 */
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { javaDoubleString } from '../../src/io/text-common/java-format.js';
import { DenseMatrix } from '../linalg/matrices.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import { MulticlassClassificationEvaluatorParamsMixin, type MulticlassClassificationEvaluatorParamsOptions } from './evaluator-params.js';
import { aggregateRows } from '../data/checked-summary.js';
import { checkNumeric, checkVector, checkWeightCol } from '../data/schema-checks.js';
import { addPair, confusionStats, type ConfusionStats } from './multiclass-classification-tasks.js';
import { register } from '../persist.js';
import { MULTICLASS_METRICS } from './evaluator-params.table.js';

export { MULTICLASS_METRICS };

export type MulticlassMetricName = (typeof MULTICLASS_METRICS)[number];

/** Spark's mllib MulticlassMetrics over merged confusion counts. */
export class MulticlassMetrics {
  /** Distinct labels, ascending. */
  readonly labels: number[];
  private readonly confusions = new Map<number, Map<number, number>>();
  private readonly labelCountByClass = new Map<number, number>();
  private readonly tpByClass = new Map<number, number>();
  private readonly fpByClass = new Map<number, number>();
  private readonly labelCount: number;
  private readonly stats: ConfusionStats;

  constructor(stats: ConfusionStats) {
    this.stats = stats;
    let total = 0;
    for (let k = 0; k < stats.weights.length; k++) {
      const label = stats.pairs[2 * k]!;
      const prediction = stats.pairs[2 * k + 1]!;
      const w = stats.weights[k]!;
      addPair(this.confusions, label, prediction, w);
      this.labelCountByClass.set(label, (this.labelCountByClass.get(label) ?? 0) + w);
      total += w;
      if (label === prediction) this.tpByClass.set(label, (this.tpByClass.get(label) ?? 0) + w);
      else {
        if (!this.tpByClass.has(label)) this.tpByClass.set(label, 0);
        this.fpByClass.set(prediction, (this.fpByClass.get(prediction) ?? 0) + w);
      }
    }
    this.labelCount = total;
    this.labels = [...this.tpByClass.keys()].sort((a, b) => a - b);
  }

  private known(api: string, label: number): void {
    if (!this.labelCountByClass.has(label)) {
      throw Errors.invalidArg(api, 'metricLabel', `one of the labels in the data [${this.labels.map(javaDoubleString).join(', ')}]`, label);
    }
  }

  /** Rows = true labels, columns = predictions, both in `labels` order (predictions that are never labels are left out, as Spark). */
  confusionMatrix(): DenseMatrix {
    const n = this.labels.length;
    const values = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = this.confusions.get(this.labels[i]!);
      for (let j = 0; j < n; j++) values[i + j * n] = row?.get(this.labels[j]!) ?? 0;
    }
    return new DenseMatrix(n, n, values);
  }

  truePositiveRate(label: number): number {
    return this.recall(label);
  }

  falsePositiveRate(label: number): number {
    this.known('MulticlassMetrics.falsePositiveRate', label);
    return (this.fpByClass.get(label) ?? 0) / (this.labelCount - this.labelCountByClass.get(label)!);
  }

  precision(label: number): number {
    this.known('MulticlassMetrics.precision', label);
    const tp = this.tpByClass.get(label)!;
    const fp = this.fpByClass.get(label) ?? 0;
    return tp + fp === 0 ? 0 : tp / (tp + fp);
  }

  recall(label: number): number {
    this.known('MulticlassMetrics.recall', label);
    return this.tpByClass.get(label)! / this.labelCountByClass.get(label)!;
  }

  fMeasure(label: number, beta = 1): number {
    const p = this.precision(label);
    const r = this.recall(label);
    const b2 = beta * beta;
    return p + r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r);
  }

  get accuracy(): number {
    let tp = 0;
    for (const v of this.tpByClass.values()) tp += v;
    return tp / this.labelCount;
  }

  private weighted(f: (label: number) => number): number {
    let s = 0;
    for (const [label, count] of this.labelCountByClass) s += (f(label) * count) / this.labelCount;
    return s;
  }

  get weightedTruePositiveRate(): number {
    return this.weightedRecall;
  }

  get weightedFalsePositiveRate(): number {
    return this.weighted((l) => this.falsePositiveRate(l));
  }

  get weightedRecall(): number {
    return this.weighted((l) => this.recall(l));
  }

  get weightedPrecision(): number {
    return this.weighted((l) => this.precision(l));
  }

  weightedFMeasure(beta = 1): number {
    return this.weighted((l) => this.fMeasure(l, beta));
  }

  get hammingLoss(): number {
    let num = 0;
    let den = 0;
    for (const [label, row] of this.confusions) {
      for (const [prediction, w] of row) {
        if (label !== prediction) num += w;
        den += w;
      }
    }
    return num / den;
  }

  /** Needs partitions read with probabilities (the evaluator does so for metricName logLoss). */
  logLoss(): number {
    if (this.stats.lossRows === 0) throw Errors.schema('MulticlassMetrics.logLoss: no rows with probabilities to evaluate (Spark: empty collection)');
    return this.stats.lossSum / this.stats.lossWeight;
  }
}

export type MulticlassClassificationEvaluatorOptions = MulticlassClassificationEvaluatorParamsOptions;

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class MulticlassClassificationEvaluator extends MLWritable(MulticlassClassificationEvaluatorParamsMixin(Evaluator)) {
  constructor(options?: MulticlassClassificationEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  override isLargerBetter(): boolean {
    const m = this.getMetricName();
    return !(m === 'weightedFalsePositiveRate' || m === 'falsePositiveRateByLabel' || m === 'logLoss' || m === 'hammingLoss');
  }

  /** Spark's MulticlassMetrics of this DataFrame (probabilities are read only for metricName logLoss). */
  async getMetrics(df: DataFrame): Promise<MulticlassMetrics> {
    const api = this.stageName;
    const schema = df.schema;
    const predictionCol = this.getPredictionCol();
    const labelCol = this.getLabelCol();
    checkNumeric(api, schema, 'predictionCol', predictionCol);
    checkNumeric(api, schema, 'labelCol', labelCol);
    const weightCol = checkWeightCol(api, schema, this.getWeightCol());
    const probabilityCol = this.getMetricName() === 'logLoss' ? this.getProbabilityCol() : null;
    if (probabilityCol !== null) checkVector(api, schema, 'probabilityCol', probabilityCol);
    const cols = { predictionCol, labelCol, weightCol, probabilityCol, eps: this.getEps() };
    const { value } = await aggregateRows(api, df, confusionStats, [predictionCol, labelCol, weightCol, probabilityCol], cols);
    return new MulticlassMetrics(value);
  }

  /** MulticlassMetrics.confusionMatrix: rows are true labels, columns predictions, labels ascending. */
  async confusionMatrix(df: DataFrame): Promise<DenseMatrix> {
    return (await this.getMetrics(df)).confusionMatrix();
  }

  protected async evaluateImpl(df: DataFrame): Promise<number> {
    const m = await this.getMetrics(df);
    const label = this.getMetricLabel();
    const beta = this.getBeta();
    switch (this.getMetricName()) {
      case 'f1': return m.weightedFMeasure(1);
      case 'accuracy': return m.accuracy;
      case 'weightedPrecision': return m.weightedPrecision;
      case 'weightedRecall': return m.weightedRecall;
      case 'weightedTruePositiveRate': return m.weightedTruePositiveRate;
      case 'weightedFalsePositiveRate': return m.weightedFalsePositiveRate;
      case 'weightedFMeasure': return m.weightedFMeasure(beta);
      case 'truePositiveRateByLabel': return m.truePositiveRate(label);
      case 'falsePositiveRateByLabel': return m.falsePositiveRate(label);
      case 'precisionByLabel': return m.precision(label);
      case 'recallByLabel': return m.recall(label);
      case 'fMeasureByLabel': return m.fMeasure(label, beta);
      case 'hammingLoss': return m.hammingLoss;
      case 'logLoss': return m.logLoss();
    }
  }

  override toString(): string {
    return `MulticlassClassificationEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, metricLabel=${this.getMetricLabel()}, beta=${this.getBeta()}, eps=${this.getEps()}`;
  }
}

register('org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator', MulticlassClassificationEvaluator);
