/**
 * `TrainValidationSplit` / `TrainValidationSplitModel`, as Spark's ml.tuning: the rows are
 * split once by `randomSplit([trainRatio, 1 - trainRatio], seed)` (trainRatio default 0.75,
 * strictly between 0 and 1); the estimator is fitted once per param map on the training part
 * (up to `parallelism` fits at once) and evaluated on the validation part, giving
 * `validationMetrics[j]`; the best point (the evaluator's `isLargerBetter()`, first on ties) is
 * refitted on the whole data as `bestModel`. `collectSubModels` keeps `subModels[j]`.
 * Progress: a 'grid' event per fit, a 'stage' event for the refit. Persistence as Spark's
 * (ValidatorParams + validationMetrics / persistSubModels, `bestModel/`, `subModels/<j>/`).
 */
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Errors, KindlingError } from '../../src/errors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { HasCollectSubModelsMixin, HasParallelismMixin, type HasCollectSubModels, type HasParallelism } from '../param/shared-params.js';
import type { ParamsOptions } from '../param/spec.js';
import { javaStringHash } from '../param/shared-params.table.js';
import { assertPersistable, getAndSetParams, loadStage, register, saveStage, type Metadata, type ReadContext, type WriteContext } from '../persist.js';
import { Estimator, Model, type Evaluator, type FitOptions } from '../stage.js';
import { TrainValidationSplitParamsMixin, type TrainValidationSplitParamsOptions } from './tuning-params.js';
import { TVS_CLASS } from './tuning-params.table.js';
import {
  bestIndex, fitGrid, loadValidatorParts, metricsJson, persistSubModelsOption, readMetrics, requireEstimator, requireEvaluator, requireParamMaps,
  resolveParamMaps, saveValidator, validatorTransformSchema,
  copyValidatorStages,
} from './validator-params.js';

const TVS_MODEL_CLASS = 'org.apache.spark.ml.tuning.TrainValidationSplitModel';

/** Options of TrainValidationSplit; `M`, the estimator's model type, is inferred from `estimator`. */
export interface TrainValidationSplitOptions<M extends Model = Model>
  extends Omit<TrainValidationSplitParamsOptions, 'estimator'>, ParamsOptions<HasParallelism & HasCollectSubModels> {
  /** estimator for selection */
  estimator?: Estimator<M>;
}

/**
 * One train/validation split over a grid. `M` is the estimator's model type (`bestModel` and
 * `subModels` have it): inferred from the `estimator` option, `Model` otherwise (and for a
 * loaded TrainValidationSplit).
 */
