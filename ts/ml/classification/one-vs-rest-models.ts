/**
 * What OneVsRest and MultilabelClassifier share (both fit one binary classifier per class or
 * label, and read their sub-models' outputs back): the binary problems' label column (a 0/1
 * double with Spark's binary attribute, as OneVsRest writes `mc2b$<i>`), fitting the copies of the
 * base classifier with up to `parallelism` fits at once, running every sub-model's transform with
 * its outputs under temporary column names, and saving / loading the sub-models under
 * `model_<i>` with the classifier under `classifier/` (Spark's OneVsRest layout).
 */
import { join } from 'node:path';
import { Errors } from '../../src/errors.js';
import { when, type Column } from '../../src/dataframe/column.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { BinaryAttribute, withAttribute } from '../attribute/attributes.js';
import { ParamMap, type Params } from '../param/params.js';
import { encodeParamFor, loadStage, saveStage, writeMetadata, type ReadContext, type WriteContext } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { runLimited } from '../tuning/validator-params.js';
import * as arrow from 'apache-arrow';

/** Spark's BinaryAttribute.defaultAttr.withName('label') as the column metadata of a binary problem's label. */
export function binaryLabelMetadata(): Record<string, unknown> {
  const f = withAttribute(new arrow.Field('label', new arrow.Float64()), BinaryAttribute.defaultAttr.withName('label'));
  return { ml_attr: JSON.parse(f.metadata.get('ml_attr')!) };
}

/** The base classifier, or an error naming the param. */
export function requireClassifier(api: string, owner: Params): Estimator {
  const c = owner.get(owner.getParam('classifier')) as Estimator | undefined;
  if (!(c instanceof Estimator)) throw Errors.invalidArg(api, 'classifier', 'a classifier Estimator (set classifier)', c);
  for (const p of ['featuresCol', 'labelCol']) {
    if (!c.hasParam(p)) throw Errors.invalidArg(api, 'classifier', `a classifier with a ${p} param`, c.constructor.name);
  }
  return c;
}

export interface BinaryFit {
  /** The binary problems' training data: `df` with the 0/1 label column `binaryLabel(i)` named `name`. */
  data: (i: number) => { df: DataFrame; labelCol: string };
  featuresCol: string;
  predictionCol?: string;
  /** Passed to the classifier when it has a weightCol param (else ignored, with a warning by the caller). */
  weightCol?: string;
  parallelism: number;
  options: FitOptions;
}

/** Fits the base classifier once per problem 0..count-1 (each with its own ParamMap, as Spark), up to `parallelism` at once. */
export async function fitEach(classifier: Estimator, count: number, fit: BinaryFit): Promise<Model[]> {
  const models: Model[] = new Array(count);
  await runLimited(count, fit.parallelism, async (i) => {
    const { df, labelCol } = fit.data(i);
    const pm = new ParamMap();
    pm.put(classifier.getParam('labelCol'), labelCol);
    pm.put(classifier.getParam('featuresCol'), fit.featuresCol);
    if (fit.predictionCol !== undefined && fit.predictionCol !== '' && classifier.hasParam('predictionCol')) pm.put(classifier.getParam('predictionCol'), fit.predictionCol);
    if (fit.weightCol !== undefined) pm.put(classifier.getParam('weightCol'), fit.weightCol);
    models[i] = (await classifier.fit(df, pm, fit.options)) as Model;
  });
  return models;
}

/** A 0/1 double column (1 when `positive`) carrying a binary attribute, aliased `name`. */
export function binaryColumn(positive: Column, name: string): Column {
  return when(positive, 1.0).otherwise(0.0).alias(name, { metadata: binaryLabelMetadata() });
}

/** The output params of a sub-model this caller reads, with the temporary column each writes. */
export interface TmpOutputs {
  rawPredictionCol?: string;
  probabilityCol?: string;
  predictionCol?: string;
}

const OUTPUTS = ['rawPredictionCol', 'probabilityCol', 'predictionCol'] as const;

