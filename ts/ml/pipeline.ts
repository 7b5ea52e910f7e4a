/**
 * `Pipeline` and `PipelineModel`, as Spark's ml.Pipeline:
 *   - `Pipeline.fit(df)` runs the stages in order up to the last Estimator: an Estimator is
 *     fitted on the current DataFrame and its model transforms it for the next stage, a
 *     Transformer just transforms it; stages after the last Estimator are kept as they are
 *     (nothing to fit, so nothing is transformed). The result is a `PipelineModel` of
 *     Transformers with the Pipeline's uid, reporting a 'stage' progress event per stage.
 *   - `PipelineModel.transform(df)` applies every stage in order; `transformSchema` chains the
 *     stages' schemas (and checks each stage's input columns before any data moves).
 *   - Both save and load in Spark's layout: metadata with `paramMap: {"stageUids": [...]}` and
 *     an empty `defaultParamMap`, each stage a complete saved stage under
 *     `stages/<idx zero-padded to the digits of the stage count>_<uid>/`. Saving refuses a
 *     stage whose class is not registered for persistence before writing anything.
 */
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../src/dataframe/dataframe.js';
import { Errors, KindlingError } from '../src/errors.js';
import { MLWritable } from './ml-writable.js';
import type { ParamMap } from './param/params.js';
import {
  assertPersistable, findStagePath, loadStage, register, saveStage, stagePath, writeMetadata,
  type Metadata, type ReadContext, type WriteContext,
} from './persist.js';
import { PipelineParamsMixin, type PipelineParamsOptions } from './pipeline-params.js';
import { Estimator, Model, PipelineStage, Transformer, type FitOptions } from './stage.js';

export type PipelineOptions = PipelineParamsOptions;

function stageUidsOf(api: string, metadata: Metadata): string[] {
  const uids = metadata.paramMap.stageUids;
  if (!Array.isArray(uids) || uids.some((u) => typeof u !== 'string')) {
    throw Errors.load(`${api}: expected an array of stage uids for paramMap.stageUids in ${metadata.path}/metadata, got ${JSON.stringify(uids)}`);
  }
  return uids as string[];
}

/** Writes a Pipeline / PipelineModel: metadata with {stageUids}, then each stage under stages/. */
async function saveWithStages(instance: Pipeline | PipelineModel, stages: readonly PipelineStage[], path: string, ctx: WriteContext): Promise<void> {
  stages.forEach((s, i) => assertPersistable(ctx.api, s, `stage ${i} of ${instance.uid}`));
  await writeMetadata(instance, path, ctx, { paramMap: { stageUids: stages.map((s) => s.uid) }, defaultParamMap: {} });
  const dir = join(path, 'stages');
  for (let i = 0; i < stages.length; i++) await saveStage(stages[i]!, stagePath(dir, stages[i]!.uid, i, stages.length), ctx);
}

async function loadStages(metadata: Metadata, path: string, ctx: ReadContext): Promise<PipelineStage[]> {
  const uids = stageUidsOf(ctx.api, metadata);
  const dir = join(path, 'stages');
  const out: PipelineStage[] = [];
  for (let i = 0; i < uids.length; i++) {
    const p = await findStagePath(dir, uids[i]!, i, uids.length);
    const stage = await loadStage(p, ctx);
    if (!(stage instanceof PipelineStage)) throw Errors.load(`${ctx.api}: stage ${i} at ${p} (${stage.uid}) is not a pipeline stage`);
    if (stage.uid !== uids[i]) throw Errors.load(`${ctx.api}: stage ${i} at ${p} has uid ${stage.uid}, but stageUids lists ${uids[i]}`);
    out.push(stage);
  }
  return out;
}

