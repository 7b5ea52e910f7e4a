/**
 * The training and evaluation summaries of LogisticRegression (Spark's
 * LogisticRegressionSummary / LogisticRegressionTrainingSummary and their binary variants) and
 * the ClassificationSummary they build on (Spark's ClassificationSummary; LinearSVC's summary is
 * one too). The metrics are the evaluators' (ts/ml/evaluation/): MulticlassMetrics of the
 * prediction and label columns, and — binary — BinaryClassificationMetrics of probability[1] with
 * numBins 1000, as Spark's BinaryClassificationSummary. Spark computes them lazily; here each
 * summary runs its passes over the predictions once when it is made (`await model.evaluate(df)`),
 * or — a training summary — its one pass over the fit's packed training blocks
 * (logistic-regression-tasks.ts logisticSummaryStats), so the accessors are plain properties as
 * in PySpark. One consequence:
 * a training summary keeps the predictions of the fit's params — after model.setThreshold(t)
 * Spark's lazily computed summary would use t, kindling's does not (`evaluate(df)` does).
 */
import { inspect } from 'node:util';
import * as arrow from 'apache-arrow';
import { makeBatch } from '../../src/dataframe/batch.js';
import { lazyFrame, type DataFrame } from '../../src/dataframe/dataframe.js';
import { doubleColumn } from '../predictor/scoring-tasks.js';
import { KindlingError } from '../../src/errors.js';
import { BinaryClassificationEvaluator, type BinaryClassificationMetrics } from '../evaluation/binary-classification.js';
import { MulticlassClassificationEvaluator, type MulticlassMetrics } from '../evaluation/multiclass-classification.js';

export interface SummaryColumns {
  predictionCol: string;
  labelCol: string;
  /** '' when the model has no weightCol (Spark's summaries then weigh every row 1). */
  weightCol: string;
}

/** Spark's ClassificationSummary: multiclass metrics of a model's predictions. */
export class ClassificationSummary {
  protected constructor(
    /** The DataFrame with the model's output columns (its transform). */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly labelCol: string,
    readonly weightCol: string,
    protected readonly metrics: MulticlassMetrics,
    /** Binary summaries: the metrics of the score column's element 1. */
    protected readonly binary: BinaryClassificationMetrics | null = null,
  ) {}

  /** Binary summaries: the metrics of `scoreCol` (a vector column: its element 1) with numBins 1000, as Spark's BinaryClassificationSummary. */
  static async binaryMetricsOf(predictions: DataFrame, scoreCol: string, cols: SummaryColumns): Promise<BinaryClassificationMetrics> {
    const ev = new BinaryClassificationEvaluator({ rawPredictionCol: scoreCol, labelCol: cols.labelCol, numBins: 1000, ...(cols.weightCol !== '' ? { weightCol: cols.weightCol } : {}) });
    return ev.getMetrics(predictions);
  }

  /** A two-column DataFrame of curve points. */
  protected curve(which: 'roc' | 'pr' | 'fMeasureByThreshold' | 'precisionByThreshold' | 'recallByThreshold'): DataFrame {
    const b = this.binary!;
    const [rows, a, c]: [Array<[number, number]>, string, string] =
      which === 'roc' ? [b.roc(), 'FPR', 'TPR']
      : which === 'pr' ? [b.pr(), 'recall', 'precision']
      : which === 'fMeasureByThreshold' ? [b.fMeasureByThreshold(1), 'threshold', 'F-Measure']
      : which === 'precisionByThreshold' ? [b.precisionByThreshold(), 'threshold', 'precision']
      : [b.recallByThreshold(), 'threshold', 'recall'];
    const schema = new arrow.Schema([new arrow.Field(a, new arrow.Float64(), false), new arrow.Field(c, new arrow.Float64(), false)]);
    const batch = makeBatch(schema, [doubleColumn(Float64Array.from(rows, (r) => r[0])), doubleColumn(Float64Array.from(rows, (r) => r[1]))], rows.length);
    return lazyFrame(this.predictions.session, schema, async () => [batch]);
  }

