/**
 * RareLabelEncoder (kindling's own; Spark has none — docs/CATEGORICAL.md; after feature-engine's
 * RareLabelEncoder): in a column with more than `minCategories` (default 10) distinct non-null
 * categories, a category held by fewer than `tolerance` (default 0.05) of the column's non-null
 * rows is replaced by `replacement` (default "Rare"); columns with at most minCategories
 * categories keep them all. Categories are read as strings (numbers and booleans cast as Spark's
 * StringIndexer does), counted with the engine's group-by. At transform a null or a category not
 * seen at fit is invalid: 'error' (default) fails naming value, column and row, 'skip' drops the
 * row, 'keep' replaces it too. Output: a string column per input. Persisted as
 * org.kindling.ml.feature.RareLabelEncoder / RareLabelEncoderModel, data `categoriesArray`
 * (every category seen) and `frequentArray` (those kept).
 */
import * as arrow from 'apache-arrow';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { RareLabelEncoderParamsMixin, type RareLabelEncoderParamsOptions } from './categorical-params.js';
import { categoricalOutputSchema, columnPairs, lookupTransform, sortedCategoryCounts } from './categorical-columns.js';
import { readNestedArrays, writeNestedArrays } from './categorical-persist.js';
import { KINDLING_FEATURE_NS } from '../../persist.js';

export type RareLabelEncoderOptions = RareLabelEncoderParamsOptions;


export class RareLabelEncoder extends MLWritable(RareLabelEncoderParamsMixin(Estimator<RareLabelEncoderModel>)) {
  constructor(options?: RareLabelEncoderOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return categoricalOutputSchema(this.stageName, this, schema, new arrow.Utf8());
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<RareLabelEncoderModel> {
    const tol = this.getTolerance();
    const minCategories = this.getMinCategories();
    const categoriesArray: string[][] = [];
    const frequentArray: string[][] = [];
    for (const p of columnPairs(this.stageName, this)) {
      const entries = await sortedCategoryCounts(df, p.input);
      const total = entries.reduce((s, e) => s + e[1], 0);
      categoriesArray.push(entries.map((e) => e[0]));
      frequentArray.push(entries.length <= minCategories ? entries.map((e) => e[0]) : entries.filter((e) => e[1] / total >= tol).map((e) => e[0]));
    }
    const model = new RareLabelEncoderModel({ categoriesArray, frequentArray }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class RareLabelEncoderModel extends MLWritable(RareLabelEncoderParamsMixin(Model)) {
  /** Each input column's categories seen at fit (sorted), and those kept (not rare). */
  categoriesArray: string[][];
  frequentArray: string[][];

  constructor(state?: { categoriesArray: string[][]; frequentArray: string[][] } & RareLabelEncoderOptions, uid?: string) {
    super(uid);
    this.categoriesArray = state?.categoriesArray ?? [];
    this.frequentArray = state?.frequentArray ?? [];
    if (state) {
      const { categoriesArray: _c, frequentArray: _f, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.categoriesArray = this.categoriesArray;
    that.frequentArray = this.frequentArray;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return categoricalOutputSchema(this.stageName, this, schema, new arrow.Utf8());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const rare = this.getReplacement();
    const cols = columnPairs(this.stageName, this).map((p, k) => {
      const keys = this.categoriesArray[k] ?? [];
      const frequent = new Set(this.frequentArray[k] ?? []);
      return { input: p.input, output: p.output, keys, values: keys.map((c) => (frequent.has(c) ? c : rare)), unknown: rare, metadata: [] };
    });
    return lookupTransform(`${this.stageName}.transform`, df, cols, this.getHandleInvalid(), `a category not seen at fit, or null; set handleInvalid to "keep" (replaced by ${JSON.stringify(rare)}) or "skip"`);
  }
}

register(`${KINDLING_FEATURE_NS}.RareLabelEncoder`, RareLabelEncoder);
register(`${KINDLING_FEATURE_NS}.RareLabelEncoderModel`, RareLabelEncoderModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    await writeNestedArrays(path, { categoriesArray: { kind: 'string', value: model.categoriesArray }, frequentArray: { kind: 'string', value: model.frequentArray } });
  },
  async load(path, metadata, ctx) {
    const d = await readNestedArrays(path, ctx.api, 'RareLabelEncoderModel', { categoriesArray: 'string', frequentArray: 'string' });
    const model = new RareLabelEncoderModel({ categoriesArray: d.categoriesArray as string[][], frequentArray: d.frequentArray as string[][] }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
