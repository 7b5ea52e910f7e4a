/**
 * StringIndexer (Spark's ml.feature.StringIndexer): maps each string of a column to an index in
 * [0, numLabels), the labels ordered by `stringOrderType`:
 *
 *   - frequencyDesc (default) / frequencyAsc: by count, ties broken alphabetically (Spark 3 sorts
 *     by label first, then stably by count); alphabetDesc / alphabetAsc: by the strings (UTF-16
 *     code units, as Scala's String ordering).
 *   - string or numeric input columns (Spark refuses others, booleans too); numbers are cast to
 *     string as Spark does (a Double 1.0 → "1.0").
 *   - fit: the category counts of each input column, by the engine's group-by (its native hash
 *     aggregation on the executors); nulls are not labels.
 *   - transform (categorical-tasks.ts): a null or unseen value is invalid, as in Spark 3:
 *     handleInvalid 'error' (default) fails naming the row, column and value; 'skip' drops the
 *     row; 'keep' gives index numLabels.
 *   - output: a double column per input, with a NominalAttribute (name = output column, values
 *     = the labels, plus "__unknown" under 'keep', as Spark) in its `ml_attr` metadata.
 *   - inputCol/outputCol or inputCols/outputCols (exactly one of the two). The model skips an
 *     input column the DataFrame lacks (Spark 3: a label column absent when scoring).
 *   - persistence: org.apache.spark.ml.feature.StringIndexer / StringIndexerModel; model data
 *     `labelsArray` (array<array<string>>, Spark 3); a Spark 2 model's data column `labels`
 *     (array<string>) loads as one column's labels.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { fromValues, makeBatch, valueAt } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { ATTRIBUTE_KEY, NominalAttribute } from '../../attribute/attributes.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { StringIndexerParamsMixin, type StringIndexerParamsOptions } from './categorical-params.js';
import { appendOutputs, categoricalOutputSchema, categoryCounts, checkCategorical, columnPairs, hasColumn, lookupTransform } from './categorical-columns.js';
import { lookupField, type CategoryLookup } from './categorical-tasks.js';

export type StringIndexerOptions = StringIndexerParamsOptions;
export type StringOrderType = ReturnType<StringIndexer['getStringOrderType']>;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The labels of one column from its category counts, in `order` (see the module comment). */
export function orderLabels(counts: Map<string | null, number>, order: StringOrderType): string[] {
  const entries = [...counts].filter((e): e is [string, number] => e[0] !== null).sort((a, b) => byString(a[0], b[0]));
  switch (order) {
    case 'frequencyDesc': return entries.sort((a, b) => b[1] - a[1]).map((e) => e[0]);
    case 'frequencyAsc': return entries.sort((a, b) => a[1] - b[1]).map((e) => e[0]);
    case 'alphabetAsc': return entries.map((e) => e[0]);
    case 'alphabetDesc': return entries.map((e) => e[0]).reverse();
  }
}

/** The ml_attr of a StringIndexer output column (Spark's NominalAttribute with the labels). */
function indexerMetadata(output: string, labels: readonly string[], keep: boolean): Array<[string, string]> {
  const attr = new NominalAttribute({ name: output, values: keep ? [...labels, '__unknown'] : labels });
  return [[ATTRIBUTE_KEY, JSON.stringify(attr.toJson())]];
}

