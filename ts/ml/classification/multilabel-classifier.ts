/**
 * MultilabelClassifier and MultilabelClassificationModel: kindling's binary-relevance multilabel
 * classifier (Spark lacks one; scikit-learn's MultiOutputClassifier over 0/1 indicator columns).
 *
 * Fit: `labelCol` is an array of label indices per row (array<double> or array<int>); one pass
 * (multilabel-classifier-tasks.ts) checks every row's labels (non-null, integers >= 0; a bad row
 * is named) and counts the rows holding each label. numLabels is the param when set (a larger
 * label is an error), else the largest label + 1. Each label j must have rows with and rows
 * without it (a binary problem needs both classes). For each label j a copy of the classifier is
 * fitted on the features and the 0/1 double column `ml2b$<j>` (1 where the row's labels hold j,
 * with a binary attribute, as OneVsRest's columns) — up to `parallelism` fits at once.
 *
 * Transform: every sub-model scores the rows; `predictionCol` is the array<double> of the labels
 * whose sub-model predicts 1, ascending (the form MultilabelClassificationEvaluator reads), and
 * `probabilityCol`, when non-empty, the vector of each sub-model's probability of 1 (sub-models
 * must then have a probabilityCol).
 *
 * Persistence: kindling's namespace (`org.kindling.ml.classification.MultilabelClassifier` /
 * `…MultilabelClassificationModel`, which Spark cannot load), in OneVsRest's layout: every param
 * but classifier in the metadata (the model adds `numLabels`), the classifier under
 * `classifier/`, the sub-models under `model_<j>`.
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { col, functions as F } from '../../src/dataframe/column.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { aggregateRows } from '../data/checked-summary.js';
import { checkFeaturesColumn } from '../data/features.js';
import { checkNumericArray } from '../data/schema-checks.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { HasParallelismMixin } from '../param/shared-params.js';
import { getAndSetParams, register } from '../persist.js';
import { appendOutputFields } from '../predictor/prediction-models.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { MultilabelClassifierParamsMixin, type MultilabelClassifierParamsOptions } from './multilabel-classifier-params.js';
import { multilabelCombine, multilabelFields, multilabelLabelStats, type MultilabelCombineBroadcast } from './multilabel-classifier-tasks.js';
import { binaryColumn, fitEach, loadParts, requireClassifier, saveParts, transformEach, writeWithoutClassifier } from './one-vs-rest-models.js';

/** kindling's namespace for the classifiers Spark lacks (Spark cannot load them). */
export const KINDLING_CLASSIFICATION_NS = 'org.kindling.ml.classification';

export interface MultilabelClassifierOptions extends MultilabelClassifierParamsOptions {
  parallelism?: number;
}

export class MultilabelClassifier extends MLWritable(HasParallelismMixin(MultilabelClassifierParamsMixin(Estimator<MultilabelClassificationModel>))) {
  constructor(options?: MultilabelClassifierOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    checkNumericArray(api, schema, 'labelCol', this.getLabelCol());
    return this.copyValues(new MultilabelClassificationModel({ models: [] }, this.uid)).outputSchema(schema, this.getNumLabels() ?? 1);
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<MultilabelClassificationModel> {
    const api = this.stageName;
    const classifier = requireClassifier(api, this);
    this.transformSchema(df.schema);
    const labelCol = this.getLabelCol();
    const { value: stats } = await aggregateRows(api, df, multilabelLabelStats, [labelCol], { labelCol });
    if (stats.rows === 0) throw Errors.schema(`${api}: the DataFrame has no rows (column ${labelCol}); a fit needs at least one labeled row`);
    const found = stats.positives.length;
    const given = this.getNumLabels();
    if (given !== undefined && found > given) throw Errors.schema(`${api}: label column ${labelCol} holds the label ${found - 1}, but numLabels = ${given}; labels must be < numLabels`);
    const k = given ?? found;
    if (k === 0) throw Errors.schema(`${api}: label column ${labelCol} holds no label in any row; set numLabels or give rows labels`);
    for (let j = 0; j < k; j++) {
      const pos = stats.positives[j] ?? 0;
      if (pos === 0 || pos === stats.rows) {
        throw Errors.schema(`${api}: label ${j} of column ${labelCol} is in ${pos === 0 ? 'no' : 'every'} row; a binary classifier per label needs rows with and rows without each label`);
      }
    }
    const featuresCol = this.getFeaturesCol();
    const data = df.select(featuresCol, labelCol);
    const models = await fitEach(classifier, k, {
      data: (j) => {
        const name = `ml2b$${j}`;
        return { df: data.select(col(featuresCol), binaryColumn(F.array_contains(labelCol, j), name)), labelCol: name };
      },
      featuresCol,
      parallelism: this.getParallelism(),
      options,
    });
    return this.copyValues(new MultilabelClassificationModel({ models }, this.uid)).setNumLabels(k);
  }

  /** A copy; the classifier is copied with `extra` too. */
  override copy(extra?: ParamMap): this {
    const that = super.copy(extra);
    const c = this.get(this.classifier);
    if (c !== undefined) that.set(that.classifier, c.copy(extra));
    return that;
  }
}

export interface MultilabelClassificationModelState {
  /** One binary model per label, label order. */
  models: Model[];
}

export class MultilabelClassificationModel extends MLWritable(MultilabelClassifierParamsMixin(Model)) {
  readonly models: Model[];

