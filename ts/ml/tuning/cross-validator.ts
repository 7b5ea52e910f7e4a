/**
 * `CrossValidator` / `CrossValidatorModel`, as Spark's ml.tuning:
 *   - k folds (`numFolds`, default 3): the rows are split by `randomSplit` with k equal weights
 *     and `seed` (disjoint, complete, the same for the same seed); fold i is the validation set
 *     and the other k-1 folds are the training set. With `foldCol`, the rows' own fold numbers
 *     (an integer column, every value in [0, numFolds)) decide, and the column is dropped from
 *     both sets (Spark's MLUtils.kFold).
 *   - For each fold, the estimator is fitted once per param map (up to `parallelism` fits at
 *     once) and each model is evaluated on the fold's validation set. `avgMetrics[j]` is the
 *     mean over folds of grid point j, `stdMetrics[j]` their population standard deviation
 *     (PySpark's numpy.std); the best point (the evaluator's `isLargerBetter()`, first on ties)
 *     is refitted on the whole data as `bestModel`. `collectSubModels` keeps every fold's
 *     models as `subModels[fold][gridPoint]`.
 *   - Progress: a 'fold' event per fold, a 'grid' event per fit, a 'stage' event for the refit.
 *   - Persistence: Spark's layout (ValidatorParams): metadata, `estimator/`, `evaluator/`; the
 *     model adds avgMetrics / stdMetrics / persistSubModels, `bestModel/` and, when persisted,
 *     `subModels/fold<i>/<j>/`.
 */
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { col } from '../../src/dataframe/column.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { sparkTypeName } from '../../src/dataframe/types.js';
import { Errors, KindlingError } from '../../src/errors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { HasCollectSubModelsMixin, HasParallelismMixin, type HasCollectSubModels, type HasParallelism } from '../param/shared-params.js';
import type { ParamsOptions } from '../param/spec.js';
import { javaStringHash } from '../param/shared-params.table.js';
import { assertPersistable, getAndSetParams, loadStage, register, saveStage, type Metadata, type ReadContext, type WriteContext } from '../persist.js';
import { Estimator, Model, type Evaluator, type FitOptions } from '../stage.js';
import { CrossValidatorParamsMixin, type CrossValidatorParamsOptions } from './tuning-params.js';
import { CV_CLASS } from './tuning-params.table.js';
import {
  bestIndex, fitGrid, loadValidatorParts, metricsJson, persistSubModelsOption, readMetrics, requireEstimator, requireEvaluator, requireParamMaps,
  resolveParamMaps, saveValidator, validatorTransformSchema,
  copyValidatorStages,
} from './validator-params.js';

const CV_MODEL_CLASS = 'org.apache.spark.ml.tuning.CrossValidatorModel';

/** Options of CrossValidator; `M`, the estimator's model type, is inferred from `estimator`. */
export interface CrossValidatorOptions<M extends Model = Model> extends Omit<CrossValidatorParamsOptions, 'estimator'>, ParamsOptions<HasParallelism & HasCollectSubModels> {
  /** estimator for selection */
  estimator?: Estimator<M>;
}

