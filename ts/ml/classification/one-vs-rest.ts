/**
 * OneVsRest and OneVsRestModel (Spark's ml.classification.OneVsRest / OneVsRestModel).
 *
 * Fit, as Spark's OneVsRest.fit: numClasses is the label column's nominal/binary attribute, else
 * the largest label + 1 (one aggregation, which also refuses null, negative or non-integer largest
 * labels); for each class c the label column becomes the 0/1 double column `mc2b$<c>` (1 where
 * label = c) with a binary attribute, beside the features (and the weights: weightCol is passed
 * to the classifier when it has a weightCol param; otherwise it is ignored with a warning, as
 * Spark), and a copy of the classifier is fitted with labelCol = `mc2b$<c>`, featuresCol and
 * predictionCol set — up to `parallelism` fits at once.
 *
 * Transform, as Spark's OneVsRestModel.transform: every sub-model scores the rows
 * (one-vs-rest-models.ts `transformEach`), and rawPrediction is the vector of each sub-model's
 * rawPrediction[1], prediction its argmax (one-vs-rest-tasks.ts). The prediction carries the
 * label's nominal attribute (of numClasses values); both columns may be left out with ''.
 *
 * Persistence is Spark's: metadata with every param but `classifier` in paramMap (the classifier
 * is saved under `classifier/`); the model adds `labelMetadata` and `numClasses` and its
 * sub-models under `model_<i>`.
 */
import type * as arrow from 'apache-arrow';
import * as arr from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { col, functions as F, when } from '../../src/dataframe/column.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Types } from '../../src/dataframe/types.js';
import { AttributeGroup, NominalAttribute, attributeFromJson, withAttribute, withAttributeGroup } from '../attribute/attributes.js';
import { checkFeaturesColumn } from '../data/features.js';
import { checkNumeric, weightColumnOf } from '../data/schema-checks.js';
import { MLWritable } from '../ml-writable.js';
import { HasParallelismMixin } from '../param/shared-params.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, register } from '../persist.js';
import { appendOutputFields } from '../predictor/prediction-models.js';
import { metadataNumClasses } from '../predictor/predictor.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { OneVsRestParamsMixin, type OneVsRestParamsOptions } from './one-vs-rest-params.js';
import { binaryColumn, fitEach, loadParts, requireClassifier, saveParts, transformEach, writeWithoutClassifier } from './one-vs-rest-models.js';
import { oneVsRestCombine, type CombineBroadcast } from './one-vs-rest-tasks.js';

export interface OneVsRestOptions extends OneVsRestParamsOptions {
  parallelism?: number;
}

/** Spark's OneVsRest.fit's numClasses: the label's attribute, else the largest label + 1 (labels checked). */
export async function labelClassCount(api: string, df: DataFrame, labelCol: string): Promise<number> {
  const declared = metadataNumClasses(api, df.schema, labelCol);
  const fractional = when(col(labelCol).mod(1).ne(0), col(labelCol));
  const [row] = await df.agg(F.max(labelCol).alias('mx'), F.min(labelCol).alias('mn'), F.count(labelCol).alias('n'), F.count('*').alias('all'), F.min(fractional).alias('frac')).collect();
  const { mx, mn, n, all, frac } = row as { mx: number | null; mn: number | null; n: number | bigint; all: number | bigint; frac: number | null };
  if (Number(all) === 0) throw Errors.schema(`${api}: the DataFrame has no rows (column ${labelCol}); a fit needs at least one labeled row`);
  if (Number(n) !== Number(all)) throw Errors.schema(`${api}: label column ${labelCol} has ${Number(all) - Number(n)} null labels: Labels MUST NOT be Null or NaN`);
  const max = Number(mx);
  const min = Number(mn);
  if (!Number.isFinite(max) || !Number.isFinite(min)) throw Errors.schema(`${api}: label column ${labelCol} has NaN or infinite labels: Labels MUST NOT be Null or NaN`);
  if (min < 0) throw Errors.schema(`${api}: label column ${labelCol} has the label ${min}: a classifier's labels must be integers >= 0`);
  if (frac !== null && frac !== undefined) throw Errors.schema(`${api}: label column ${labelCol} has the label ${Number(frac)}: a classifier's labels must be integers >= 0`);
  if (!Number.isInteger(max)) throw Errors.schema(`${api}: label column ${labelCol} has the largest label ${max}: a classifier's labels must be integers >= 0`);
  if (declared !== undefined) {
    if (max >= declared) throw Errors.schema(`${api}: label column ${labelCol} has the label ${max}, but its attribute declares ${declared} classes`);
    return declared;
  }
  return max + 1;
}

