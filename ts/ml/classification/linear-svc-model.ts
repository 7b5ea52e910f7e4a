/**
 * LinearSVCModel and its summaries (Spark's ml.classification.LinearSVCModel, LinearSVCSummary,
 * LinearSVCTrainingSummary; the estimator is linear-svc.ts).
 *
 * Spark's LinearSVCModel is a ClassificationModel, not a probabilistic one: it has no
 * probabilityCol and its transform appends rawPrediction ([−m, m], a vector of 2) and prediction
 * (m > threshold) only: the core's `ClassificationModelMixin` (ts/ml/predictor/prediction-models.ts).
 * The summary is Spark's BinaryClassificationSummary of rawPrediction[1] (numBins 1000) and the
 * multiclass metrics of the predictions, plus objectiveHistory for the training summary.
 * Persistence: Spark's `data/` row (coefficients Vector, intercept double).
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { trainingSummaryOf } from '../clustering/clustering-summary.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata, firstRow } from '../persist.js';
import { ClassificationModelMixin } from '../predictor/prediction-models.js';
import { Model } from '../stage.js';
import { BinaryClassificationSummary, BinaryClassificationTrainingSummary, ClassificationSummary, type SummaryColumns } from './classification-summary.js';
import { LinearSVCParamsMixin, type LinearSVCParamsOptions } from './linear-svc-params.js';
import { linearSVCScoring, type LinearSVCState } from './linear-svc-tasks.js';

/** Spark's LinearSVCSummary: a BinaryClassificationSummary of rawPrediction[1] and the multiclass metrics. */
export class LinearSVCSummary extends BinaryClassificationSummary {
  static async summaryOf(predictions: DataFrame, scoreCol: string, cols: SummaryColumns): Promise<LinearSVCSummary> {
    const m = await ClassificationSummary.metricsOf(predictions, cols);
    return new LinearSVCSummary(predictions, scoreCol, cols, m, await ClassificationSummary.binaryMetricsOf(predictions, scoreCol, cols));
  }
}

/** Spark's LinearSVCTrainingSummary. */
export class LinearSVCTrainingSummary extends BinaryClassificationTrainingSummary {}

export interface LinearSVCModelOptions extends LinearSVCParamsOptions {
  coefficients?: Vector | readonly number[];
  intercept?: number;
}

export class LinearSVCModel extends MLWritable(ClassificationModelMixin(LinearSVCParamsMixin(Model))) {
  private coef: Float64Array | null = null;
  private b = 0;
  private trainingSummary: LinearSVCTrainingSummary | null = null;

  constructor(options?: LinearSVCModelOptions, uid?: string) {
    super(uid);
    const { coefficients, intercept, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (coefficients !== undefined) {
      const c = isVector(coefficients) ? coefficients.toArray() : Float64Array.from(coefficients);
      this.setData(Float64Array.from(c), intercept ?? 0);
    }
  }

  /** @internal */
  setData(coef: Float64Array, intercept: number): this {
    this.coef = coef;
    this.b = intercept;
    return this;
  }

  /** @internal */
  setSummary(s: LinearSVCTrainingSummary | null): this {
    this.trainingSummary = s;
    return this;
  }

  private fitted(api: string): Float64Array {
    if (this.coef === null) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${this.uid} has no coefficients (fit a LinearSVC, construct the model with coefficients, or load one)`);
    return this.coef;
  }

  override get numFeatures(): number {
    return this.coef?.length ?? 0;
  }

  override get numClasses(): number {
    return 2;
  }

  get coefficients(): DenseVector {
    return new DenseVector(this.fitted(`${this.stageName}.coefficients`).slice());
  }

  get intercept(): number {
    this.fitted(`${this.stageName}.intercept`);
    return this.b;
  }

  override scoringOf() {
    const state: LinearSVCState = { coef: this.fitted(this.stageName), intercept: this.b, threshold: this.getThreshold() };
    return { scoring: linearSVCScoring, state };
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): LinearSVCTrainingSummary {
    return trainingSummaryOf(this, this.trainingSummary);
  }

  /** @internal Spark's findSummaryModel: empty output params get temporary names. */
  summaryModel(): { model: LinearSVCModel; scoreCol: string; cols: SummaryColumns } {
    let model: LinearSVCModel = this;
    if (this.getRawPredictionCol() === '' || this.getPredictionCol() === '') {
      model = this.copy();
      if (this.getRawPredictionCol() === '') model.setRawPredictionCol(`rawPrediction_${this.uid}`);
      if (this.getPredictionCol() === '') model.setPredictionCol(`prediction_${this.uid}`);
    }
    return { model, scoreCol: model.getRawPredictionCol(), cols: { predictionCol: model.getPredictionCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol() ?? '' } };
  }

  /** Spark's evaluate: the summary of this model's predictions on `df`. */
  async evaluate(df: DataFrame): Promise<LinearSVCSummary> {
    const { model, scoreCol, cols } = this.summaryModel();
    return LinearSVCSummary.summaryOf(model.transform(df), scoreCol, cols);
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: LinearSVCModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    if (this.coef) that.setData(this.coef, this.b);
    that.setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `LinearSVCModel: uid=${this.uid}, numClasses=2, numFeatures=${this.numFeatures}`;
  }
}

register('org.apache.spark.ml.classification.LinearSVCModel', LinearSVCModel, {
  save: async (m, path, ctx) => {
    const coef = m.coefficients.toArray();
    await writeMetadata(m, path, ctx);
    const c = denseVectorColumn(Float64Array.from(coef), coef.length);
    const schema = new arrow.Schema([new arrow.Field('coefficients', c.type, true), new arrow.Field('intercept', new arrow.Float64(), false)]);
    const icol = arrow.makeData({ type: new arrow.Float64(), length: 1, data: Float64Array.of(m.intercept), nullCount: 0 }) as AnyData;
    await writeData(path, { schema, batches: [makeBatch(schema, [c, icol], 1)] });
  },
  load: async (path, md, ctx) => {
    const table = await readData(path, 'data', ctx.api);
    const row = firstRow(table, ctx.api, path, 'LinearSVCModel');
    const names = row.schema.fields.map((f) => f.name);
    const ci = names.indexOf('coefficients');
    const ii = names.indexOf('intercept');
    if (ci < 0 || ii < 0) throw Errors.load(`${ctx.api}: the LinearSVCModel at ${path} has data/ columns [${names.join(', ')}]; expected coefficients and intercept`);
    const v = vectorAt(row.data.children[ci]! as AnyData, 0);
    if (v === null) throw Errors.load(`${ctx.api}: the LinearSVCModel at ${path} has null coefficients`);
    const intercept = Number(numericValues(castColumn(ctx.api, row.data.children[ii]! as AnyData, Types.double()))[0]);
    const m = new LinearSVCModel(undefined, md.uid).setData(Float64Array.from(v.toArray()), intercept);
    getAndSetParams(m, md, { api: ctx.api });
    return m;
  },
});