  /** The multiclass metrics of `predictions` (one pass). */
  static async metricsOf(predictions: DataFrame, cols: SummaryColumns): Promise<MulticlassMetrics> {
    const ev = new MulticlassClassificationEvaluator({ predictionCol: cols.predictionCol, labelCol: cols.labelCol, ...(cols.weightCol !== '' ? { weightCol: cols.weightCol } : {}) });
    return ev.getMetrics(predictions);
  }

  static async of(predictions: DataFrame, cols: SummaryColumns): Promise<ClassificationSummary> {
    return new ClassificationSummary(predictions, cols.predictionCol, cols.labelCol, cols.weightCol, await ClassificationSummary.metricsOf(predictions, cols));
  }

  /** The distinct labels, ascending (Spark's labels). */
  get labels(): number[] {
    return [...this.metrics.labels];
  }

  get accuracy(): number {
    return this.metrics.accuracy;
  }

  get truePositiveRateByLabel(): number[] {
    return this.metrics.labels.map((l) => this.metrics.truePositiveRate(l));
  }

  get falsePositiveRateByLabel(): number[] {
    return this.metrics.labels.map((l) => this.metrics.falsePositiveRate(l));
  }

  get precisionByLabel(): number[] {
    return this.metrics.labels.map((l) => this.metrics.precision(l));
  }

  get recallByLabel(): number[] {
    return this.metrics.labels.map((l) => this.metrics.recall(l));
  }

  fMeasureByLabel(beta = 1): number[] {
    return this.metrics.labels.map((l) => this.metrics.fMeasure(l, beta));
  }

  get weightedTruePositiveRate(): number {
    return this.metrics.weightedTruePositiveRate;
  }

  get weightedFalsePositiveRate(): number {
    return this.metrics.weightedFalsePositiveRate;
  }

  get weightedRecall(): number {
    return this.metrics.weightedRecall;
  }

  get weightedPrecision(): number {
    return this.metrics.weightedPrecision;
  }

  weightedFMeasure(beta = 1): number {
    return this.metrics.weightedFMeasure(beta);
  }

  [inspect.custom](): string {
    return `${this.constructor.name}(accuracy=${this.accuracy}, labels=[${this.labels.join(', ')}])`;
  }
}

/** Spark's TrainingSummary part: the objective at the start and after each iteration. */
export interface TrainingSummaryPart {
  readonly objectiveHistory: number[];
  /** Iterations run (objectiveHistory.length − 1, as Spark 3.x). */
  readonly totalIterations: number;
  /** kindling: false when the optimiser stopped at maxIter (or its line search failed) without meeting tol. */
  readonly converged: boolean;
}

/** Spark's LogisticRegressionSummary (multiclass). */
export class LogisticRegressionSummary extends ClassificationSummary {
  protected constructor(
    predictions: DataFrame,
    readonly probabilityCol: string,
    predictionCol: string,
    labelCol: string,
    readonly featuresCol: string,
    weightCol: string,
    metrics: MulticlassMetrics,
    binary: BinaryClassificationMetrics | null = null,
  ) {
    super(predictions, predictionCol, labelCol, weightCol, metrics, binary);
  }

  static async summaryOf(predictions: DataFrame, cols: LogisticSummaryColumns): Promise<LogisticRegressionSummary> {
    const m = await ClassificationSummary.metricsOf(predictions, cols);
    return new LogisticRegressionSummary(predictions, cols.probabilityCol, cols.predictionCol, cols.labelCol, cols.featuresCol, cols.weightCol, m);
  }

  /** Spark's asBinary: this summary as a binary one, or an error for a multiclass model. */
  get asBinary(): BinaryLogisticRegressionSummary {
    if (this instanceof BinaryLogisticRegressionSummary) return this;
    throw new KindlingError('ERR_KINDLING_INVALID_ARG', 'LogisticRegressionSummary.asBinary: Cannot cast to a binary summary (the model has more than 2 classes)');
  }
}

export interface LogisticSummaryColumns extends SummaryColumns {
  probabilityCol: string;
  featuresCol: string;
}

/** Spark's LogisticRegressionTrainingSummary (multiclass). */
export class LogisticRegressionTrainingSummary extends LogisticRegressionSummary implements TrainingSummaryPart {
  readonly objectiveHistory: number[];
  readonly converged: boolean;