export class OneVsRest extends MLWritable(HasParallelismMixin(OneVsRestParamsMixin(Estimator<OneVsRestModel>))) {
  constructor(options?: OneVsRestOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    checkNumeric(api, schema, 'labelCol', this.getLabelCol());
    const w = weightColumnOf(this.getWeightCol());
    if (w !== null) checkNumeric(api, schema, 'weightCol', w);
    const k = metadataNumClasses(api, schema, this.getLabelCol()) ?? 0;
    return this.copyValues(new OneVsRestModel({ models: [] }, this.uid)).outputSchema(schema, k);
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<OneVsRestModel> {
    const api = this.stageName;
    const classifier = requireClassifier(api, this);
    const labelCol = this.getLabelCol();
    const k = await labelClassCount(api, df, labelCol);
    const w = weightColumnOf(this.getWeightCol());
    const weighted = w !== null && classifier.hasParam('weightCol');
    if (w !== null && !weighted) {
      process.emitWarning(`${api}: weightCol is ignored, as it is not supported by ${classifier.constructor.name} (${classifier.uid}) now.`, { type: 'KindlingWarning', code: 'KINDLING_WEIGHTCOL_IGNORED' });
    }
    const cols = [labelCol, this.getFeaturesCol(), ...(weighted ? [w] : [])];
    const labeled = df.select(...cols);
    const models = await fitEach(classifier, k, {
      data: (c) => {
        const name = `mc2b$${c}`;
        return { df: labeled.select(...cols.map((n) => col(n)), binaryColumn(col(labelCol).eq(c), name)), labelCol: name };
      },
      featuresCol: this.getFeaturesCol(),
      predictionCol: this.getPredictionCol(),
      weightCol: weighted ? w : undefined,
      parallelism: this.getParallelism(),
      options,
    });
    const labelField = df.schema.fields.find((f) => f.name === labelCol)!;
    const attr = labelField.metadata.get('ml_attr');
    const nominal = attr !== undefined && metadataNumClasses(api, df.schema, labelCol) !== undefined ? JSON.parse(attr) : null;
    const labelMetadata = { ml_attr: nominal ?? { type: 'nominal', name: 'label', num_vals: k } };
    return this.copyValues(new OneVsRestModel({ models, labelMetadata }, this.uid));
  }

  /** A copy; the classifier is copied with `extra` too (Spark's OneVsRest.copy). */
  override copy(extra?: ParamMap): this {
    const that = super.copy(extra);
    const c = this.get(this.classifier);
    if (c !== undefined) that.set(that.classifier, c.copy(extra));
    return that;
  }
}

export interface OneVsRestModelState {
  models: Model[];
  /** The label column's metadata (`{ ml_attr: … }`, Spark's labelMetadata). */
  labelMetadata?: Record<string, unknown>;
}

export class OneVsRestModel extends MLWritable(OneVsRestParamsMixin(Model)) {
  /** The binary sub-models, class order (Spark's models). */
  readonly models: Model[];
  readonly labelMetadata: Record<string, unknown>;

  constructor(state?: OneVsRestModelState & OneVsRestParamsOptions, uid?: string) {
    super(uid);
    const { models = [], labelMetadata, ...params } = state ?? { models: [] };
    this.setParams(params as Record<string, unknown>);
    if (!Array.isArray(models) || models.some((m) => !(m instanceof Model))) throw Errors.invalidArg(this.stageName, 'models', 'an array of Models', models);
    this.models = [...models];
    this.labelMetadata = labelMetadata ?? { ml_attr: { type: 'nominal', name: 'label', num_vals: models.length } };
  }

  get numClasses(): number {
    return this.models.length;
  }

