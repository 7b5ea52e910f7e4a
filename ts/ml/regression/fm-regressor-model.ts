/**
 * FMRegressionModel (Spark 3.x ml.regression.FMRegressionModel): prediction = Spark's
 * FactorizationMachines.getRawPrediction (factorization-machines-tasks.ts `fmRegressorScoring`);
 * `intercept`, `linear`, `factors` as Spark's; persistence Spark's layout
 * (classification/factorization-machines-model.ts). Spark's FMRegressionModel has no training
 * summary; kindling's (FMRegressionTrainingSummary: the objective history and the regression
 * metrics of the training predictions) is an addition.
 */
import { inspect } from 'node:util';
import { KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { RegressionEvaluator, type RegressionMetrics } from '../evaluation/regression.js';
import type { DenseMatrix } from '../linalg/matrices.js';
import type { Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, register, writeMetadata } from '../persist.js';
import { RegressionModelMixin } from '../predictor/prediction-models.js';
import { Model } from '../stage.js';
import { trainingSummaryOf } from '../clustering/clustering-summary.js';
import { fmRegressorScoring } from '../classification/factorization-machines-tasks.js';
import { fmDataOf, fmFactorsMatrix, fmLinearVector, fmStateOf, NO_FM_DATA, readFMData, writeFMData, type FMData, type FMDataOptions } from '../classification/factorization-machines-model.js';
import { FMRegressorParamsMixin, type FMRegressorParamsOptions } from './fm-regressor-params.js';

/** kindling's FMRegressor training summary (Spark has none): the objective history and the training predictions' RegressionMetrics. */
export class FMRegressionTrainingSummary {
  private regression: Promise<RegressionMetrics> | null = null;

  constructor(
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly labelCol: string,
    /** Spark's lossHistory: the mean squared error (+ regulariser) before each update. */
    readonly objectiveHistory: number[],
  ) {}

  get totalIterations(): number {
    return Math.max(this.objectiveHistory.length - 1, 0);
  }

  /** RegressionMetrics of the training predictions (rmse, mse, mae, r2, explainedVariance). */
  metrics(): Promise<RegressionMetrics> {
    this.regression ??= new RegressionEvaluator({ predictionCol: this.predictionCol, labelCol: this.labelCol }).getMetrics(this.predictions);
    return this.regression;
  }

  [inspect.custom](): string {
    return `FMRegressionTrainingSummary(totalIterations=${this.totalIterations}, objective=${this.objectiveHistory.at(-1)})`;
  }
}

export class FMRegressionModel extends MLWritable(RegressionModelMixin(FMRegressorParamsMixin(Model))) {
  private data: FMData = NO_FM_DATA;
  private trainingSummary: FMRegressionTrainingSummary | null = null;

  constructor(options?: FMRegressorParamsOptions & FMDataOptions, uid?: string) {
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
  setSummary(s: FMRegressionTrainingSummary | null): this {
    this.trainingSummary = s;
    return this;
  }

  override get numFeatures(): number {
    return this.data.d;
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

  get summary(): FMRegressionTrainingSummary {
    return trainingSummaryOf(this, this.trainingSummary);
  }

  override scoringOf() {
    return { scoring: fmRegressorScoring, state: fmStateOf(this.data) };
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: unknown, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    that.setData(this.data).setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `FMRegressionModel: uid=${this.uid}, numFeatures=${this.numFeatures}, factorSize=${this.getFactorSize()}, fitLinear=${this.getFitLinear()}, fitIntercept=${this.getFitIntercept()}`;
  }
}

register('org.apache.spark.ml.regression.FMRegressionModel', FMRegressionModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no coefficients to save`);
    await writeMetadata(m, path, ctx);
    await writeFMData(path, m.fmData());
  },
  load: async (path, md, ctx) => {
    const data = await readFMData(ctx.api, path);
    const m = new FMRegressionModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setData(data);
  },
});
