/**
 * MultivariateRegressor (kindling's; Spark has none): regression on a vector label — a vector
 * column or an array of numbers of k values per row — by fitting one copy of `regressor` per
 * component, as Spark's OneVsRest fits one classifier per class. Each copy reads the same
 * features and its target as a double column (multivariate-regressor-tasks.ts splits the label
 * on the executors; a null, non-finite or wrongly sized label names its row); the regressor's
 * own params (weightCol, regParam, …) apply to every target. k is the size of the first label.
 *
 * MultivariateRegressionModel.transform runs each sub-model (its prediction column renamed to a
 * temporary one) and appends predictionCol: a dense vector of the k predictions.
 *
 * Persistence in Spark's layout under kindling's class names (persist.ts KINDLING_FEATURE_NS's
 * idea, for regression): `org.kindling.ml.regression.MultivariateRegressor` with the regressor
 * saved in `regressor/` (as OneVsRest's `classifier/`), and
 * `org.kindling.ml.regression.MultivariateRegressionModel` with `numTargets` in its metadata,
 * `regressor/` and each target's model in `model_<i>/` (OneVsRestModel's layout).
 */
import * as arrow from 'apache-arrow';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { isNumericType, isVectorType, Types } from '../../src/dataframe/types.js';
import { checkFeaturesColumn } from '../data/features.js';
import { columnField } from '../data/schema-checks.js';
import { MLWritable } from '../ml-writable.js';
import { checkExtra, ParamMap } from '../param/params.js';
import { encodeParamFor, getAndSetParams, loadStage, register, saveStage, writeMetadata, type Metadata, type ReadContext, type WriteContext } from '../persist.js';
import { appendOutputFields } from '../predictor/prediction-models.js';
import { Estimator, Model } from '../stage.js';
import { MultivariateRegressorParamsMixin, type MultivariateRegressorParamsOptions } from './multivariate-regressor-params.js';
import { multivariateAssemble, multivariateTargets, type AssembleBroadcast, type TargetsBroadcast } from './multivariate-regressor-tasks.js';

export const KINDLING_REGRESSION_NS = 'org.kindling.ml.regression';

export type MultivariateRegressorOptions = MultivariateRegressorParamsOptions;

/** The label column: a vector or an array of numbers (its index and kind). */
function checkLabelColumn(api: string, schema: arrow.Schema, labelCol: string): { isArray: boolean } {
  const t = columnField(api, schema, labelCol).field.type;
  if (isVectorType(t)) return { isArray: false };
  if (arrow.DataType.isList(t) && isNumericType(t.children[0]!.type)) return { isArray: true };
  throw Errors.schema(`${api}: column ${labelCol} (labelCol) must be a vector or an array of numbers (one value per target), but is ${String(t)}`);
}

/** The regressor with the columns a target's copy reads and writes. */
function targetCopy(api: string, regressor: Estimator, cols: { featuresCol: string; labelCol: string; predictionCol: string }): Estimator {
  const pm = new ParamMap();
  for (const [name, value] of Object.entries(cols)) {
    if (!regressor.hasParam(name)) throw Errors.invalidArg(api, 'regressor', `an Estimator with the param ${name} (a Predictor such as LinearRegression)`, regressor);
    pm.put(regressor.getParam(name), value);
  }
  return regressor.copy(pm);
}