function checkFoldCol(api: string, schema: arrow.Schema, foldCol: string): void {
  if (foldCol === '') return;
  const f = schema.fields.find((x) => x.name === foldCol);
  if (!f) throw Errors.unknownColumn(api, foldCol, schema.fields.map((x) => x.name));
  if (!arrow.DataType.isInt(f.type)) {
    throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: expected an integer column for foldCol, got ${foldCol}: ${sparkTypeName(f.type)}`);
  }
}

/**
 * k-fold cross-validation over a grid. `M` is the estimator's model type (`bestModel` and
 * `subModels` have it): inferred from the `estimator` option, `Model` otherwise (and for a
 * loaded CrossValidator).
 */
export class CrossValidator<M extends Model = Model> extends MLWritable(HasCollectSubModelsMixin(HasParallelismMixin(CrossValidatorParamsMixin(Estimator<CrossValidatorModel>)))) {
  constructor(options?: CrossValidatorOptions<M>, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** The estimator (throws naming the param when it is not set). */
  override getEstimator(): Estimator<M> { return requireEstimator(this) as Estimator<M>; }
  /** The evaluator (throws naming the param when it is not set). */
  override getEvaluator(): Evaluator { return requireEvaluator(this); }

  override fit(df: DataFrame, extra?: ParamMap, options?: FitOptions): Promise<CrossValidatorModel<M>> {
    return super.fit(df, extra, options) as Promise<CrossValidatorModel<M>>;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkFoldCol('CrossValidator', schema, this.getFoldCol());
    return validatorTransformSchema(this, schema);
  }

  /** The (training, validation) pairs, fold by fold. */
  async kFold(df: DataFrame): Promise<Array<{ training: DataFrame; validation: DataFrame }>> {
    const k = this.getNumFolds();
    const foldCol = this.getFoldCol();
    if (foldCol === '') {
      const parts = df.randomSplit(new Array<number>(k).fill(1), this.getSeed());
      for (let i = 0; i < k; i++) {
        if (!(await parts[i]!.isEmpty())) continue;
        // before any fit: the evaluator would fail later on an empty fold, blaming itself
        const rows = await df.count();
        throw new KindlingError('ERR_KINDLING_INVALID_ARG', `CrossValidator: fold ${i} of numFolds = ${k} has no validation rows (randomSplit of ${rows} rows); use fewer folds or more rows`);
      }
      return parts.map((validation, i) => ({
        validation,
        training: parts.filter((_, j) => j !== i).reduce((a, b) => a.union(b)),
      }));
    }
    checkFoldCol('CrossValidator', df.schema, foldCol);
    const c = col(foldCol);
    const bad = await df.filter(c.isNull().or(c.lt(0)).or(c.geq(k))).select(foldCol).first();
    if (bad) throw Errors.outOfRange('CrossValidator', `fold numbers in ${foldCol}`, `integers in [0, ${k})`, bad[foldCol]);
    const out: Array<{ training: DataFrame; validation: DataFrame }> = [];
    for (let i = 0; i < k; i++) {
      const training = df.filter(c.ne(i)).drop(foldCol);
      const validation = df.filter(c.eq(i)).drop(foldCol);
      if (await training.isEmpty()) throw new KindlingError('ERR_KINDLING_SCHEMA', `CrossValidator: the training data at fold ${i} is empty (column ${foldCol})`);
      if (await validation.isEmpty()) throw new KindlingError('ERR_KINDLING_SCHEMA', `CrossValidator: the validation data at fold ${i} is empty (no row of ${foldCol} is ${i})`);
      out.push({ training, validation });
    }
    return out;
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<CrossValidatorModel> {
    const est = requireEstimator(this);
    const evaluator = requireEvaluator(this);
    const maps = resolveParamMaps('CrossValidator', requireParamMaps(this), est, evaluator);
    const k = this.getNumFolds();
    const collect = this.getCollectSubModels();
    const parallelism = this.getParallelism();
    const folds = await this.kFold(df);
    const perFold: number[][] = [];
    const subModels: Model[][] | null = collect ? [] : null;
    for (let i = 0; i < k; i++) {
      options.onProgress?.({ stage: this.uid, kind: 'fold', current: i + 1, total: k });
      const training = folds[i]!.training.cache();
      const validation = folds[i]!.validation.cache();
      try {
        const r = await fitGrid(this, est, evaluator, maps, training, validation, { parallelism, collect, options, message: `fold ${i + 1} of ${k}` });
        perFold.push(r.metrics);
        if (subModels) subModels.push(r.models!);
      } finally {
        training.unpersist();
        validation.unpersist();
      }
    }
    const m = maps.length;
    const avgMetrics = Array.from({ length: m }, (_, j) => perFold.reduce((s, f) => s + f[j]!, 0) / k);
    const stdMetrics = Array.from({ length: m }, (_, j) => Math.sqrt(perFold.reduce((s, f) => s + (f[j]! - avgMetrics[j]!) ** 2, 0) / k));
    const best = bestIndex(avgMetrics, evaluator.isLargerBetter());
    options.onProgress?.({ stage: this.uid, kind: 'stage', current: 1, total: 1, message: `fitting the best model (grid point ${best + 1} of ${m}) on all the data` });
    const bestModel = (await est.fit(df, maps[best], options)) as Model;
    const model = new CrossValidatorModel({ bestModel, avgMetrics, stdMetrics, subModels }, this.uid);
    return this.copyValues(model);
  }

  /** A copy with the same uid; the estimator and evaluator are copied with `extra` too (Spark). */
  override copy(extra?: ParamMap): this {
    return copyValidatorStages(super.copy(extra), extra);
  }
}

export interface CrossValidatorModelState<M extends Model = Model> {
  bestModel: M;
  avgMetrics: readonly number[];
  stdMetrics?: readonly number[];
  subModels?: M[][] | null;
}

/** The result of CrossValidator.fit: the best grid point's model refitted on all the data. */
export class CrossValidatorModel<M extends Model = Model> extends MLWritable(CrossValidatorParamsMixin(Model)) {
  readonly bestModel: M;
  /** Mean metric over the folds, per param map (in estimatorParamMaps order). */
  readonly avgMetrics: number[];
  /** Population standard deviation of the metric over the folds, per param map. */
  readonly stdMetrics: number[];
  private readonly subs: M[][] | null;

  constructor(state?: CrossValidatorModelState<M>, uid?: string) {
    super(uid);
    this.setDefault(this.seed, javaStringHash(CV_MODEL_CLASS));
    if (!state || !(state.bestModel instanceof Model)) throw Errors.invalidArg('CrossValidatorModel', 'bestModel', 'a Model', state?.bestModel);
    this.bestModel = state.bestModel;
    this.avgMetrics = [...state.avgMetrics];
    this.stdMetrics = [...(state.stdMetrics ?? [])];
    this.subs = state.subModels ?? null;
  }

  /** subModels[fold][gridPoint]; throws unless the validator ran with collectSubModels. */
  get subModels(): M[][] {
    if (!this.subs) throw new KindlingError('ERR_KINDLING_NOT_FITTED', 'CrossValidatorModel: subModels not available, To retrieve subModels, make sure to set collectSubModels to true before fitting.');
    return this.subs;
  }

  hasSubModels(): boolean {
    return this.subs !== null;
  }

  /** The param maps (an empty array when not set). */
  override getEstimatorParamMaps(): ParamMap[] { return this.get(this.estimatorParamMaps) ?? []; }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return this.bestModel.transformSchema(schema);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return this.bestModel.transform(df);
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (s: CrossValidatorModelState<M>, uid?: string) => this;
    const copied = new Ctor(
      {
        bestModel: this.bestModel.copy(extra),
        avgMetrics: this.avgMetrics,
        stdMetrics: this.stdMetrics,
        subModels: this.subs ? this.subs.map((row) => row.map((m) => m.copy())) : null,
      },
      this.uid,
    );
    return this.copyValues(copied, extra).setParent(this.parent);
  }

  override toString(): string {
    return `CrossValidatorModel: uid=${this.uid}, bestModel=${this.bestModel.uid}, numFolds=${this.getNumFolds()}`;
  }
}

async function saveModel(m: CrossValidatorModel, path: string, ctx: WriteContext): Promise<void> {
  const persistSubModels = persistSubModelsOption(ctx.api, ctx, m.hasSubModels());
  assertPersistable(ctx.api, m.bestModel, `bestModel of ${m.uid}`);
  if (persistSubModels) m.subModels.forEach((row, i) => row.forEach((s, j) => assertPersistable(ctx.api, s, `subModels[${i}][${j}] of ${m.uid}`)));
  await saveValidator(m, path, ctx, { avgMetrics: metricsJson(m.avgMetrics), persistSubModels, stdMetrics: metricsJson(m.stdMetrics) });
  await saveStage(m.bestModel, join(path, 'bestModel'), ctx);
  if (persistSubModels) {
    const k = m.getNumFolds();
    const n = m.getEstimatorParamMaps().length;
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) await saveStage(m.subModels[i]![j]!, join(path, 'subModels', `fold${i}`, String(j)), ctx);
  }
}

async function loadModel(path: string, md: Metadata, ctx: ReadContext): Promise<CrossValidatorModel> {
  const { estimator, evaluator, maps } = await loadValidatorParts(path, md, ctx);
  const bestModel = await loadStage(join(path, 'bestModel'), ctx);
  if (!(bestModel instanceof Model)) throw Errors.load(`${ctx.api}: ${path}/bestModel holds ${bestModel.constructor.name} (${bestModel.uid}), not a Model`);
  const avgMetrics = readMetrics(ctx.api, md, 'avgMetrics', true);
  const stdMetrics = readMetrics(ctx.api, md, 'stdMetrics', false);
  let subModels: Model[][] | null = null;
  if (md.metadata.persistSubModels === true) {
    const k = Number(md.paramMap.numFolds);
    if (!Number.isInteger(k) || k < 2) throw Errors.load(`${ctx.api}: expected numFolds >= 2 in ${path}/metadata, got ${String(md.paramMap.numFolds)}`);
    subModels = [];
    for (let i = 0; i < k; i++) {
      const row: Model[] = [];
      for (let j = 0; j < maps.length; j++) {
        const s = await loadStage(join(path, 'subModels', `fold${i}`, String(j)), ctx);
        if (!(s instanceof Model)) throw Errors.load(`${ctx.api}: subModels/fold${i}/${j} of ${path} is not a Model`);
        row.push(s);
      }
      subModels.push(row);
    }
  }
  const model = new CrossValidatorModel({ bestModel, avgMetrics, stdMetrics, subModels }, md.uid);
  model.set(model.estimator, estimator).set(model.evaluator, evaluator).set(model.estimatorParamMaps, maps);
  getAndSetParams(model, md, { skipParams: ['estimatorParamMaps'], api: ctx.api });
  return model;
}

register(CV_CLASS, CrossValidator, {
  aliases: ['pyspark.ml.tuning.CrossValidator'],
  children: (cv) => [cv.get(cv.estimator), cv.get(cv.evaluator)].filter((x) => x !== undefined) as Array<Estimator | Evaluator>,
  save: (cv, path, ctx) => saveValidator(cv, path, ctx),
  load: async (path, md, ctx) => {
    const { estimator, evaluator, maps } = await loadValidatorParts(path, md, ctx);
    const cv = new CrossValidator({ estimator, evaluator, estimatorParamMaps: maps }, md.uid);
    getAndSetParams(cv, md, { skipParams: ['estimatorParamMaps'], api: ctx.api });
    return cv;
  },
});

register(CV_MODEL_CLASS, CrossValidatorModel, {
  aliases: ['pyspark.ml.tuning.CrossValidatorModel'],
  children: (m) => [m.get(m.estimator), m.get(m.evaluator)].filter((x) => x !== undefined) as Array<Estimator | Evaluator>,
  save: saveModel,
  load: loadModel,
});
