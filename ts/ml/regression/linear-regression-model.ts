/**
 * LinearRegressionModel (Spark's ml.regression.LinearRegressionModel): prediction =
 * coefficients·x + intercept (linear-regression-tasks.ts scoring, through the supervised core's
 * RegressionModelMixin), `scale` (Huber's σ; 1 for squared error), the training summary and
 * `evaluate(df)`. Persistence is Spark's: `org.apache.spark.ml.regression.LinearRegressionModel`
 * metadata plus one `data/` row (intercept double, coefficients VectorUDT, scale double); files
 * of Spark < 2.3 (no scale) load with scale 1, as Spark's reader.
 * `linearDataTable` / `readLinearData` are shared with GeneralizedLinearRegressionModel.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import { checkExtra, ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata, type Metadata } from '../persist.js';
import { RegressionModelMixin } from '../predictor/prediction-models.js';
import { Model } from '../stage.js';
import { trainingSummaryOf } from '../clustering/clustering-summary.js';
import { LinearRegressionParamsMixin, type LinearRegressionParamsOptions } from './linear-regression-params.js';
import { linearRegressionSummary, type LinearRegressionSummary, type LinearRegressionTrainingSummary } from './linear-regression-summary.js';
import { linearRegressionScoring, type LinearState } from './linear-regression-tasks.js';

export interface LinearRegressionModelOptions extends LinearRegressionParamsOptions {
  coefficients?: Vector | readonly number[];
  intercept?: number;
  scale?: number;
}

/** Coefficients of a constructor option, checked. */
export function coefficientsOption(api: string, v: Vector | readonly number[]): Float64Array {
  const arr = isVector(v) ? v.toArray() : Array.isArray(v) ? Float64Array.from(v) : null;
  if (arr === null || arr.length === 0 || !arr.every(Number.isFinite)) throw Errors.invalidArg(api, 'coefficients', 'a non-empty Vector or array of finite numbers', v);
  return arr;
}

/** Spark's one-row model data: intercept, coefficients (and scale). */
export function linearDataTable(intercept: number, coefficients: Float64Array, scale?: number): arrow.Table {
  const f64 = (v: number) => arrow.makeData({ type: new arrow.Float64(), length: 1, data: Float64Array.of(v), nullCount: 0 }) as AnyData;
  const coef = denseVectorColumn(coefficients.slice(), coefficients.length);
  const fields = [new arrow.Field('intercept', new arrow.Float64(), false), new arrow.Field('coefficients', coef.type, true)];
  const cols = [f64(intercept), coef];
  if (scale !== undefined) {
    fields.push(new arrow.Field('scale', new arrow.Float64(), false));
    cols.push(f64(scale));
  }
  const schema = new arrow.Schema(fields);
  return new arrow.Table(schema, [makeBatch(schema, cols, 1)]);
}

/** intercept, coefficients (and scale, 1 when absent) of a saved linear model's data. */
export function readLinearData(api: string, table: arrow.Table, path: string): { intercept: number; coefficients: Float64Array; scale: number } {
  const names = table.schema.fields.map((f) => f.name);
  if (table.numRows !== 1 || !names.includes('intercept') || !names.includes('coefficients')) {
    throw Errors.load(`${api}: the saved model at ${path} has no one-row data/ with intercept and coefficients (columns: ${names.join(', ')}; ${table.numRows} rows)`);
  }
  const batch = table.batches.find((b) => b.numRows > 0)!;
  const intercept = Number(batch.getChild('intercept')!.get(0));
  const v = vectorAt(batch.getChild('coefficients')!.data[0]! as AnyData, 0);
  if (v === null || !Number.isFinite(intercept)) throw Errors.load(`${api}: the saved model at ${path} has a null intercept or coefficients in data/`);
  const scale = names.includes('scale') ? Number(batch.getChild('scale')!.get(0)) : 1;
  return { intercept, coefficients: v.toArray(), scale };
}

