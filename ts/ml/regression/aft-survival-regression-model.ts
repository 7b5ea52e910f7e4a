/**
 * AFTSurvivalRegressionModel (Spark's ml.regression, 3.x; the estimator is
 * aft-survival-regression.ts): coefficients, intercept and scale of a Weibull AFT model.
 * predict(x) = λ = exp(β·x + b); predictQuantiles(x) = λ · exp(log(−log(1 − p)) · scale) for each
 * p of quantileProbabilities (Spark's lambda2Quantiles). transform appends the prediction column
 * (unless predictionCol is '') and, when quantilesCol is set and non-empty, the quantiles vector
 * column (an attribute group of quantileProbabilities.length), in that order, as Spark's
 * withColumns does; one task per partition (aft-survival-regression-tasks.ts). Persistence is
 * Spark's layout: data/ one row (coefficients vector, intercept double, scale double).
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Types } from '../../src/dataframe/types.js';
import { AttributeGroup, withAttributeGroup } from '../attribute/attributes.js';
import { checkFeaturesColumn } from '../data/features.js';
import { predictInput } from '../data/predictions.js';
import { vectorAt, vectorStructColumn } from '../linalg/columns.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import { checkExtra, type ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata, firstRow } from '../persist.js';
import { appendOutputFields, RegressionModelMixin } from '../predictor/prediction-models.js';
import { Model } from '../stage.js';
import { AFTSurvivalRegressionParamsMixin, type AFTSurvivalRegressionParamsOptions } from './aft-survival-regression-params.js';
import { aftScoring, aftTransform, quantileFactors, type AftState, type AftTransformBroadcast } from './aft-survival-regression-tasks.js';

export interface AFTSurvivalRegressionModelOptions extends AFTSurvivalRegressionParamsOptions {
  /** The model's data (kindling: Spark builds models only by fitting or loading). */
  coefficients?: Vector | readonly number[];
  intercept?: number;
  scale?: number;
}

/** The quantiles column name when it is set and non-empty (Spark's hasQuantilesCol), else ''. */
export function quantilesColOf(stage: { getQuantilesCol(): string | undefined }): string {
  return stage.getQuantilesCol() ?? '';
}

/** The output fields of transform (prediction, then quantiles), as Spark's transformSchema. */
export function aftOutputSchema(api: string, schema: arrow.Schema, cols: { predictionCol: string; quantilesCol: string; numQuantiles: number }): arrow.Schema {
  const fields: Array<{ field: arrow.Field; param: string }> = [];
  if (cols.predictionCol !== '') fields.push({ field: new arrow.Field(cols.predictionCol, new arrow.Float64(), false), param: 'predictionCol' });
  if (cols.quantilesCol !== '') {
    const f = new arrow.Field(cols.quantilesCol, Types.vector(cols.numQuantiles), false);
    fields.push({ field: withAttributeGroup(f, new AttributeGroup(cols.quantilesCol, cols.numQuantiles)), param: 'quantilesCol' });
  }
  return appendOutputFields(api, schema, fields);
}

export class AFTSurvivalRegressionModel extends MLWritable(RegressionModelMixin(AFTSurvivalRegressionParamsMixin(Model))) {
  private state: AftState | null = null;

