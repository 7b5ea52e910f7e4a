/**
 * GeneralizedLinearRegressionModel (Spark's): prediction = fitted(η) with η = coefficients·x +
 * intercept + offset (offsetCol, when set), and η itself in linkPredictionCol when that is set
 * (generalized-linear-regression-tasks.ts `glrPredict`, on the executors); `predict(features)`
 * uses offset 0, as Spark's. The training summary and `evaluate(df)`
 * (generalized-linear-regression-summary.ts). Persistence is Spark's:
 * `org.apache.spark.ml.regression.GeneralizedLinearRegressionModel` metadata and one `data/` row
 * (intercept double, coefficients VectorUDT).
 */
import type * as arrow from 'apache-arrow';
import * as arr from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { checkNumeric } from '../data/schema-checks.js';
import { checkFeaturesColumn } from '../data/features.js';
import { predictInput, withPredictions } from '../data/predictions.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import { checkExtra, ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../persist.js';
import { appendOutputFields, RegressionModelMixin } from '../predictor/prediction-models.js';
import { defineRegressorScoring } from '../predictor/scoring-tasks.js';
import { Model } from '../stage.js';
import { trainingSummaryOf } from '../clustering/clustering-summary.js';
import { GeneralizedLinearRegressionParamsMixin, type GeneralizedLinearRegressionParamsOptions } from './generalized-linear-regression-params.js';
import { coefficientsOption, linearDataTable, readLinearData } from './linear-regression-model.js';
import { familyAndLinkOf, fitted, type FamilyAndLink } from './generalized-linear-regression-family.js';
import { glrPredict, linearPredictor, type GlrPredictBroadcast } from './generalized-linear-regression-tasks.js';
import { glrSummary, type GeneralizedLinearRegressionSummary, type GeneralizedLinearRegressionTrainingSummary } from './generalized-linear-regression-summary.js';

export interface GeneralizedLinearRegressionModelOptions extends GeneralizedLinearRegressionParamsOptions {
  coefficients?: Vector | readonly number[];
  intercept?: number;
}

interface GlrState {
  fl: FamilyAndLink;
  coefficients: Float64Array;
  intercept: number;
}

/** One-row predictions on the driver (offset 0). */
export const glrScoring = defineRegressorScoring<GlrState>('ml.glr.predictOne', {
  predict: (s, x, n, d) => linearPredictor(x, n, d, s.coefficients, s.intercept, null).map((e) => fitted(s.fl, e)),
});

export class GeneralizedLinearRegressionModel extends MLWritable(RegressionModelMixin(GeneralizedLinearRegressionParamsMixin(Model))) {
  private coef: Float64Array = new Float64Array(0);
  private icpt = 0;
  private trainingSummary: GeneralizedLinearRegressionTrainingSummary | null = null;

  constructor(options?: GeneralizedLinearRegressionModelOptions, uid?: string) {
    super(uid);
    const { coefficients, intercept, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (coefficients !== undefined) this.coef = coefficientsOption(this.stageName, coefficients);
    if (intercept !== undefined) {
      if (!Number.isFinite(intercept)) throw Errors.invalidArg(this.stageName, 'intercept', 'a finite number', intercept);
      this.icpt = intercept;
    }
  }

  /** @internal */
  setData(coefficients: Float64Array, intercept: number): this {
    this.coef = coefficients;
    this.icpt = intercept;
    return this;
  }

  /** @internal */
  setSummary(summary: GeneralizedLinearRegressionTrainingSummary | null): this {
    this.trainingSummary = summary;
    return this;
  }

  get coefficients(): DenseVector {
    return new DenseVector(this.coef.slice());
  }

  get intercept(): number {
    return this.icpt;
  }

  override get numFeatures(): number {
    return this.coef.length;
  }

  /** @internal The resolved family and link (Spark's FamilyAndLink). */
  familyAndLink(): FamilyAndLink {
    return familyAndLinkOf(this.stageName, { family: this.getFamily(), variancePower: this.getVariancePower(), link: this.getLink(), linkPower: this.getLinkPower() });
  }

  override scoringOf(): { scoring: typeof glrScoring; state: GlrState } {
    return { scoring: glrScoring, state: { fl: this.familyAndLink(), coefficients: this.coef, intercept: this.icpt } };
  }

  /** @internal */
  offsetColumn(): string | null {
    const o = this.getOffsetCol();
    return o === undefined || o === '' ? null : o;
  }

  /** @internal */
  weightColumn(): string | null {
    const w = this.getWeightCol();
    return w === undefined || w === '' ? null : w;
  }

  private linkPredictionColumn(): string {
    return this.getLinkPredictionCol() ?? '';
  }

  override transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    const off = this.offsetColumn();
    if (off !== null) checkNumeric(api, schema, 'offsetCol', off);
    const fields: Array<{ field: arrow.Field; param: string }> = [];
    const l = this.linkPredictionColumn();
    if (l !== '') fields.push({ field: new arr.Field(l, new arr.Float64(), false), param: 'linkPredictionCol' });
    const p = this.getPredictionCol();
    if (p !== '') fields.push({ field: new arr.Field(p, new arr.Float64(), false), param: 'predictionCol' });
    return appendOutputFields(api, schema, fields);
  }

