/**
 * FMClassificationModel (Spark 3.x ml.classification.FMClassificationModel): numClasses 2;
 * rawPrediction [−y, y] and probability [1 − σ(y), σ(y)] with y Spark's
 * FactorizationMachines.getRawPrediction (factorization-machines-tasks.ts `fmClassifierScoring`),
 * prediction by Spark's default rules (thresholds); `intercept`, `linear` (a DenseVector; an
 * empty SparseVector without linear terms) and `factors` (DenseMatrix numFeatures x factorSize)
 * as Spark's; the training summary (Spark's FMClassificationTrainingSummary: binary metrics of the
 * probability column, multiclass metrics, objective history); persistence Spark's
 * (factorization-machines-model.ts).
 */
import { KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { BinaryClassificationEvaluator, type BinaryClassificationMetrics } from '../evaluation/binary-classification.js';
import type { DenseMatrix } from '../linalg/matrices.js';
import type { Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, register, writeMetadata } from '../persist.js';
import { ProbabilisticClassificationModelMixin } from '../predictor/prediction-models.js';
import { Model } from '../stage.js';
import { trainingSummaryOf } from '../clustering/clustering-summary.js';
import { fmClassifierScoring } from './factorization-machines-tasks.js';
import { fmDataOf, fmFactorsMatrix, fmLinearVector, fmStateOf, NO_FM_DATA, readFMData, writeFMData, type FMData, type FMDataOptions } from './factorization-machines-model.js';
import { FMClassifierParamsMixin, type FMClassifierParamsOptions } from './fm-classifier-params.js';
import { ClassificationTrainingSummary } from './multilayer-perceptron-summary.js';

/** Spark's FMClassificationTrainingSummary: the binary metrics use the probability column as the score (numBins 100, as Spark's BinaryClassificationSummary). */
export class FMClassificationTrainingSummary extends ClassificationTrainingSummary {
  private binary: Promise<BinaryClassificationMetrics> | null = null;

  constructor(predictions: DataFrame, readonly scoreCol: string, predictionCol: string, labelCol: string, weightCol: string, objectiveHistory: number[]) {
    super(predictions, predictionCol, labelCol, weightCol, objectiveHistory);
  }

  binaryMetrics(): Promise<BinaryClassificationMetrics> {
    this.binary ??= new BinaryClassificationEvaluator({ rawPredictionCol: this.scoreCol, labelCol: this.labelCol, numBins: 100, ...(this.weightCol !== '' ? { weightCol: this.weightCol } : {}) }).getMetrics(this.predictions);
    return this.binary;
  }

  async areaUnderROC(): Promise<number> {
    return (await this.binaryMetrics()).areaUnderROC();
  }
}

export class FMClassificationModel extends MLWritable(ProbabilisticClassificationModelMixin(FMClassifierParamsMixin(Model))) {
  private data: FMData = NO_FM_DATA;
  private trainingSummary: FMClassificationTrainingSummary | null = null;

  constructor(options?: FMClassifierParamsOptions & FMDataOptions, uid?: string) {
    super(uid);
    const { intercept, linear, factors, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    const data = fmDataOf(this.stageName, { intercept, linear, factors });
    if (data) this.data = data;
  }

  /** @internal */
  setData(data: FMData): this {
    this.data = data;
    return this;
  }

  /** @internal */
  fmData(): FMData {
    return this.data;
  }

  /** @internal */
  setSummary(s: FMClassificationTrainingSummary | null): this {
    this.trainingSummary = s;
    return this;
  }

  override get numFeatures(): number {
    return this.data.d;
  }

  override get numClasses(): number {
    return 2;
  }

  get intercept(): number {
    return this.data.intercept;
  }

  get linear(): Vector {
    return fmLinearVector(this.data);
  }

  get factors(): DenseMatrix {
    return fmFactorsMatrix(this.data);
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): FMClassificationTrainingSummary {
    return trainingSummaryOf(this, this.trainingSummary);
  }

  override scoringOf() {
    return { scoring: fmClassifierScoring, state: fmStateOf(this.data) };
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: unknown, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    that.setData(this.data).setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `FMClassificationModel: uid=${this.uid}, numClasses=2, numFeatures=${this.numFeatures}, factorSize=${this.getFactorSize()}, fitLinear=${this.getFitLinear()}, fitIntercept=${this.getFitIntercept()}`;
  }
}

register('org.apache.spark.ml.classification.FMClassificationModel', FMClassificationModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no coefficients to save`);
    await writeMetadata(m, path, ctx);
    await writeFMData(path, m.fmData());
  },
  load: async (path, md, ctx) => {
    const data = await readFMData(ctx.api, path);
    const m = new FMClassificationModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setData(data);
  },
});