export class Pipeline extends MLWritable(PipelineParamsMixin(Estimator<PipelineModel>)) {
  constructor(options?: PipelineOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** Sets a copy of the array of stages. */
  override setStages(stages: PipelineStage[]): this {
    return super.setStages([...stages]);
  }

  /** The stages (an empty array when none were set, as PySpark's `Pipeline()`). */
  override getStages(): PipelineStage[] {
    return this.get(this.stages) ?? [];
  }

  /** Chains the stages' schemas; the same stage object twice is an error (Spark: duplicate components). */
  transformSchema(schema: arrow.Schema): arrow.Schema {
    const stages = this.getStages();
    if (new Set(stages).size !== stages.length) {
      throw Errors.invalidArg('Pipeline', 'stages', 'distinct stage objects (a pipeline cannot hold the same stage twice)', stages.map((s) => s.uid).join(', '));
    }
    return stages.reduce((s, stage) => stage.transformSchema(s), schema);
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<PipelineModel> {
    const stages = this.getStages();
    let lastEstimator = -1;
    stages.forEach((s, i) => {
      if (s instanceof Estimator) lastEstimator = i;
    });
    let cur = df;
    const transformers: Transformer[] = [];
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i]!;
      options.onProgress?.({ stage: this.uid, kind: 'stage', current: i + 1, total: stages.length, message: stage.uid });
      if (i > lastEstimator) {
        if (!(stage instanceof Transformer)) throw Errors.invalidArg('Pipeline', `stages[${i}]`, 'an Estimator or a Transformer', stage);
        transformers.push(stage);
        continue;
      }
      let t: Transformer;
      if (stage instanceof Estimator) t = await stage.fit(cur, undefined, options);
      else if (stage instanceof Transformer) t = stage;
      else throw Errors.invalidArg('Pipeline', `stages[${i}]`, 'an Estimator or a Transformer', stage);
      if (i < lastEstimator) cur = t.transform(cur);
      transformers.push(t);
    }
    return new PipelineModel(transformers, this.uid);
  }

  /** A copy with the same uid whose stages are copies with `extra` applied (Spark's Pipeline.copy). */
  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (options?: PipelineOptions, uid?: string) => this;
    const that = new Ctor(undefined, this.uid);
    if (this.isSet(this.stages)) that.setStages(this.getStages().map((s) => s.copy(extra)));
    return that;
  }
}

export class PipelineModel extends MLWritable(Model) {
  readonly stages: Transformer[];

  constructor(stages: readonly Transformer[] = [], uid?: string) {
    super(uid);
    if (!Array.isArray(stages) || stages.some((s) => !(s instanceof Transformer))) {
      throw Errors.invalidArg('PipelineModel', 'stages', 'an array of Transformers', stages);
    }
    this.stages = [...stages];
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return this.stages.reduce((s, stage) => stage.transformSchema(s), schema);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return this.stages.reduce((cur, stage) => stage.transform(cur), df);
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (stages?: readonly Transformer[], uid?: string) => this;
    return new Ctor(this.stages.map((s) => s.copy(extra)), this.uid).setParent(this.parent);
  }
}

register('org.apache.spark.ml.Pipeline', Pipeline, {
  aliases: ['pyspark.ml.pipeline.Pipeline'],
  children: (p) => p.getStages(),
  save: (p, path, ctx) => saveWithStages(p, p.getStages(), path, ctx),
  load: async (path, md, ctx) => new Pipeline({ stages: await loadStages(md, path, ctx) }, md.uid),
});

register('org.apache.spark.ml.PipelineModel', PipelineModel, {
  aliases: ['pyspark.ml.pipeline.PipelineModel'],
  children: (m) => m.stages,
  save: (m, path, ctx) => saveWithStages(m, m.stages, path, ctx),
  load: async (path, md, ctx) => {
    const stages = await loadStages(md, path, ctx);
    stages.forEach((s, i) => {
      if (!(s instanceof Transformer)) {
        throw new KindlingError('ERR_KINDLING_LOAD', `${ctx.api}: stage ${i} (${s.uid}, ${s.constructor.name}) of the PipelineModel at ${path} is not a Transformer`);
      }
    });
    return new PipelineModel(stages as Transformer[], md.uid);
  },
});
