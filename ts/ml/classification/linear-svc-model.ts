/**
 * LinearSVCModel and its summaries (Spark's ml.classification.LinearSVCModel, LinearSVCSummary,
 * LinearSVCTrainingSummary; the estimator is linear-svc.ts).
 *
 * Spark's LinearSVCModel is a ClassificationModel, not a probabilistic one: it has no
 * probabilityCol and its transform appends rawPrediction ([−m, m], a vector of 2) and prediction
 * (m > threshold) only. The core's model mixin (ts/ml/predictor/prediction-models.ts) is the
 * probabilistic one, so the small `ClassificationModelMixin` below gives Spark's
 * ClassificationModel transformSchema / transform / predict / predictRaw over the core's scoring
 * (scoring-tasks.ts `classify` with probabilityCol '').
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
import { AttributeGroup, NominalAttribute, withAttribute, withAttributeGroup } from '../attribute/attributes.js';
import { trainingSummaryOf } from '../clustering/clustering-summary.js';
import { pointOf } from '../clustering/kmeans-common.js';
import { checkFeaturesColumn } from '../data/features.js';
import { predictInput, withPredictions } from '../data/predictions.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import type { Mixin } from '../param/spec.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../persist.js';
import { appendOutputFields } from '../predictor/prediction-models.js';
import type { ClassifierParams } from '../predictor/predictor-params.js';
import { classifierFields, classify, type ClassifierScoring } from '../predictor/scoring-tasks.js';
import { Model } from '../stage.js';
import type { BinaryClassificationMetrics } from '../evaluation/binary-classification.js';
import type { MulticlassMetrics } from '../evaluation/multiclass-classification.js';
import { ClassificationSummary, type SummaryColumns } from './logistic-regression-summary.js';
import { LinearSVCParamsMixin, type LinearSVCParamsOptions } from './linear-svc-params.js';
import { linearSVCScoring, type LinearSVCState } from './linear-svc-tasks.js';

type ClassificationModelClass = abstract new (...args: any[]) => Model & ClassifierParams;

export interface ClassificationModelApi {
  readonly numFeatures: number;
  readonly numClasses: number;
  transformSchema(schema: arrow.Schema): arrow.Schema;
  /** @internal */
  transformImpl(df: DataFrame): DataFrame;
  /** @internal */
  scoringOf(): { scoring: ClassifierScoring<any>; state: unknown };
  predictRaw(features: Vector | readonly number[]): DenseVector;
  predict(features: Vector | readonly number[]): number;
}