/**
 * `df` after every model's transform, each model copied with featuresCol set and its output
 * columns renamed to `tmp(i)`'s names (an output not asked for goes to a throw-away name and is
 * dropped), so only `df`'s columns and the asked temporary columns remain.
 */
export function transformEach(api: string, df: DataFrame, models: readonly Model[], featuresCol: string, tmp: (i: number) => TmpOutputs): DataFrame {
  const keep = [...df.columns];
  let cur = df;
  models.forEach((model, i) => {
    const want = tmp(i);
    // Spark sets the sub-models' params in place; kindling sets them for this transform and puts them back
    const saved: Array<[string, boolean, unknown]> = [];
    const setFor = (p: string, v: string) => {
      saved.push([p, model.isSet(p), model.isSet(p) ? model.get(model.getParam(p)) : undefined]);
      model.set(model.getParam(p), v);
    };
    let out: DataFrame;
    try {
      if (model.hasParam('featuresCol')) setFor('featuresCol', featuresCol);
      for (const p of OUTPUTS) {
        if (!model.hasParam(p)) {
          if (want[p] !== undefined) throw Errors.invalidArg(api, 'classifier', `a classifier whose models have ${p} (model ${i} is a ${model.constructor.name})`, model.constructor.name);
          continue;
        }
        setFor(p, want[p] ?? `${p}$drop$${i}`);
      }
      out = model.transform(cur);
    } finally {
      for (const [p, was, v] of saved.reverse()) {
        if (was) model.set(model.getParam(p), v);
        else model.clear(p);
      }
    }
    for (const p of OUTPUTS) if (want[p] !== undefined) keep.push(want[p]);
    cur = out.select(...keep.filter((c) => out.columns.includes(c)));
  });
  return cur;
}

/** The params to save: every param but `classifier` (Spark's OneVsRestParams.saveImpl). */
export async function writeWithoutClassifier(owner: Params, path: string, ctx: WriteContext, extraMetadata?: Record<string, unknown>): Promise<void> {
  const paramMap: Record<string, unknown> = {};
  for (const [p, v] of owner.extractParamMap().entries()) if (p.name !== 'classifier') paramMap[p.name] = encodeParamFor(ctx.api, owner, p, v);
  const defaults = Object.fromEntries(
    Object.entries(owner.paramValues().defaultParamMap)
      .filter(([k]) => k !== 'classifier')
      .map(([k, v]) => [k, encodeParamFor(ctx.api, owner, owner.getParam(k), v)]),
  );
  await writeMetadata(owner, path, ctx, { paramMap, defaultParamMap: defaults, extraMetadata });
}

/** Saves the sub-models under `model_<i>` and the classifier under `classifier/` (Spark's OneVsRestModel / OneVsRestParams.saveImpl). */
export async function saveParts(path: string, ctx: WriteContext, classifier: Params | undefined, models: readonly Params[]): Promise<void> {
  if (classifier !== undefined) await saveStage(classifier, join(path, 'classifier'), ctx);
  for (let i = 0; i < models.length; i++) await saveStage(models[i]!, join(path, `model_${i}`), ctx);
}

/** Loads `classifier/` and `model_0 … model_<count-1>`. */
export async function loadParts(path: string, ctx: ReadContext, count: number): Promise<{ classifier: Estimator; models: Model[] }> {
  const classifier = await loadStage(join(path, 'classifier'), ctx);
  if (!(classifier instanceof Estimator)) throw Errors.load(`${ctx.api}: ${path}/classifier holds ${classifier.constructor.name}, not an Estimator`);
  const models: Model[] = [];
  for (let i = 0; i < count; i++) {
    const m = await loadStage(join(path, `model_${i}`), ctx);
    if (!(m instanceof Model)) throw Errors.load(`${ctx.api}: ${path}/model_${i} holds ${m.constructor.name}, not a Model`);
    models.push(m);
  }
  return { classifier, models };
}