  private constructor(predictions: DataFrame, cols: LogisticSummaryColumns, metrics: MulticlassMetrics, objectiveHistory: number[], converged: boolean) {
    super(predictions, cols.probabilityCol, cols.predictionCol, cols.labelCol, cols.featuresCol, cols.weightCol, metrics);
    this.objectiveHistory = objectiveHistory;
    this.converged = converged;
  }

  /** @internal From metrics computed elsewhere (the fit's pass over its training blocks). */
  static ofMetrics(predictions: DataFrame, cols: LogisticSummaryColumns, metrics: MulticlassMetrics, objectiveHistory: number[], converged: boolean): LogisticRegressionTrainingSummary {
    return new LogisticRegressionTrainingSummary(predictions, cols, metrics, objectiveHistory, converged);
  }

  get totalIterations(): number {
    return Math.max(this.objectiveHistory.length - 1, 0);
  }
}

/** Spark's BinaryLogisticRegressionSummary: the multiclass metrics and the curves of probability[1]. */
export class BinaryLogisticRegressionSummary extends LogisticRegressionSummary {
  protected constructor(predictions: DataFrame, cols: LogisticSummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics) {
    super(predictions, cols.probabilityCol, cols.predictionCol, cols.labelCol, cols.featuresCol, cols.weightCol, metrics, binary);
  }

  /** The binary metrics of probability[1] (Spark: numBins 1000; probabilityCol is required). */
  static async logisticBinaryMetricsOf(predictions: DataFrame, cols: LogisticSummaryColumns): Promise<BinaryClassificationMetrics> {
    if (cols.probabilityCol === '') throw new KindlingError('ERR_KINDLING_INVALID_ARG', 'BinaryLogisticRegressionSummary: probabilityCol is required for BinaryLogisticRegressionSummary.');
    return ClassificationSummary.binaryMetricsOf(predictions, cols.probabilityCol, cols);
  }

  static async binaryOf(predictions: DataFrame, cols: LogisticSummaryColumns): Promise<BinaryLogisticRegressionSummary> {
    const m = await ClassificationSummary.metricsOf(predictions, cols);
    return new BinaryLogisticRegressionSummary(predictions, cols, m, await BinaryLogisticRegressionSummary.logisticBinaryMetricsOf(predictions, cols));
  }

  /** The score column: probabilityCol (Spark's scoreCol). */
  get scoreCol(): string {
    return this.probabilityCol;
  }

  /** The ROC curve: a DataFrame of FPR, TPR with (0,0) first and (1,1) last. */
  get roc(): DataFrame {
    return this.curve('roc');
  }

  get areaUnderROC(): number {
    return this.binary!.areaUnderROC();
  }

  /** The precision-recall curve: a DataFrame of recall, precision with (0, first precision) first. */
  get pr(): DataFrame {
    return this.curve('pr');
  }

  /** threshold, F-Measure (β = 1). */
  get fMeasureByThreshold(): DataFrame {
    return this.curve('fMeasureByThreshold');
  }

  get precisionByThreshold(): DataFrame {
    return this.curve('precisionByThreshold');
  }

  get recallByThreshold(): DataFrame {
    return this.curve('recallByThreshold');
  }

  /** kindling: the metrics behind the curves, as arrays (no DataFrame round trip). */
  get binaryMetrics(): BinaryClassificationMetrics {
    return this.binary!;
  }
}

/** Spark's BinaryLogisticRegressionTrainingSummary. */
export class BinaryLogisticRegressionTrainingSummary extends BinaryLogisticRegressionSummary implements TrainingSummaryPart {
  readonly objectiveHistory: number[];
  readonly converged: boolean;

  private constructor(predictions: DataFrame, cols: LogisticSummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics, objectiveHistory: number[], converged: boolean) {
    super(predictions, cols, metrics, binary);
    this.objectiveHistory = objectiveHistory;
    this.converged = converged;
  }

  /** @internal From metrics computed elsewhere (the fit's pass over its training blocks). */
  static ofMetrics(predictions: DataFrame, cols: LogisticSummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics, objectiveHistory: number[], converged: boolean): BinaryLogisticRegressionTrainingSummary {
    return new BinaryLogisticRegressionTrainingSummary(predictions, cols, metrics, binary, objectiveHistory, converged);
  }

  get totalIterations(): number {
    return Math.max(this.objectiveHistory.length - 1, 0);
  }
}
