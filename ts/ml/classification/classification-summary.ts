/**
 * Spark's ClassificationSummary and BinaryClassificationSummary (ml.classification), the summaries
 * every classifier's build on (LogisticRegression's, LinearSVC's, MultilayerPerceptron's,
 * FMClassifier's). The metrics are the evaluators' (ts/ml/evaluation/): MulticlassMetrics of the
 * prediction and label columns, and — binary — BinaryClassificationMetrics of the score column's
 * element 1. Spark computes them lazily; here a summary runs its passes once when it is made (by
 * the fit, or `await model.evaluate(df)`), so the accessors are plain properties as in PySpark.
 */
import { inspect } from 'node:util';
import * as arrow from 'apache-arrow';
import { makeBatch } from '../../src/dataframe/batch.js';
import { lazyFrame, type DataFrame } from '../../src/dataframe/dataframe.js';
import { doubleColumn } from '../predictor/scoring-tasks.js';
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

/** Spark's BinaryClassificationSummary: the multiclass metrics and the curves of the score column's element 1. */
export class BinaryClassificationSummary extends ClassificationSummary {
  protected constructor(predictions: DataFrame, readonly scoreCol: string, cols: SummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics) {
    super(predictions, cols.predictionCol, cols.labelCol, cols.weightCol, metrics, binary);
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

/** Spark's ClassificationSummary with TrainingSummary (MultilayerPerceptronClassificationTrainingSummary's shape). */
export class ClassificationTrainingSummary extends ClassificationSummary implements TrainingSummaryPart {
  /** @internal Use `trainingOf`. */
  constructor(predictions: DataFrame, cols: SummaryColumns, metrics: MulticlassMetrics, readonly objectiveHistory: number[], readonly converged: boolean) {
    super(predictions, cols.predictionCol, cols.labelCol, cols.weightCol, metrics);
  }

  /** The summary of a fit's training predictions (one pass for the metrics). */
  static async trainingOf<T extends ClassificationTrainingSummary>(
    this: new (p: DataFrame, c: SummaryColumns, m: MulticlassMetrics, h: number[], conv: boolean) => T,
    predictions: DataFrame,
    cols: SummaryColumns,
    objectiveHistory: number[],
    converged: boolean,
  ): Promise<T> {
    return new this(predictions, cols, await ClassificationSummary.metricsOf(predictions, cols), objectiveHistory, converged);
  }

  /** Iterations run (objectiveHistory.length − 1, as Spark 3.x). */
  get totalIterations(): number {
    return Math.max(this.objectiveHistory.length - 1, 0);
  }
}

/** Spark's BinaryClassificationSummary with TrainingSummary (FMClassificationTrainingSummary's shape). */
export class BinaryClassificationTrainingSummary extends BinaryClassificationSummary implements TrainingSummaryPart {
  /** @internal Use `trainingOf`. */
  constructor(predictions: DataFrame, scoreCol: string, cols: SummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics, readonly objectiveHistory: number[], readonly converged: boolean) {
    super(predictions, scoreCol, cols, metrics, binary);
  }

  /** The summary of a fit's training predictions, `scoreCol` a vector column whose element 1 scores (two passes). */
  static async trainingOf<T extends BinaryClassificationTrainingSummary>(
    this: new (p: DataFrame, s: string, c: SummaryColumns, m: MulticlassMetrics, b: BinaryClassificationMetrics, h: number[], conv: boolean) => T,
    predictions: DataFrame,
    scoreCol: string,
    cols: SummaryColumns,
    objectiveHistory: number[],
    converged: boolean,
  ): Promise<T> {
    const m = await ClassificationSummary.metricsOf(predictions, cols);
    return new this(predictions, scoreCol, cols, m, await ClassificationSummary.binaryMetricsOf(predictions, scoreCol, cols), objectiveHistory, converged);
  }

  /** Iterations run (objectiveHistory.length − 1, as Spark 3.x). */
  get totalIterations(): number {
    return Math.max(this.objectiveHistory.length - 1, 0);
  }
}
