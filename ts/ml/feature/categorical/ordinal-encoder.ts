/**
 * OrdinalEncoder (kindling's own; Spark has none — docs/CATEGORICAL.md): maps each category to
 * its position in a given order per column (`categoryOrders[k]`, category i → i.0); a column
 * whose order is not given (categoryOrders unset, or an empty list for it) gets its distinct
 * non-null values in alphabetical order at fit (by the engine's group-by). Categories are read
 * as strings (numbers and booleans cast as Spark's StringIndexer does). At transform a null or
 * a category outside the order is invalid: handleInvalid 'error' (default) fails naming the
 * value, the column and the row, 'skip' drops the row, 'keep' gives the number of categories.
 * Output: a double column per input with a NominalAttribute (isOrdinal true, values = the
 * order). Persisted as org.kindling.ml.feature.OrdinalEncoder / OrdinalEncoderModel, data
 * `categoriesArray`.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { ATTRIBUTE_KEY, NominalAttribute } from '../../attribute/attributes.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { OrdinalEncoderParamsMixin, type OrdinalEncoderParamsOptions } from './categorical-params.js';
import { appendOutputs, categoricalOutputSchema, checkCategorical, columnPairs, lookupTransform, sortedCategoryCounts } from './categorical-columns.js';
import { lookupField, type CategoryLookup } from './categorical-tasks.js';
import { readNestedArrays, writeNestedArrays } from './categorical-persist.js';
import { KINDLING_FEATURE_NS } from '../../persist.js';

export type OrdinalEncoderOptions = OrdinalEncoderParamsOptions;

export class OrdinalEncoder extends MLWritable(OrdinalEncoderParamsMixin(Estimator<OrdinalEncoderModel>)) {
  constructor(options?: OrdinalEncoderOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private orders(): string[][] | undefined {
    const pairs = columnPairs(this.stageName, this);
    const orders = this.getCategoryOrders();
    if (orders !== undefined && orders.length !== pairs.length) throw Errors.schema(`${this.stageName}: categoryOrders has ${orders.length} lists but there are ${pairs.length} input columns; give one list per column (empty: learn it)`);
    orders?.forEach((o, k) => {
      if (new Set(o).size !== o.length) throw Errors.schema(`${this.stageName}: categoryOrders[${k}] (column ${pairs[k]!.input}) lists a category twice`);
    });
    return orders;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    this.orders();
    return categoricalOutputSchema(this.stageName, this, schema);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<OrdinalEncoderModel> {
    const orders = this.orders();
    const categoriesArray: string[][] = [];
    for (const [k, p] of columnPairs(this.stageName, this).entries()) {
      const given = orders?.[k];
      if (given && given.length > 0) categoriesArray.push([...given]);
      else categoriesArray.push((await sortedCategoryCounts(df, p.input)).map((e) => e[0]));
    }
    const model = new OrdinalEncoderModel({ categoriesArray }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class OrdinalEncoderModel extends MLWritable(OrdinalEncoderParamsMixin(Model)) {
  /** Each input column's categories in index order. */
  categoriesArray: string[][];

  constructor(state?: { categoriesArray: string[][] } & OrdinalEncoderOptions, uid?: string) {
    super(uid);
    this.categoriesArray = state?.categoriesArray ?? [];
    if (state) {
      const { categoriesArray: _c, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.categoriesArray = this.categoriesArray;
    that.parent = this.parent;
    return that;
  }

  private lookups(): CategoryLookup[] {
    const pairs = columnPairs(this.stageName, this);
    if (pairs.length !== this.categoriesArray.length) throw Errors.schema(`${this.stageName}: the model has categories for ${this.categoriesArray.length} columns but ${pairs.length} input columns are set`);
    return pairs.map((p, k) => {
      const keys = this.categoriesArray[k]!;
      const attr = new NominalAttribute({ name: p.output, isOrdinal: true, values: keys });
      return { input: p.input, output: p.output, keys, values: keys.map((_, i) => i), unknown: keys.length, metadata: [[ATTRIBUTE_KEY, JSON.stringify(attr.toJson())]] };
    });
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const cols = this.lookups();
    for (const c of cols) checkCategorical(this.stageName, schema, c.input);
    return appendOutputs(this.stageName, schema, cols.map((c) => lookupField(c, false)));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return lookupTransform(`${this.stageName}.transform`, df, this.lookups(), this.getHandleInvalid(), 'a category outside the order, or null; set handleInvalid to "keep" (encodes the number of categories) or "skip"');
  }
}

register(`${KINDLING_FEATURE_NS}.OrdinalEncoder`, OrdinalEncoder);
register(`${KINDLING_FEATURE_NS}.OrdinalEncoderModel`, OrdinalEncoderModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    await writeNestedArrays(path, { categoriesArray: { kind: 'string', value: model.categoriesArray } });
  },
  async load(path, metadata, ctx) {
    const d = await readNestedArrays(path, ctx.api, 'OrdinalEncoderModel', { categoriesArray: 'string' });
    const model = new OrdinalEncoderModel({ categoriesArray: d.categoriesArray as string[][] }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