export class MultivariateRegressor extends MLWritable(MultivariateRegressorParamsMixin(Estimator<MultivariateRegressionModel>)) {
  constructor(options?: MultivariateRegressorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private requireRegressor(): Estimator {
    const r = this.get(this.regressor);
    if (!(r instanceof Estimator)) throw Errors.invalidArg(this.stageName, 'regressor', 'an Estimator (set regressor before fitting)', r);
    return r;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    this.requireRegressor();
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    checkLabelColumn(api, schema, this.getLabelCol());
    const p = this.getPredictionCol();
    return p === '' ? schema : appendOutputFields(api, schema, [{ field: new arrow.Field(p, Types.vectorStruct(), false), param: 'predictionCol' }]);
  }

  protected async fitImpl(df: DataFrame): Promise<MultivariateRegressionModel> {
    const api = this.stageName;
    const regressor = this.requireRegressor();
    const labelCol = this.getLabelCol();
    const { isArray } = checkLabelColumn(api, df.schema, labelCol);
    const first = (await df.select(labelCol).head(1))[0];
    if (first === undefined) throw Errors.schema(`${api}: the DataFrame has no rows (column ${labelCol}); a fit needs at least one labeled row`);
    const v = first[labelCol] as { size?: number; length?: number } | null;
    const k = v === null ? 0 : (v.size ?? v.length ?? 0);
    if (!(k > 0)) throw Errors.badRow(api, `label column ${labelCol}`, 0, `is ${v === null ? 'null' : 'empty'}: the first label must hold at least one target`);
    const prefix = `__target_${this.uid}_`;
    const outCols = Array.from({ length: k }, (_, i) => `${prefix}${i}`);
    const b: TargetsBroadcast = { api, labelCol, isArray, k, outCols };
    const targets = df.mapInArrow(multivariateTargets, new arrow.Schema([...df.schema.fields, ...outCols.map((c) => new arrow.Field(c, new arrow.Float64(), false))]), b);
    const models: Model[] = [];
    for (let i = 0; i < k; i++) {
      const est = targetCopy(api, regressor, { featuresCol: this.getFeaturesCol(), labelCol: outCols[i]!, predictionCol: this.getPredictionCol() || 'prediction' });
      const m = await est.fit(targets);
      models.push(m);
    }
    const model = this.copyValues(new MultivariateRegressionModel(undefined, this.uid)).setModels(models);
    model.setParent(this);
    return model;
  }

  override copy(extra?: ParamMap): this {
    const that = super.copy(extra);
    const r = that.get(that.regressor);
    if (r) that.set(that.regressor, r.copy(extra));
    return that;
  }
}

export class MultivariateRegressionModel extends MLWritable(MultivariateRegressorParamsMixin(Model)) {
  private models: Model[] = [];

  constructor(options?: MultivariateRegressorParamsOptions & { models?: Model[] }, uid?: string) {
    super(uid);
    const { models, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (models !== undefined) {
      if (!Array.isArray(models) || models.length === 0 || !models.every((m) => m instanceof Model)) throw Errors.invalidArg(this.stageName, 'models', 'a non-empty array of regression models', models);
      this.models = models;
    }
  }

  /** @internal */
  setModels(models: Model[]): this {
    this.models = models;
    return this;
  }

  /** The per-target models (component i of the label → models[i]). */
  get subModels(): Model[] {
    return this.models.slice();
  }

  /** The number of targets. */
  get numTargets(): number {
    return this.models.length;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    const p = this.getPredictionCol();
    return p === '' ? schema : appendOutputFields(api, schema, [{ field: new arrow.Field(p, Types.vector(Math.max(this.models.length, 1)), false), param: 'predictionCol' }]);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    if (this.models.length === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}.transform: ${this.uid} has no models (fit a MultivariateRegressor or load one)`);
    const out = this.transformSchema(df.schema);
    const p = this.getPredictionCol();
    if (p === '') return df;
    const keep = df.schema.fields.map((f) => f.name);
    const prefix = `__prediction_${this.uid}_`;
    const preds: string[] = [];
    let cur = df;
    this.models.forEach((m, i) => {
      const name = `${prefix}${i}`;
      const pm = new ParamMap();
      if (m.hasParam('featuresCol')) pm.put(m.getParam('featuresCol'), this.getFeaturesCol());
      pm.put(m.getParam('predictionCol'), name);
      preds.push(name);
      cur = m.copy(pm).transform(cur).select(...keep, ...preds);
    });
    const b: AssembleBroadcast = { api, inCols: preds, outCol: p };
    const assembled = cur.mapInArrow(multivariateAssemble, new arrow.Schema([...cur.schema.fields, out.fields[out.fields.length - 1]!]), b);
    return assembled.select(...keep, p);
  }

  /** The k predictions of one feature vector (each sub-model's predict). */
  predict(features: readonly number[]): number[] {
    if (this.models.length === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${this.stageName}.predict: ${this.uid} has no models`);
    return this.models.map((m) => (m as unknown as { predict(x: readonly number[]): number }).predict(features));
  }