export class StringIndexer extends MLWritable(StringIndexerParamsMixin(Estimator<StringIndexerModel>)) {
  constructor(options?: StringIndexerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return categoricalOutputSchema(this.stageName, this, schema, new arrow.Float64(), { boolean: false });
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<StringIndexerModel> {
    const order = this.getStringOrderType();
    const labelsArray: string[][] = [];
    for (const p of columnPairs(this.stageName, this)) labelsArray.push(orderLabels(await categoryCounts(df, p.input), order));
    const model = new StringIndexerModel({ labelsArray }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class StringIndexerModel extends MLWritable(StringIndexerParamsMixin(Model)) {
  /** The labels of each input column, index order. */
  labelsArray: string[][];

  constructor(state?: { labelsArray: readonly string[][] } & StringIndexerOptions, uid?: string) {
    super(uid);
    this.labelsArray = (state?.labelsArray ?? []).map((l) => [...l]);
    if (state) {
      const { labelsArray: _l, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  /** A model of one column's labels (PySpark's StringIndexerModel.from_labels). */
  static from(labels: readonly string[], options: StringIndexerOptions = {}): StringIndexerModel {
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) throw Errors.invalidArg('StringIndexerModel.from', 'labels', 'an array of strings', labels);
    return new StringIndexerModel({ labelsArray: [labels], ...options });
  }

  /** PySpark's name for `from`. */
  static fromLabels(labels: readonly string[], options: StringIndexerOptions = {}): StringIndexerModel {
    return StringIndexerModel.from(labels, options);
  }

  /** PySpark's name for `fromArrayOfLabels`. */
  static fromArraysOfLabels(labelsArray: readonly string[][], options: StringIndexerOptions = {}): StringIndexerModel {
    return StringIndexerModel.fromArrayOfLabels(labelsArray, options);
  }

  /** A model of several columns' labels (PySpark's StringIndexerModel.from_arrays_of_labels). */
  static fromArrayOfLabels(labelsArray: readonly string[][], options: StringIndexerOptions = {}): StringIndexerModel {
    if (!Array.isArray(labelsArray) || labelsArray.some((a) => !Array.isArray(a) || a.some((l) => typeof l !== 'string'))) {
      throw Errors.invalidArg('StringIndexerModel.fromArrayOfLabels', 'labelsArray', 'an array of string arrays', labelsArray);
    }
    return new StringIndexerModel({ labelsArray, ...options });
  }

  /** The labels of the one input column (Spark's deprecated `labels`; several columns: use labelsArray). */
  get labels(): string[] {
    if (this.labelsArray.length !== 1) throw Errors.schema(`${this.stageName}: labels is only available for a model of one input column; this model has ${this.labelsArray.length} (use labelsArray)`);
    return this.labelsArray[0]!;
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.labelsArray = this.labelsArray;
    that.parent = this.parent;
    return that;
  }

  /** The lookups of the input columns the schema has (Spark 3 skips the others). */
  private lookups(schema: arrow.Schema): CategoryLookup[] {
    const pairs = columnPairs(this.stageName, this);
    if (pairs.length !== this.labelsArray.length) throw Errors.schema(`${this.stageName}: the model has labels for ${this.labelsArray.length} columns but ${pairs.length} input columns are set`);
    const keep = this.getHandleInvalid() === 'keep';
    return pairs.flatMap((p, k) => {
      if (!hasColumn(schema, p.input)) return [];
      const keys = this.labelsArray[k]!;
      return [{ input: p.input, output: p.output, keys, values: keys.map((_, i) => i), unknown: keys.length, metadata: indexerMetadata(p.output, keys, keep) }];
    });
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const cols = this.lookups(schema);
    for (const c of cols) checkCategorical(this.stageName, schema, c.input, { boolean: false });
    return appendOutputs(this.stageName, schema, cols.map((c) => lookupField(c, false)));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return lookupTransform(`${this.stageName}.transform`, df, this.lookups(df.schema), this.getHandleInvalid(), 'Unseen labels and NULL values are invalid: set handleInvalid to "keep" or "skip"', { boolean: false });
  }
}

const LABELS_ARRAY = new arrow.List(new arrow.Field('element', new arrow.List(new arrow.Field('element', new arrow.Utf8(), true)), true));

register('org.apache.spark.ml.feature.StringIndexer', StringIndexer);
register('org.apache.spark.ml.feature.StringIndexerModel', StringIndexerModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    const schema = new arrow.Schema([new arrow.Field('labelsArray', LABELS_ARRAY, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [fromValues(LABELS_ARRAY, [model.labelsArray])], 1)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const batch = table.batches.find((b) => b.numRows > 0);
    const bad = () => Errors.load(`${ctx.api}: the StringIndexerModel at ${path} has no labelsArray (Spark 3) or labels (Spark 2) data row`);
    if (!batch) throw bad();
    const idx = (name: string) => batch.schema.fields.findIndex((f) => f.name === name);
    let labelsArray: unknown;
    if (idx('labelsArray') >= 0) labelsArray = valueAt(batch.data.children[idx('labelsArray')]!, 0);
    else if (idx('labels') >= 0) labelsArray = [valueAt(batch.data.children[idx('labels')]!, 0)];
    if (!Array.isArray(labelsArray) || labelsArray.some((a) => !Array.isArray(a) || a.some((l) => typeof l !== 'string'))) throw bad();
    const model = new StringIndexerModel({ labelsArray: labelsArray as string[][] }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
