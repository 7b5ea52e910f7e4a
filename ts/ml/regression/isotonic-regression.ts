/**
 * IsotonicRegression and IsotonicRegressionModel (Spark's ml.regression, over mllib's
 * IsotonicRegression; the arithmetic is isotonic-regression-pav.ts, the executor side
 * isotonic-regression-tasks.ts).
 *
 * The fit is one summary over the DataFrame's partitions (`aggregateRows`): each partition's
 * rows are read and checked on its executor and reduced to one point per distinct feature value
 * (weighted mean label, summed weight), merged by feature in treeAggregate order; the driver then
 * runs Spark's pool-adjacent-violators over the merged points. Spark range-partitions the rows by
 * feature and runs PAV per partition before a last PAV on the driver; the result is the same
 * function (isotonic-regression-pav.ts), and what reaches the driver here is at most one point
 * per distinct feature value — the size of the model before pooling, as Spark's collected
 * per-partition results are. No packed blocks are kept: the fit reads the data once.
 *
 * Columns (Spark's validateAndTransformSchema): features a numeric column or a vector column
 * (read at featureIndex), label and weight numeric; prediction a double column.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { isValidAt, makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { isNumericType, isVectorType, sparkTypeName } from '../../src/dataframe/types.js';
import { aggregateRows } from '../data/checked-summary.js';
import { checkNumeric, columnField, weightColumnOf } from '../data/schema-checks.js';
import { DenseVector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import { checkExtra, type ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata, firstRow } from '../persist.js';
import { appendOutputFields } from '../predictor/prediction-models.js';
import { Estimator, Model } from '../stage.js';
import { IsotonicRegressionParamsMixin, type IsotonicRegressionParamsOptions } from './isotonic-regression-params.js';
import { isotonicPredict, poolAdjacentViolators, type IsotonicFunction } from './isotonic-regression-pav.js';
import { isotonicPoints, isotonicPredictTask, type IsotonicFitBroadcast, type IsotonicPredictBroadcast } from './isotonic-regression-tasks.js';

export type { IsotonicRegressionParamsOptions };

/** Spark's check of the features column: a double (here: any numeric) column or a vector column; true for a vector column. */
function featuresIsVector(api: string, schema: arrow.Schema, name: string): boolean {
  const t = columnField(api, schema, name).field.type;
  if (isVectorType(t)) return true;
  if (isNumericType(t)) return false;
  throw Errors.schema(`${api}: column ${name} (featuresCol) must be of type double or vector, but is ${sparkTypeName(t)}`);
}

/** Spark's validateAndTransformSchema: the checked columns and the schema with the prediction column. */
function isotonicSchema(api: string, stage: IsotonicRegression | IsotonicRegressionModel, schema: arrow.Schema, fitting: boolean): arrow.Schema {
  if (fitting) {
    checkNumeric(api, schema, 'labelCol', stage.getLabelCol());
    const w = weightColumnOf(stage.getWeightCol());
    if (w !== null) checkNumeric(api, schema, 'weightCol', w);
  }
  featuresIsVector(api, schema, stage.getFeaturesCol());
  const p = stage.getPredictionCol();
  return p === '' ? schema : appendOutputFields(api, schema, [{ field: new arrow.Field(p, new arrow.Float64(), false), param: 'predictionCol' }]);
}

export class IsotonicRegression extends MLWritable(IsotonicRegressionParamsMixin(Estimator<IsotonicRegressionModel>)) {
  constructor(options?: IsotonicRegressionParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return isotonicSchema(this.stageName, this, schema, true);
  }

  protected async fitImpl(df: DataFrame): Promise<IsotonicRegressionModel> {
    const api = this.stageName;
    const featuresCol = this.getFeaturesCol();
    const labelCol = this.getLabelCol();
    const weightCol = weightColumnOf(this.getWeightCol());
    const b: IsotonicFitBroadcast = { featuresCol, isVector: featuresIsVector(api, df.schema, featuresCol), featureIndex: this.getFeatureIndex(), labelCol, weightCol };
    const { value, rows } = await aggregateRows(api, df, isotonicPoints, [featuresCol, labelCol, weightCol], b);
    if (rows === 0) throw Errors.schema(`${api}: the DataFrame has no rows (column ${featuresCol}); an isotonic fit needs at least one labeled row`);
    if (value.x.length === 0) throw Errors.schema(`${api}: every row of weight column ${weightCol} has weight 0; an isotonic fit needs a positive weight`);
    const isotonic = this.getIsotonic();
    const model = this.copyValues(new IsotonicRegressionModel(undefined, this.uid));
    return model.setFunction(poolAdjacentViolators(value, isotonic), isotonic).setParent(this);
  }
}