  override transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    if (this.numFeatures === 0 && this.icpt === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}.transform: ${this.uid} has no coefficients (fit an estimator, construct the model with its data, or load one)`);
    const out = this.transformSchema(df.schema);
    if (out.fields.length === df.schema.fields.length) {
      process.emitWarning(`${api}.transform: ${this.uid}: GeneralizedLinearRegressionModel.transform() does nothing because no output columns were set.`, { type: 'KindlingWarning', code: 'KINDLING_NO_OUTPUT_COLUMNS' });
      return df;
    }
    const b: GlrPredictBroadcast = {
      input: predictInput(api, df, this.getFeaturesCol(), this.numFeatures, {}),
      fl: this.familyAndLink(),
      coefficients: this.coef,
      intercept: this.icpt,
      offsetCol: this.offsetColumn(),
      linkPredictionCol: this.linkPredictionColumn(),
      predictionCol: this.getPredictionCol(),
    };
    return withPredictions(df, glrPredict, b, out);
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): GeneralizedLinearRegressionTrainingSummary {
    return trainingSummaryOf(this, this.trainingSummary);
  }

  /** @internal The summary of this model's predictions over `df`. */
  async summarize(df: DataFrame, training: { diagInvAtWA: Float64Array; numIterations: number; converged: boolean } | null): Promise<GeneralizedLinearRegressionSummary> {
    const p = this.getPredictionCol();
    const predictionCol = p !== '' ? p : `prediction_${this.uid}`;
    const m = p !== '' ? this : this.copy().setPredictionCol(predictionCol);
    const cols = { labelCol: this.getLabelCol(), predictionCol, weightCol: this.weightColumn(), offsetCol: this.offsetColumn() };
    const model = { fl: this.familyAndLink(), featuresCol: this.getFeaturesCol(), familyParam: this.getFamily(), coefficients: this.coef, intercept: this.icpt, fitIntercept: this.getFitIntercept(), maxIter: this.getMaxIter(), tol: this.getTol() };
    return glrSummary(this.stageName, m.transform(df), cols, model, training);
  }

  /** The model's summary over another DataFrame (Spark's evaluate). */
  evaluate(df: DataFrame): Promise<GeneralizedLinearRegressionSummary> {
    return this.summarize(df, null);
  }

  override copy(extra?: ParamMap): this {
    checkExtra(`${this.stageName}.copy`, extra);
    const Ctor = this.constructor as new (o?: GeneralizedLinearRegressionModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    that.setData(this.coef, this.icpt);
    that.setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `GeneralizedLinearRegressionModel: uid=${this.uid}, family=${this.getFamily()}, link=${this.getLink() ?? 'null'}, numFeatures=${this.numFeatures}`;
  }
}

register('org.apache.spark.ml.regression.GeneralizedLinearRegressionModel', GeneralizedLinearRegressionModel, {
  save: async (m, path, ctx) => {
    await writeMetadata(m, path, ctx);
    await writeData(path, linearDataTable(m.intercept, m.coefficients.toArray()));
  },
  load: async (path, md, ctx) => {
    const { intercept, coefficients } = readLinearData(ctx.api, await readData(path, 'data', ctx.api), path);
    const m = new GeneralizedLinearRegressionModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setData(coefficients, intercept);
  },
});