export class TrainValidationSplit<M extends Model = Model> extends MLWritable(
  HasCollectSubModelsMixin(HasParallelismMixin(TrainValidationSplitParamsMixin(Estimator<TrainValidationSplitModel>))),
) {
  constructor(options?: TrainValidationSplitOptions<M>, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** The estimator (throws naming the param when it is not set). */
  override getEstimator(): Estimator<M> { return requireEstimator(this) as Estimator<M>; }
  /** The evaluator (throws naming the param when it is not set). */
  override getEvaluator(): Evaluator { return requireEvaluator(this); }

  override fit(df: DataFrame, extra?: ParamMap, options?: FitOptions): Promise<TrainValidationSplitModel<M>> {
    return super.fit(df, extra, options) as Promise<TrainValidationSplitModel<M>>;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return validatorTransformSchema(this, schema);
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<TrainValidationSplitModel> {
    const est = requireEstimator(this);
    const evaluator = requireEvaluator(this);
    const maps = resolveParamMaps('TrainValidationSplit', requireParamMaps(this), est, evaluator);
    const r = this.getTrainRatio();
    const [trainPart, validationPart] = df.randomSplit([r, 1 - r], this.getSeed());
    const training = trainPart!.cache();
    const validation = validationPart!.cache();
    let result;
    try {
      for (const [part, name] of [[training, 'training'], [validation, 'validation']] as const) {
        // before any fit: the evaluator would fail later on an empty set, blaming itself
        if (await part.isEmpty()) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `TrainValidationSplit: the ${name} set is empty (randomSplit of ${await df.count()} rows at trainRatio = ${r}); use more rows`);
      }
      result = await fitGrid(this, est, evaluator, maps, training, validation, { parallelism: this.getParallelism(), collect: this.getCollectSubModels(), options });
    } finally {
      training.unpersist();
      validation.unpersist();
    }
    const best = bestIndex(result.metrics, evaluator.isLargerBetter());
    options.onProgress?.({ stage: this.uid, kind: 'stage', current: 1, total: 1, message: `fitting the best model (grid point ${best + 1} of ${maps.length}) on all the data` });
    const bestModel = (await est.fit(df, maps[best], options)) as Model;
    return this.copyValues(new TrainValidationSplitModel({ bestModel, validationMetrics: result.metrics, subModels: result.models }, this.uid));
  }

  override copy(extra?: ParamMap): this {
    return copyValidatorStages(super.copy(extra), extra);
  }
}

export interface TrainValidationSplitModelState<M extends Model = Model> {
  bestModel: M;
  validationMetrics: readonly number[];
  subModels?: M[] | null;
}

/** The result of TrainValidationSplit.fit: the best grid point's model refitted on all the data. */
export class TrainValidationSplitModel<M extends Model = Model> extends MLWritable(TrainValidationSplitParamsMixin(Model)) {
  readonly bestModel: M;
  /** The metric of each param map on the validation set (in estimatorParamMaps order). */
  readonly validationMetrics: number[];
  private readonly subs: M[] | null;

  constructor(state?: TrainValidationSplitModelState<M>, uid?: string) {
    super(uid);
    this.setDefault(this.seed, javaStringHash(TVS_MODEL_CLASS));
    if (!state || !(state.bestModel instanceof Model)) throw Errors.invalidArg('TrainValidationSplitModel', 'bestModel', 'a Model', state?.bestModel);
    this.bestModel = state.bestModel;
    this.validationMetrics = [...state.validationMetrics];
    this.subs = state.subModels ?? null;
  }

  /** subModels[gridPoint]; throws unless the validator ran with collectSubModels. */
  get subModels(): M[] {
    if (!this.subs) throw new KindlingError('ERR_KINDLING_NOT_FITTED', 'TrainValidationSplitModel: subModels not available, To retrieve subModels, make sure to set collectSubModels to true before fitting.');
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
    const Ctor = this.constructor as new (s: TrainValidationSplitModelState<M>, uid?: string) => this;
    const copied = new Ctor(
      { bestModel: this.bestModel.copy(extra), validationMetrics: this.validationMetrics, subModels: this.subs ? this.subs.map((m) => m.copy()) : null },
      this.uid,
    );
    return this.copyValues(copied, extra).setParent(this.parent);
  }

  override toString(): string {
    return `TrainValidationSplitModel: uid=${this.uid}, bestModel=${this.bestModel.uid}, trainRatio=${this.getTrainRatio()}`;
  }
}

async function saveModel(m: TrainValidationSplitModel, path: string, ctx: WriteContext): Promise<void> {
  const persistSubModels = persistSubModelsOption(ctx.api, ctx, m.hasSubModels());
  assertPersistable(ctx.api, m.bestModel, `bestModel of ${m.uid}`);
  if (persistSubModels) m.subModels.forEach((s, j) => assertPersistable(ctx.api, s, `subModels[${j}] of ${m.uid}`));
  await saveValidator(m, path, ctx, { validationMetrics: metricsJson(m.validationMetrics), persistSubModels });
  await saveStage(m.bestModel, join(path, 'bestModel'), ctx);
  if (persistSubModels) {
    const n = m.getEstimatorParamMaps().length;
    for (let j = 0; j < n; j++) await saveStage(m.subModels[j]!, join(path, 'subModels', String(j)), ctx);
  }
}

async function loadModel(path: string, md: Metadata, ctx: ReadContext): Promise<TrainValidationSplitModel> {
  const { estimator, evaluator, maps } = await loadValidatorParts(path, md, ctx);
  const bestModel = await loadStage(join(path, 'bestModel'), ctx);
  if (!(bestModel instanceof Model)) throw Errors.load(`${ctx.api}: ${path}/bestModel holds ${bestModel.constructor.name} (${bestModel.uid}), not a Model`);
  const validationMetrics = readMetrics(ctx.api, md, 'validationMetrics', true);
  let subModels: Model[] | null = null;
  if (md.metadata.persistSubModels === true) {
    subModels = [];
    for (let j = 0; j < maps.length; j++) {
      const s = await loadStage(join(path, 'subModels', String(j)), ctx);
      if (!(s instanceof Model)) throw Errors.load(`${ctx.api}: subModels/${j} of ${path} is not a Model`);
      subModels.push(s);
    }
  }
  const model = new TrainValidationSplitModel({ bestModel, validationMetrics, subModels }, md.uid);
  model.set(model.estimator, estimator).set(model.evaluator, evaluator).set(model.estimatorParamMaps, maps);
  getAndSetParams(model, md, { skipParams: ['estimatorParamMaps'], api: ctx.api });
  return model;
}

register(TVS_CLASS, TrainValidationSplit, {
  aliases: ['pyspark.ml.tuning.TrainValidationSplit'],
  children: (v) => [v.get(v.estimator), v.get(v.evaluator)].filter((x) => x !== undefined) as Array<Estimator | Evaluator>,
  save: (v, path, ctx) => saveValidator(v, path, ctx),
  load: async (path, md, ctx) => {
    const { estimator, evaluator, maps } = await loadValidatorParts(path, md, ctx);
    const v = new TrainValidationSplit({ estimator, evaluator, estimatorParamMaps: maps }, md.uid);
    getAndSetParams(v, md, { skipParams: ['estimatorParamMaps'], api: ctx.api });
    return v;
  },
});

register(TVS_MODEL_CLASS, TrainValidationSplitModel, {
  aliases: ['pyspark.ml.tuning.TrainValidationSplitModel'],
  children: (m) => [m.get(m.estimator), m.get(m.evaluator)].filter((x) => x !== undefined) as Array<Estimator | Evaluator>,
  save: saveModel,
  load: loadModel,
});