  constructor(options?: AFTSurvivalRegressionModelOptions, uid?: string) {
    super(uid);
    const { coefficients, intercept, scale, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (coefficients !== undefined || intercept !== undefined || scale !== undefined) {
      const api = this.stageName;
      const beta = isVector(coefficients) ? coefficients.toArray() : Array.isArray(coefficients) ? Float64Array.from(coefficients as number[]) : null;
      if (beta === null || beta.length === 0 || !beta.every(Number.isFinite)) throw Errors.invalidArg(api, 'coefficients', 'a non-empty Vector or array of finite numbers', coefficients);
      const b = intercept ?? 0;
      if (!Number.isFinite(b)) throw Errors.invalidArg(api, 'intercept', 'a finite number', intercept);
      if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0)) throw Errors.invalidArg(api, 'scale', 'a finite number > 0', scale);
      this.setState({ coefficients: Float64Array.from(beta), intercept: b, scale });
    }
  }

  /** @internal */
  setState(state: AftState): this {
    this.state = state;
    return this;
  }

  private fitted(api: string): AftState {
    if (this.state === null) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${this.uid} has no coefficients (fit an AFTSurvivalRegression, construct the model with its data, or load one)`);
    return this.state;
  }

  override get numFeatures(): number {
    return this.state?.coefficients.length ?? 0;
  }

  get coefficients(): DenseVector {
    return new DenseVector(this.fitted(`${this.stageName}.coefficients`).coefficients.slice());
  }

  get intercept(): number {
    return this.fitted(`${this.stageName}.intercept`).intercept;
  }

  get scale(): number {
    return this.fitted(`${this.stageName}.scale`).scale;
  }

  /** @internal */
  override scoringOf(): { scoring: typeof aftScoring; state: AftState } {
    return { scoring: aftScoring, state: this.fitted(this.stageName) };
  }

  /** The quantiles of the lifetime at quantileProbabilities for one feature vector (Spark's predictQuantiles). */
  predictQuantiles(features: Vector | readonly number[]): DenseVector {
    const lambda = this.predict(features);
    const f = quantileFactors(this.getQuantileProbabilities(), this.fitted(`${this.stageName}.predictQuantiles`).scale);
    return new DenseVector(f.map((v) => lambda * v));
  }

  override transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    return aftOutputSchema(api, schema, { predictionCol: this.getPredictionCol(), quantilesCol: quantilesColOf(this), numQuantiles: this.getQuantileProbabilities().length });
  }

  override transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    const state = this.fitted(`${api}.transform`);
    const out = this.transformSchema(df.schema);
    const quantilesCol = quantilesColOf(this);
    if (this.getPredictionCol() === '' && quantilesCol === '') {
      process.emitWarning(`${api}.transform: ${this.uid}: AFTSurvivalRegressionModel.transform() does nothing because no output columns were set`, { type: 'KindlingWarning', code: 'KINDLING_NO_OUTPUT_COLUMNS' });
      return df;
    }
    const b: AftTransformBroadcast = {
      input: predictInput(api, df, this.getFeaturesCol(), this.numFeatures, {}),
      predictionCol: this.getPredictionCol(),
      quantilesCol,
      state,
      factors: quantileFactors(this.getQuantileProbabilities(), state.scale),
    };
    return df.mapInArrow(aftTransform, out, b);
  }

  override copy(extra?: ParamMap): this {
    checkExtra(`${this.stageName}.copy`, extra);
    const Ctor = this.constructor as new (o?: AFTSurvivalRegressionModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    if (this.state !== null) that.setState(this.state);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `AFTSurvivalRegressionModel: uid=${this.uid}, numFeatures=${this.numFeatures}`;
  }
}

/** Spark's data/ row: coefficients (VectorUDT), intercept and scale (double, not null). */
function aftTable(s: AftState): arrow.Table {
  const coef = vectorStructColumn([new DenseVector(s.coefficients.slice())]);
  const dbl = (v: number) => arrow.makeData({ type: new arrow.Float64(), length: 1, data: Float64Array.of(v), nullCount: 0 }) as AnyData;
  const schema = new arrow.Schema([
    new arrow.Field('coefficients', coef.type, true),
    new arrow.Field('intercept', new arrow.Float64(), false),
    new arrow.Field('scale', new arrow.Float64(), false),
  ]);
  return new arrow.Table(schema, [makeBatch(schema, [coef, dbl(s.intercept), dbl(s.scale)], 1)]);
}

function aftFromTable(api: string, table: arrow.Table, path: string): AftState {
  const names = table.schema.fields.map((f) => f.name);
  for (const n of ['coefficients', 'intercept', 'scale']) {
    if (!names.includes(n)) throw Errors.load(`${api}: the saved model at ${path} has data/ columns [${names.join(', ')}]; expected coefficients, intercept and scale`);
  }
  const batch = firstRow(table, api, path, 'saved model');
  const v = vectorAt(batch.getChild('coefficients')!.data[0]! as AnyData, 0);
  const intercept = Number(batch.getChild('intercept')!.get(0));
  const scale = Number(batch.getChild('scale')!.get(0));
  if (v === null || !Number.isFinite(intercept) || !(scale > 0)) throw Errors.load(`${api}: the saved model at ${path} has a null or unusable coefficients, intercept or scale`);
  return { coefficients: Float64Array.from(v.toArray()), intercept, scale };
}

register('org.apache.spark.ml.regression.AFTSurvivalRegressionModel', AFTSurvivalRegressionModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no coefficients to save`);
    await writeMetadata(m, path, ctx);
    await writeData(path, aftTable(m.scoringOf().state));
  },
  load: async (path, md, ctx) => {
    const state = aftFromTable(ctx.api, await readData(path, 'data', ctx.api), path);
    const m = new AFTSurvivalRegressionModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setState(state);
  },
});