export interface IsotonicRegressionModelOptions extends IsotonicRegressionParamsOptions {
  /** The boundaries (non-decreasing, finite) and the prediction at each (kindling: Spark builds models only by fitting or loading). */
  boundaries?: readonly number[];
  predictions?: readonly number[];
}

export class IsotonicRegressionModel extends MLWritable(IsotonicRegressionParamsMixin(Model)) {
  private fn: IsotonicFunction | null = null;
  /** mllib's model flag (saved in data/): the isotonic param of the fit. */
  private fnIsotonic = true;

  constructor(options?: IsotonicRegressionModelOptions, uid?: string) {
    super(uid);
    const { boundaries, predictions, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (boundaries !== undefined || predictions !== undefined) {
      const fn = checkedFunction(this.stageName, boundaries, predictions);
      this.setFunction(fn, this.getIsotonic());
    }
  }

  /** @internal */
  setFunction(fn: IsotonicFunction, isotonic: boolean): this {
    this.fn = fn;
    this.fnIsotonic = isotonic;
    return this;
  }

  private fitted(api: string): IsotonicFunction {
    if (this.fn === null) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${this.uid} has no boundaries (fit an IsotonicRegression, construct the model with boundaries and predictions, or load one)`);
    return this.fn;
  }

  /** Boundaries in increasing order for which predictions are known. */
  get boundaries(): DenseVector {
    return new DenseVector(this.fitted(`${this.stageName}.boundaries`).boundaries.slice());
  }

  /** Predictions associated with the boundaries at the same index, monotone because of isotonic regression. */
  get predictions(): DenseVector {
    return new DenseVector(this.fitted(`${this.stageName}.predictions`).predictions.slice());
  }

  /** Always 1 (Spark 3.0+). */
  get numFeatures(): number {
    return 1;
  }

  /**
   * Spark's predict of one feature value: the prediction at a matching boundary (one of equal
   * boundaries, as java.util.Arrays.binarySearch finds it), the end predictions outside the
   * boundaries, linear interpolation between them.
   */
  predict(value: number): number {
    const api = `${this.stageName}.predict`;
    const fn = this.fitted(api);
    if (typeof value !== 'number' || Number.isNaN(value)) throw Errors.invalidArg(api, 'value', 'a number (not NaN)', value);
    return isotonicPredict(fn, value);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return isotonicSchema(this.stageName, this, schema, false);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    const fn = this.fitted(`${api}.transform`);
    const out = this.transformSchema(df.schema);
    if (this.getPredictionCol() === '') {
      process.emitWarning(`${api}.transform: predictionCol is empty; transform returns the input unchanged`, { type: 'KindlingWarning', code: 'KINDLING_NO_OUTPUT_COLUMNS' });
      return df;
    }
    const featuresCol = this.getFeaturesCol();
    const b: IsotonicPredictBroadcast = { api, featuresCol, isVector: featuresIsVector(api, df.schema, featuresCol), featureIndex: this.getFeatureIndex(), predictionCol: this.getPredictionCol(), fn };
    return df.mapInArrow(isotonicPredictTask, out, b);
  }

  /** @internal The function and mllib's isotonic flag (persistence). */
  functionData(): { fn: IsotonicFunction | null; isotonic: boolean } {
    return { fn: this.fn, isotonic: this.fnIsotonic };
  }

  override copy(extra?: ParamMap): this {
    checkExtra(`${this.stageName}.copy`, extra);
    const Ctor = this.constructor as new (o?: IsotonicRegressionModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    if (this.fn !== null) that.setFunction(this.fn, this.fnIsotonic);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `IsotonicRegressionModel: uid=${this.uid}, numFeatures=1`;
  }
}

/** Boundaries and predictions given by a user or a saved model, checked as mllib's model does. */
function checkedFunction(api: string, boundaries: ArrayLike<number> | undefined, predictions: ArrayLike<number> | undefined): IsotonicFunction {
  const ok = (a: ArrayLike<number> | undefined): a is ArrayLike<number> => a !== undefined && a !== null && typeof a.length === 'number' && a.length > 0 && Array.prototype.every.call(a, (v: unknown) => typeof v === 'number' && Number.isFinite(v));
  if (!ok(boundaries)) throw Errors.invalidArg(api, 'boundaries', 'a non-empty array of finite numbers', boundaries);
  if (!ok(predictions)) throw Errors.invalidArg(api, 'predictions', 'a non-empty array of finite numbers', predictions);
  if (boundaries.length !== predictions.length) throw Errors.invalidArg(api, 'predictions', `${boundaries.length} values, one per boundary`, `${predictions.length} values`);
  for (let i = 1; i < boundaries.length; i++) {
    if (boundaries[i]! < boundaries[i - 1]!) throw Errors.invalidArg(api, 'boundaries', 'boundaries in non-decreasing order', `${boundaries[i - 1]} before ${boundaries[i]} at index ${i}`);
  }
  return { boundaries: Float64Array.from(boundaries), predictions: Float64Array.from(predictions) };
}

/** Spark's IsotonicRegressionModel data: one row (boundaries array<double>, predictions array<double>, isotonic boolean). */
function isotonicTable(fn: IsotonicFunction, isotonic: boolean): arrow.Table {
  const list = (v: Float64Array): AnyData =>
    arrow.makeData({
      type: new arrow.List(new arrow.Field('element', new arrow.Float64(), false)),
      length: 1,
      valueOffsets: Int32Array.of(0, v.length),
      child: arrow.makeData({ type: new arrow.Float64(), length: v.length, data: v.slice(), nullCount: 0 }),
      nullCount: 0,
    } as never) as AnyData;
  const b = list(fn.boundaries);
  const p = list(fn.predictions);
  const flag = arrow.makeData({ type: new arrow.Bool(), length: 1, data: Uint8Array.of(isotonic ? 1 : 0), nullCount: 0 }) as AnyData;
  const schema = new arrow.Schema([new arrow.Field('boundaries', b.type, true), new arrow.Field('predictions', p.type, true), new arrow.Field('isotonic', new arrow.Bool(), false)]);
  return new arrow.Table(schema, [makeBatch(schema, [b, p, flag], 1)]);
}

function isotonicFromTable(api: string, table: arrow.Table, path: string): { fn: IsotonicFunction; isotonic: boolean } {
  const names = table.schema.fields.map((f) => f.name);
  for (const n of ['boundaries', 'predictions', 'isotonic']) {
    if (!names.includes(n)) throw Errors.load(`${api}: the saved model at ${path} has data/ columns [${names.join(', ')}]; expected boundaries, predictions and isotonic`);
  }
  const batch = firstRow(table, api, path, 'saved model');
  const col = (n: string) => batch.getChild(n)!;
  const array = (n: string): number[] => {
    const c = col(n);
    if (!isValidAt(c.data[0]! as AnyData, 0)) throw Errors.load(`${api}: the saved model at ${path} has a null ${n}`);
    return Array.from(c.get(0) as Iterable<unknown>, (v) => Number(v));
  };
  const boundaries = array('boundaries');
  const predictions = array('predictions');
  let fn: IsotonicFunction;
  try {
    fn = checkedFunction(api, boundaries, predictions);
  } catch (err) {
    throw Errors.load(`${api}: the saved model at ${path} has unusable data: ${(err as Error).message}`, err);
  }
  return { fn, isotonic: col('isotonic').get(0) !== false };
}

register('org.apache.spark.ml.regression.IsotonicRegression', IsotonicRegression);

register('org.apache.spark.ml.regression.IsotonicRegressionModel', IsotonicRegressionModel, {
  save: async (m, path, ctx) => {
    const { fn, isotonic } = m.functionData();
    if (fn === null) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no boundaries to save`);
    await writeMetadata(m, path, ctx);
    await writeData(path, isotonicTable(fn, isotonic));
  },
  load: async (path, md, ctx) => {
    const { fn, isotonic } = isotonicFromTable(ctx.api, await readData(path, 'data', ctx.api), path);
    const m = new IsotonicRegressionModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setFunction(fn, isotonic);
  },
});