  override copy(extra?: ParamMap): this {
    checkExtra(`${this.stageName}.copy`, extra);
    const Ctor = this.constructor as new (o?: unknown, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    that.setModels(this.models.map((m) => m.copy()));
    return that.setParent(this.parent);
  }
}

const NO_REGRESSOR = ['regressor'];

async function saveWithRegressor(stage: MultivariateRegressor | MultivariateRegressionModel, path: string, ctx: WriteContext, extraMetadata?: Record<string, unknown>): Promise<void> {
  const raw = stage.paramValues();
  const enc = (m: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(m).filter(([k]) => !NO_REGRESSOR.includes(k)).map(([k, v]) => [k, encodeParamFor(ctx.api, stage, stage.getParam(k), v)]));
  const paramMap = enc(raw.paramMap);
  const defaultParamMap = enc(raw.defaultParamMap);
  await writeMetadata(stage, path, ctx, { paramMap, defaultParamMap, extraMetadata });
  const r = stage.get(stage.regressor);
  if (r) await saveStage(r, join(path, 'regressor'), ctx);
}

async function loadRegressor(path: string, ctx: ReadContext): Promise<Estimator | undefined> {
  const dir = join(path, 'regressor');
  if (!existsSync(dir)) return undefined;
  const r = await loadStage(dir, ctx);
  if (!(r instanceof Estimator)) throw Errors.load(`${ctx.api}: ${dir} holds ${r.constructor.name} (${r.uid}), not an Estimator`);
  return r;
}

register(`${KINDLING_REGRESSION_NS}.MultivariateRegressor`, MultivariateRegressor, {
  children: (s) => [s.get(s.regressor)].filter((x) => x !== undefined) as Estimator[],
  save: (s, path, ctx) => saveWithRegressor(s, path, ctx),
  load: async (path: string, md: Metadata, ctx) => {
    const s = new MultivariateRegressor(undefined, md.uid);
    getAndSetParams(s, md, { api: ctx.api, skipParams: NO_REGRESSOR });
    const r = await loadRegressor(path, ctx);
    if (r) s.setRegressor(r);
    return s;
  },
});

register(`${KINDLING_REGRESSION_NS}.MultivariateRegressionModel`, MultivariateRegressionModel, {
  children: (m) => [...(m.get(m.regressor) ? [m.get(m.regressor)!] : []), ...m.subModels],
  save: async (m, path, ctx) => {
    if (m.numTargets === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no models to save`);
    await saveWithRegressor(m, path, ctx, { numTargets: m.numTargets });
    for (const [i, sub] of m.subModels.entries()) await saveStage(sub, join(path, `model_${i}`), ctx);
  },
  load: async (path: string, md: Metadata, ctx) => {
    const k = Number(md.metadata.numTargets);
    if (!(Number.isInteger(k) && k > 0)) throw Errors.load(`${ctx.api}: the saved model at ${path} has no numTargets in its metadata`);
    const models: Model[] = [];
    for (let i = 0; i < k; i++) {
      const sub = await loadStage(join(path, `model_${i}`), ctx);
      if (!(sub instanceof Model)) throw Errors.load(`${ctx.api}: ${path}/model_${i} holds ${sub.constructor.name}, not a Model`);
      models.push(sub);
    }
    const m = new MultivariateRegressionModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api, skipParams: NO_REGRESSOR });
    const r = await loadRegressor(path, ctx);
    if (r) m.setRegressor(r);
    return m.setModels(models);
  },
});
