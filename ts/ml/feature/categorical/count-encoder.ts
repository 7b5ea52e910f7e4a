/**
 * CountEncoder (kindling's own; Spark has none — docs/CATEGORICAL.md): replaces each category by
 * the number of rows that hold it, or with `normalize` by that number over the column's non-null
 * rows (frequency encoding). Categories are read as strings (numbers and booleans cast as
 * Spark's StringIndexer does); fit counts them with the engine's group-by. At transform a null
 * or a category not seen at fit is invalid: handleInvalid 'error' (default) fails naming the
 * value, the column and the row, 'skip' drops the row, 'keep' encodes it as 0. Output: a double
 * column per input (inputCol/outputCol or inputCols/outputCols). Persisted as
 * org.kindling.ml.feature.CountEncoder / CountEncoderModel, data `categoriesArray` and
 * `countsArray`.
 */
import * as arrow from 'apache-arrow';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { CountEncoderParamsMixin, type CountEncoderParamsOptions } from './categorical-params.js';
import { categoricalOutputSchema, columnPairs, lookupTransform, sortedCategoryCounts } from './categorical-columns.js';
import { readNestedArrays, writeNestedArrays } from './categorical-persist.js';
import { KINDLING_FEATURE_NS } from '../../persist.js';

export type CountEncoderOptions = CountEncoderParamsOptions;


export class CountEncoder extends MLWritable(CountEncoderParamsMixin(Estimator<CountEncoderModel>)) {
  constructor(options?: CountEncoderOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return categoricalOutputSchema(this.stageName, this, schema);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<CountEncoderModel> {
    const categoriesArray: string[][] = [];
    const countsArray: number[][] = [];
    for (const p of columnPairs(this.stageName, this)) {
      const entries = await sortedCategoryCounts(df, p.input);
      categoriesArray.push(entries.map((e) => e[0]));
      countsArray.push(entries.map((e) => e[1]));
    }
    const model = new CountEncoderModel({ categoriesArray, countsArray }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class CountEncoderModel extends MLWritable(CountEncoderParamsMixin(Model)) {
  /** Each input column's categories (sorted) and their row counts. */
  categoriesArray: string[][];
  countsArray: number[][];

  constructor(state?: { categoriesArray: string[][]; countsArray: number[][] } & CountEncoderOptions, uid?: string) {
    super(uid);
    this.categoriesArray = state?.categoriesArray ?? [];
    this.countsArray = state?.countsArray ?? [];
    if (state) {
      const { categoriesArray: _c, countsArray: _n, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.categoriesArray = this.categoriesArray;
    that.countsArray = this.countsArray;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return categoricalOutputSchema(this.stageName, this, schema);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const normalize = this.getNormalize();
    const cols = columnPairs(this.stageName, this).map((p, k) => {
      const counts = this.countsArray[k] ?? [];
      const total = counts.reduce((s, c) => s + c, 0);
      return { input: p.input, output: p.output, keys: this.categoriesArray[k] ?? [], values: normalize ? counts.map((c) => c / total) : counts, unknown: 0, metadata: [] };
    });
    return lookupTransform(`${this.stageName}.transform`, df, cols, this.getHandleInvalid(), 'a category not seen at fit, or null; set handleInvalid to "keep" (encodes 0) or "skip"');
  }
}

register(`${KINDLING_FEATURE_NS}.CountEncoder`, CountEncoder);
register(`${KINDLING_FEATURE_NS}.CountEncoderModel`, CountEncoderModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    await writeNestedArrays(path, { categoriesArray: { kind: 'string', value: model.categoriesArray }, countsArray: { kind: 'double', value: model.countsArray } });
  },
  async load(path, metadata, ctx) {
    const d = await readNestedArrays(path, ctx.api, 'CountEncoderModel', { categoriesArray: 'string', countsArray: 'double' });
    const model = new CountEncoderModel({ categoriesArray: d.categoriesArray as string[][], countsArray: d.countsArray as number[][] }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
