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
import type { Session } from '../../src/session.js';
import { ParamValidators as V, type Param, type ParamMap } from '../param/params.js';
import { MLReader, MLWriter, assertPersistable, getAndSetParams, loadAs, loadStage, register, saveStage, type Metadata, type ReadContext, type WriteContext } from '../persist.js';
import { Estimator, Model, type Evaluator, type FitOptions } from '../stage.js';
import {
  bestIndex, fitGrid, loadValidatorParts, metricsJson, persistSubModelsOption, readMetrics, requireEstimator, requireEvaluator, requireParamMaps,
  resolveParamMaps, saveValidator, validatorParams, validatorTransformSchema,
  copyValidatorStages,
} from './validator-params.js';

const TVS_CLASS = 'org.apache.spark.ml.tuning.TrainValidationSplit';
const TVS_MODEL_CLASS = 'org.apache.spark.ml.tuning.TrainValidationSplitModel';

export interface TrainValidationSplitOptions {
  estimator?: Estimator;
  estimatorParamMaps?: ParamMap[];
  evaluator?: Evaluator;
  trainRatio?: number;
  seed?: number;
  parallelism?: number;
  collectSubModels?: boolean;
}

type Declare = <T>(name: string, doc: string, opts?: { default?: T; validate?: (v: T) => string | null }) => Param<T>;
const declare = (owner: object): Declare => (owner as unknown as { param: Declare }).param.bind(owner);

const trainRatioParam = (o: object) =>
  declare(o)<number>('trainRatio', 'ratio between training set and validation set (> 0 && < 1)', { default: 0.75, validate: V.inRange(0, 1, false, false) });

export class TrainValidationSplit extends Estimator<TrainValidationSplitModel> {
  readonly estimator = validatorParams.estimator(this);
  readonly estimatorParamMaps = validatorParams.estimatorParamMaps(this);
  readonly evaluator = validatorParams.evaluator(this);
  readonly seed = validatorParams.seed(this, TVS_CLASS);
  readonly trainRatio = trainRatioParam(this);
  readonly parallelism = validatorParams.parallelism(this);
  readonly collectSubModels = validatorParams.collectSubModels(this);

  constructor(options?: TrainValidationSplitOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  setEstimator(v: Estimator): this { return this.set(this.estimator, v); }
  setEstimatorParamMaps(v: ParamMap[]): this { return this.set(this.estimatorParamMaps, v); }
  setEvaluator(v: Evaluator): this { return this.set(this.evaluator, v); }
  setTrainRatio(v: number): this { return this.set(this.trainRatio, v); }
  setSeed(v: number): this { return this.set(this.seed, v); }
  setParallelism(v: number): this { return this.set(this.parallelism, v); }
  setCollectSubModels(v: boolean): this { return this.set(this.collectSubModels, v); }
  getEstimator(): Estimator { return requireEstimator(this); }
  getEstimatorParamMaps(): ParamMap[] { return this.getOrDefault(this.estimatorParamMaps); }
  getEvaluator(): Evaluator { return requireEvaluator(this); }
  getTrainRatio(): number { return this.getOrDefault(this.trainRatio); }
  getSeed(): number { return this.getOrDefault(this.seed); }
  getParallelism(): number { return this.getOrDefault(this.parallelism); }
  getCollectSubModels(): boolean { return this.getOrDefault(this.collectSubModels); }

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

  write(): MLWriter {
    return new MLWriter(this);
  }

  save(path: string): Promise<void> {
    return this.write().save(path);
  }

  static read(): MLReader<TrainValidationSplit> {
    return new MLReader(TrainValidationSplit);
  }

  static load(path: string, session?: Session): Promise<TrainValidationSplit> {
    return loadAs(TrainValidationSplit, path, session);
  }
}

export interface TrainValidationSplitModelState {
  bestModel: Model;
  validationMetrics: readonly number[];
  subModels?: Model[] | null;
}

export class TrainValidationSplitModel extends Model<TrainValidationSplitModel> {
  readonly estimator = validatorParams.estimator(this);
  readonly estimatorParamMaps = validatorParams.estimatorParamMaps(this);
  readonly evaluator = validatorParams.evaluator(this);
  readonly seed = validatorParams.seed(this, TVS_MODEL_CLASS);
  readonly trainRatio = trainRatioParam(this);

  readonly bestModel: Model;
  /** The metric of each param map on the validation set (in estimatorParamMaps order). */
  readonly validationMetrics: number[];
  private readonly subs: Model[] | null;

  constructor(state?: TrainValidationSplitModelState, uid?: string) {
    super(uid);
    if (!state || !(state.bestModel instanceof Model)) throw Errors.invalidArg('TrainValidationSplitModel', 'bestModel', 'a Model', state?.bestModel);
    this.bestModel = state.bestModel;
    this.validationMetrics = [...state.validationMetrics];
    this.subs = state.subModels ?? null;
  }

  /** subModels[gridPoint]; throws unless the validator ran with collectSubModels. */
  get subModels(): Model[] {
    if (!this.subs) throw new KindlingError('ERR_KINDLING_NOT_FITTED', 'TrainValidationSplitModel: subModels not available, To retrieve subModels, make sure to set collectSubModels to true before fitting.');
    return this.subs;
  }

  hasSubModels(): boolean {
    return this.subs !== null;
  }

  getTrainRatio(): number { return this.getOrDefault(this.trainRatio); }
  getEstimatorParamMaps(): ParamMap[] { return this.get(this.estimatorParamMaps) ?? []; }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return this.bestModel.transformSchema(schema);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return this.bestModel.transform(df);
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (s: TrainValidationSplitModelState, uid?: string) => this;
    const copied = new Ctor(
      { bestModel: this.bestModel.copy(extra), validationMetrics: this.validationMetrics, subModels: this.subs ? this.subs.map((m) => m.copy()) : null },
      this.uid,
    );
    return this.copyValues(copied, extra).setParent(this.parent);
  }

  write(): MLWriter {
    return new MLWriter(this);
  }

  save(path: string): Promise<void> {
    return this.write().save(path);
  }

  static read(): MLReader<TrainValidationSplitModel> {
    return new MLReader(TrainValidationSplitModel);
  }

  static load(path: string, session?: Session): Promise<TrainValidationSplitModel> {
    return loadAs(TrainValidationSplitModel, path, session);
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