  /** The output schema for `k` classes (Spark's transformSchema: rawPrediction's group size and prediction's values). */
  outputSchema(schema: arrow.Schema, k: number): arrow.Schema {
    const api = this.stageName;
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    const fields: Array<{ field: arrow.Field; param: string }> = [];
    const raw = this.getRawPredictionCol();
    const pred = this.getPredictionCol();
    if (raw !== '') {
      const f = new arr.Field(raw, Types.vector(Math.max(k, 1)), false);
      fields.push({ field: k > 0 ? withAttributeGroup(f, new AttributeGroup(raw, k)) : f, param: 'rawPredictionCol' });
    }
    if (pred !== '') {
      const f = new arr.Field(pred, new arr.Float64(), false);
      let field = f;
      if (k > 0) {
        const given = this.labelMetadata.ml_attr;
        const attr = given !== undefined && (given as { type?: string }).type === 'nominal' ? attributeFromJson(given as Record<string, unknown>) : NominalAttribute.defaultAttr.withNumValues(k);
        field = withAttribute(f, (attr as NominalAttribute).withName(pred));
      }
      fields.push({ field, param: 'predictionCol' });
    }
    return appendOutputFields(api, schema, fields);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return this.outputSchema(schema, this.numClasses);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    if (this.models.length === 0) throw Errors.invalidArg(`${api}.transform`, 'models', 'a fitted model (fit a OneVsRest or load one)', 'no sub-models');
    const out = this.transformSchema(df.schema);
    if (this.getRawPredictionCol() === '' && this.getPredictionCol() === '') {
      process.emitWarning(`${this.uid}: OneVsRestModel.transform() does nothing because no output columns were set.`, { type: 'KindlingWarning', code: 'KINDLING_NO_OUTPUT_COLUMNS' });
      return df;
    }
    const tmpCols = this.models.map((_, i) => `mbc$raw${i}`);
    const scored = transformEach(api, df, this.models, this.getFeaturesCol(), (i) => ({ rawPredictionCol: tmpCols[i]! }));
    const b: CombineBroadcast = { tmpCols, rawPredictionCol: this.getRawPredictionCol(), predictionCol: this.getPredictionCol() };
    return scored.mapInArrow(oneVsRestCombine, out, b);
  }

  /** A copy with the same uid; each sub-model is copied with `extra` (Spark's OneVsRestModel.copy). */
  override copy(extra?: ParamMap): this {
    super.copy(extra); // checks extra
    const that = new OneVsRestModel({ models: this.models.map((m) => m.copy(extra)), labelMetadata: this.labelMetadata }, this.uid) as this;
    this.copyValues(that, extra);
    if (this.parent) that.setParent(this.parent);
    return that;
  }
}

register('org.apache.spark.ml.classification.OneVsRest', OneVsRest, {
  children: (o) => [o.get(o.classifier)].filter((c) => c !== undefined),
  save: async (o, path, ctx) => {
    const c = requireClassifier(ctx.api, o);
    await writeWithoutClassifier(o, path, ctx);
    await saveParts(path, ctx, c, []);
  },
  load: async (path, md, ctx) => {
    const { classifier } = await loadParts(path, ctx, 0);
    const o = new OneVsRest(undefined, md.uid);
    getAndSetParams(o, md, { api: ctx.api, skipParams: ['classifier'] });
    return o.setClassifier(classifier);
  },
});

register('org.apache.spark.ml.classification.OneVsRestModel', OneVsRestModel, {
  children: (m) => [...m.models, ...[m.get(m.classifier)].filter((c) => c !== undefined)],
  save: async (m, path, ctx) => {
    if (m.models.length === 0) throw Errors.invalidArg(ctx.api, 'models', 'a fitted model', 'no sub-models');
    const c = requireClassifier(ctx.api, m);
    await writeWithoutClassifier(m, path, ctx, { labelMetadata: JSON.stringify(m.labelMetadata), numClasses: m.models.length });
    await saveParts(path, ctx, c, m.models);
  },
  load: async (path, md, ctx) => {
    const k = Number(md.metadata.numClasses);
    if (!Number.isInteger(k) || k < 1) throw Errors.load(`${ctx.api}: the OneVsRestModel at ${path} has no numClasses in its metadata`);
    const { classifier, models } = await loadParts(path, ctx, k);
    let labelMetadata: Record<string, unknown> | undefined;
    const raw = md.metadata.labelMetadata;
    if (typeof raw === 'string') labelMetadata = JSON.parse(raw) as Record<string, unknown>;
    const m = new OneVsRestModel({ models, labelMetadata }, md.uid);
    getAndSetParams(m, md, { api: ctx.api, skipParams: ['classifier'] });
    return m.setClassifier(classifier);
  },
});
