/**
 * The training and evaluation summaries of LogisticRegression (Spark's
 * LogisticRegressionSummary / LogisticRegressionTrainingSummary and their binary variants), on
 * classification-summary.ts' ClassificationSummary / BinaryClassificationSummary. The metrics are the evaluators' (ts/ml/evaluation/): MulticlassMetrics of the
 * prediction and label columns, and — binary — BinaryClassificationMetrics of probability[1] with
 * numBins 1000, as Spark's BinaryClassificationSummary. Spark computes them lazily; here each
 * summary runs its passes over the predictions once when it is made (`await model.evaluate(df)`),
 * or — a training summary — its one pass over the fit's packed training blocks
 * (logistic-regression-tasks.ts logisticSummaryStats), so the accessors are plain properties as
 * in PySpark. One consequence:
 * a training summary keeps the predictions of the fit's params — after model.setThreshold(t)
 * Spark's lazily computed summary would use t, kindling's does not (`evaluate(df)` does).
 */
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { KindlingError } from '../../src/errors.js';
import type { BinaryClassificationMetrics } from '../evaluation/binary-classification.js';
import type { MulticlassMetrics } from '../evaluation/multiclass-classification.js';
import { BinaryClassificationSummary, ClassificationSummary, type SummaryColumns, type TrainingSummaryPart } from './classification-summary.js';

export type { SummaryColumns, TrainingSummaryPart };

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

/**
 * Spark's BinaryLogisticRegressionSummary: the multiclass metrics and the curves of probability[1]
 * (a BinaryClassificationSummary whose scoreCol is probabilityCol, with LogisticRegressionSummary's columns).
 */
export class BinaryLogisticRegressionSummary extends BinaryClassificationSummary {
  readonly probabilityCol: string;
  readonly featuresCol: string;

  protected constructor(predictions: DataFrame, cols: LogisticSummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics) {
    super(predictions, cols.probabilityCol, cols, metrics, binary);
    this.probabilityCol = cols.probabilityCol;
    this.featuresCol = cols.featuresCol;
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

  /** Spark's asBinary: this summary. */
  get asBinary(): BinaryLogisticRegressionSummary {
    return this;
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