  constructor(state?: MultilabelClassificationModelState & MultilabelClassifierParamsOptions, uid?: string) {
    super(uid);
    const { models = [], ...params } = state ?? { models: [] };
    this.setParams(params as Record<string, unknown>);
    if (!Array.isArray(models) || models.some((m) => !(m instanceof Model))) throw Errors.invalidArg(this.stageName, 'models', 'an array of Models', models);
    this.models = [...models];
    if (models.length > 0) this.setNumLabels(models.length);
  }

  /** The schema with the output columns for `k` labels. */
  outputSchema(schema: arrow.Schema, k: number): arrow.Schema {
    const api = this.stageName;
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    const fields = multilabelFields(this.getPredictionCol(), this.getProbabilityCol(), Math.max(k, 1));
    const params = [this.getPredictionCol() !== '' ? 'predictionCol' : '', this.getProbabilityCol() !== '' ? 'probabilityCol' : ''].filter((p) => p !== '');
    return appendOutputFields(api, schema, fields.map((field, i) => ({ field, param: params[i]! })));
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return this.outputSchema(schema, this.models.length);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    if (this.models.length === 0) throw Errors.invalidArg(`${api}.transform`, 'models', 'a fitted model (fit a MultilabelClassifier or load one)', 'no sub-models');
    const out = this.transformSchema(df.schema);
    const predictionCol = this.getPredictionCol();
    const probabilityCol = this.getProbabilityCol();
    if (predictionCol === '' && probabilityCol === '') {
      process.emitWarning(`${api}.transform: predictionCol and probabilityCol are empty; transform returns the input unchanged`, { type: 'KindlingWarning', code: 'KINDLING_NO_OUTPUT_COLUMNS' });
      return df;
    }
    const predCols = predictionCol !== '' ? this.models.map((_, j) => `mlc$pred${j}`) : [];
    const probCols = probabilityCol !== '' ? this.models.map((_, j) => `mlc$prob${j}`) : [];
    const scored = transformEach(api, df, this.models, this.getFeaturesCol(), (j) => ({
      ...(predictionCol !== '' ? { predictionCol: predCols[j]! } : {}),
      ...(probabilityCol !== '' ? { probabilityCol: probCols[j]! } : {}),
    }));
    const b: MultilabelCombineBroadcast = { predCols, probCols, predictionCol, probabilityCol };
    return scored.mapInArrow(multilabelCombine, out, b);
  }

  /** A copy with the same uid; each sub-model is copied with `extra`. */
  override copy(extra?: ParamMap): this {
    super.copy(extra); // checks extra
    const that = new MultilabelClassificationModel({ models: this.models.map((m) => m.copy(extra)) }, this.uid) as this;
    this.copyValues(that, extra);
    if (this.parent) that.setParent(this.parent);
    return that;
  }
}

register(`${KINDLING_CLASSIFICATION_NS}.MultilabelClassifier`, MultilabelClassifier, {
  children: (o) => [o.get(o.classifier)].filter((c) => c !== undefined),
  save: async (o, path, ctx) => {
    const c = requireClassifier(ctx.api, o);
    await writeWithoutClassifier(o, path, ctx);
    await saveParts(path, ctx, c, []);
  },
  load: async (path, md, ctx) => {
    const { classifier } = await loadParts(path, ctx, 0);
    const o = new MultilabelClassifier(undefined, md.uid);
    getAndSetParams(o, md, { api: ctx.api, skipParams: ['classifier'] });
    return o.setClassifier(classifier);
  },
});

register(`${KINDLING_CLASSIFICATION_NS}.MultilabelClassificationModel`, MultilabelClassificationModel, {
  children: (m) => [...m.models, ...[m.get(m.classifier)].filter((c) => c !== undefined)],
  save: async (m, path, ctx) => {
    if (m.models.length === 0) throw Errors.invalidArg(ctx.api, 'models', 'a fitted model', 'no sub-models');
    const c = requireClassifier(ctx.api, m);
    await writeWithoutClassifier(m, path, ctx, { numLabels: m.models.length });
    await saveParts(path, ctx, c, m.models);
  },
  load: async (path, md, ctx) => {
    const k = Number(md.metadata.numLabels);
    if (!Number.isInteger(k) || k < 1) throw Errors.load(`${ctx.api}: the MultilabelClassificationModel at ${path} has no numLabels in its metadata`);
    const { classifier, models } = await loadParts(path, ctx, k);
    const m = new MultilabelClassificationModel({ models }, md.uid);
    getAndSetParams(m, md, { api: ctx.api, skipParams: ['classifier'] });
    return m.setClassifier(classifier);
  },
});