export class LinearRegressionModel extends MLWritable(RegressionModelMixin(LinearRegressionParamsMixin(Model))) {
  private coef: Float64Array = new Float64Array(0);
  private icpt = 0;
  private sigma = 1;
  private trainingSummary: LinearRegressionTrainingSummary | null = null;

  constructor(options?: LinearRegressionModelOptions, uid?: string) {
    super(uid);
    const { coefficients, intercept, scale, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    const api = this.stageName;
    if (coefficients !== undefined) this.coef = coefficientsOption(api, coefficients);
    if (intercept !== undefined) {
      if (!Number.isFinite(intercept)) throw Errors.invalidArg(api, 'intercept', 'a finite number', intercept);
      this.icpt = intercept;
    }
    if (scale !== undefined) {
      if (!(Number.isFinite(scale) && scale > 0)) throw Errors.invalidArg(api, 'scale', 'a finite number > 0', scale);
      this.sigma = scale;
    }
  }

  /** @internal */
  setData(coefficients: Float64Array, intercept: number, scale = 1): this {
    this.coef = coefficients;
    this.icpt = intercept;
    this.sigma = scale;
    return this;
  }

  /** @internal */
  setSummary(summary: LinearRegressionTrainingSummary | null): this {
    this.trainingSummary = summary;
    return this;
  }

  get coefficients(): DenseVector {
    return new DenseVector(this.coef.slice());
  }

  get intercept(): number {
    return this.icpt;
  }

  /** Huber's σ (1.0 for the squared error loss). */
  get scale(): number {
    return this.sigma;
  }

  override get numFeatures(): number {
    return this.coef.length;
  }

  override scoringOf(): { scoring: typeof linearRegressionScoring; state: LinearState } {
    return { scoring: linearRegressionScoring, state: { coefficients: this.coef, intercept: this.icpt } };
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): LinearRegressionTrainingSummary {
    return trainingSummaryOf(this, this.trainingSummary);
  }

  /** @internal The model to summarise with and its prediction column (Spark's findSummaryModelAndPredictionCol). */
  summaryModel(): { model: LinearRegressionModel; predictionCol: string } {
    const p = this.getPredictionCol();
    if (p !== '') return { model: this, predictionCol: p };
    const name = `prediction_${this.uid}`;
    return { model: this.copy().setPredictionCol(name), predictionCol: name };
  }

  /** @internal */
  summaryData(): { coefficientsArray: Float64Array; interceptValue: number; fitIntercept: boolean; weightCol: string | null } {
    const w = this.getWeightCol();
    return { coefficientsArray: this.coef, interceptValue: this.icpt, fitIntercept: this.getFitIntercept(), weightCol: w === undefined || w === '' ? null : w };
  }

  /** The model's summary over another DataFrame (Spark's evaluate; no standard errors). */
  async evaluate(df: DataFrame): Promise<LinearRegressionSummary> {
    const { model, predictionCol } = this.summaryModel();
    return linearRegressionSummary(model.transform(df), { predictionCol, labelCol: this.getLabelCol(), featuresCol: this.getFeaturesCol() }, this.summaryData(), new Float64Array([0]), null);
  }

  override copy(extra?: ParamMap): this {
    checkExtra(`${this.stageName}.copy`, extra);
    const Ctor = this.constructor as new (o?: LinearRegressionModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    that.setData(this.coef, this.icpt, this.sigma);
    that.setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `LinearRegressionModel: uid=${this.uid}, numFeatures=${this.numFeatures}`;
  }
}

function notFitted(api: string, uid: string): KindlingError {
  return new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${uid} has no coefficients to save`);
}

register('org.apache.spark.ml.regression.LinearRegressionModel', LinearRegressionModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0) throw notFitted(ctx.api, m.uid);
    await writeMetadata(m, path, ctx);
    await writeData(path, linearDataTable(m.intercept, m.coefficients.toArray(), m.scale));
  },
  load: async (path, md: Metadata, ctx) => {
    const { intercept, coefficients, scale } = readLinearData(ctx.api, await readData(path, 'data', ctx.api), path);
    const m = new LinearRegressionModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setData(coefficients, intercept, scale);
  },
});
