/**
 * Spark's ClassificationSummary + TrainingSummary as MultilayerPerceptronClassifier's summary has
 * them (ml.classification.ClassificationSummary.scala): the training predictions, the columns, the
 * objective history (the initial state first, so totalIterations = its length − 1) and the
 * multiclass metrics of the predictions (MulticlassMetrics, computed by one job when first asked:
 * `await summary.metrics()`, then `accuracy`, `weightedPrecision`, … on it). FMClassifier's summary
 * (fm-classifier-model.ts) extends it with the binary metrics.
 */
import { inspect } from 'node:util';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { MulticlassClassificationEvaluator, type MulticlassMetrics } from '../evaluation/multiclass-classification.js';

export class ClassificationTrainingSummary {
  private multiclass: Promise<MulticlassMetrics> | null = null;

  constructor(
    /** The training DataFrame with the model's output columns. */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly labelCol: string,
    /** '' when the fit has no weights (Spark: the MLP summary's weightCol is ""). */
    readonly weightCol: string,
    /** The objective at each iteration, the initial state first. */
    readonly objectiveHistory: number[],
  ) {}

  /** Spark's totalIterations: objectiveHistory.length − 1. */
  get totalIterations(): number {
    return Math.max(this.objectiveHistory.length - 1, 0);
  }

  /** Spark's multiclass metrics of the training predictions (labels, accuracy, weighted and per-label rates). */
  metrics(): Promise<MulticlassMetrics> {
    this.multiclass ??= new MulticlassClassificationEvaluator({
      predictionCol: this.predictionCol,
      labelCol: this.labelCol,
      ...(this.weightCol !== '' ? { weightCol: this.weightCol } : {}),
    }).getMetrics(this.predictions);
    return this.multiclass;
  }

  /** The fraction of training rows predicted correctly (weighted). */
  async accuracy(): Promise<number> {
    return (await this.metrics()).accuracy;
  }

  [inspect.custom](): string {
    return `${this.constructor.name}(totalIterations=${this.totalIterations}, objective=${this.objectiveHistory.at(-1)})`;
  }
}