/** Spark's ClassificationModel (rawPrediction and prediction columns, no probabilities). */
export function ClassificationModelMixin<B extends ClassificationModelClass>(Base: B): B & Mixin<ClassificationModelApi> {
  abstract class ClassificationModelImpl extends Base implements ClassificationModelApi {
    abstract get numFeatures(): number;
    abstract get numClasses(): number;
    abstract scoringOf(): { scoring: ClassifierScoring<any>; state: unknown };

    transformSchema(schema: arrow.Schema): arrow.Schema {
      const api = this.stageName;
      checkFeaturesColumn(api, schema, this.getFeaturesCol());
      const k = this.numClasses;
      const cols = { numClasses: Math.max(k, 1), rawPredictionCol: this.getRawPredictionCol(), probabilityCol: '', predictionCol: this.getPredictionCol() };
      const params = [cols.rawPredictionCol !== '' ? 'rawPredictionCol' : '', cols.predictionCol !== '' ? 'predictionCol' : ''].filter((p) => p !== '');
      const fields = classifierFields(cols).map((f, i) => {
        const param = params[i]!;
        if (k < 1) return { field: f, param };
        return { field: param === 'predictionCol' ? withAttribute(f, NominalAttribute.defaultAttr.withName(f.name).withNumValues(k)) : withAttributeGroup(f, new AttributeGroup(f.name, k)), param };
      });
      return appendOutputFields(api, schema, fields);
    }

    transformImpl(df: DataFrame): DataFrame {
      const api = this.stageName;
      if (this.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}.transform: ${this.uid} has no coefficients (fit an estimator, construct the model with its data, or load one)`);
      const out = this.transformSchema(df.schema);
      if (out.fields.length === df.schema.fields.length) {
        process.emitWarning(`${api}.transform: every output column param is empty; transform returns the input unchanged`, { type: 'KindlingWarning', code: 'KINDLING_NO_OUTPUT_COLUMNS' });
        return df;
      }
      const { scoring, state } = this.scoringOf();
      const input = predictInput(api, df, this.getFeaturesCol(), this.numFeatures, {});
      const b = { input, numClasses: this.numClasses, rawPredictionCol: this.getRawPredictionCol(), probabilityCol: '', predictionCol: this.getPredictionCol(), thresholds: null, state };
      return withPredictions(df, scoring.task, b, out);
    }

    private scoreOne(api: string, features: Vector | readonly number[], want: 'raw' | 'prediction'): Float64Array {
      if (this.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${this.uid} has no coefficients`);
      const x = pointOf(api, features, this.numFeatures);
      if (!x.every(Number.isFinite)) throw Errors.invalidArg(api, 'features', 'finite numbers', features);
      const { scoring, state } = this.scoringOf();
      const b = { numClasses: this.numClasses, rawPredictionCol: 'r', probabilityCol: '', predictionCol: want === 'prediction' ? 'y' : '', thresholds: null, state };
      const out = classify(scoring.scorer, b, x, 1, this.numFeatures);
      return want === 'raw' ? out.raw! : out.prediction!;
    }

    /** The raw prediction [−m, m] of one feature vector (PySpark's predictRaw). */
    predictRaw(features: Vector | readonly number[]): DenseVector {
      return new DenseVector(this.scoreOne(`${this.stageName}.predictRaw`, features, 'raw'));
    }

    /** The predicted class of one feature vector (PySpark's predict). */
    predict(features: Vector | readonly number[]): number {
      return this.scoreOne(`${this.stageName}.predict`, features, 'prediction')[0]!;
    }
  }
  return ClassificationModelImpl;
}

/** Spark's LinearSVCSummary: a BinaryClassificationSummary of rawPrediction[1] and the multiclass metrics. */
export class LinearSVCSummary extends ClassificationSummary {
  protected constructor(predictions: DataFrame, readonly scoreCol: string, cols: SummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics) {
    super(predictions, cols.predictionCol, cols.labelCol, cols.weightCol, metrics, binary);
  }

  static async summaryOf(predictions: DataFrame, scoreCol: string, cols: SummaryColumns): Promise<LinearSVCSummary> {
    const m = await ClassificationSummary.metricsOf(predictions, cols);
    return new LinearSVCSummary(predictions, scoreCol, cols, m, await ClassificationSummary.binaryMetricsOf(predictions, scoreCol, cols));
  }

  get roc(): DataFrame {
    return this.curve('roc');
  }

  get areaUnderROC(): number {
    return this.binary!.areaUnderROC();
  }

  get pr(): DataFrame {
    return this.curve('pr');
  }

  get fMeasureByThreshold(): DataFrame {
    return this.curve('fMeasureByThreshold');
  }

  get precisionByThreshold(): DataFrame {
    return this.curve('precisionByThreshold');
  }

  get recallByThreshold(): DataFrame {
    return this.curve('recallByThreshold');
  }
}

/** Spark's LinearSVCTrainingSummary. */
export class LinearSVCTrainingSummary extends LinearSVCSummary {
  private constructor(predictions: DataFrame, scoreCol: string, cols: SummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics, readonly objectiveHistory: number[], readonly converged: boolean) {
    super(predictions, scoreCol, cols, metrics, binary);
  }

  /** @internal From metrics computed elsewhere (the fit's pass over its training blocks). */
  static ofMetrics(predictions: DataFrame, scoreCol: string, cols: SummaryColumns, metrics: MulticlassMetrics, binary: BinaryClassificationMetrics, objectiveHistory: number[], converged: boolean): LinearSVCTrainingSummary {
    return new LinearSVCTrainingSummary(predictions, scoreCol, cols, metrics, binary, objectiveHistory, converged);
  }

  /** Iterations run (objectiveHistory.length − 1). */
  get totalIterations(): number {
    return Math.max(this.objectiveHistory.length - 1, 0);
  }
}

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
    const row = table.batches.find((b) => b.numRows > 0);
    if (!row) throw Errors.load(`${ctx.api}: the LinearSVCModel at ${path} has no data row`);
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
