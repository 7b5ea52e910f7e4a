/**
 * Driver-side pieces shared by the categorical stages: which input/output column pairs a stage
 * has (Spark's inputCol/outputCol or inputCols/outputCols, exactly one of the two: Spark's
 * ParamValidators.checkSingleVsMultiColumnParams), the check that an input is a string, numeric
 * or boolean column, the category counts of a column (the engine's group-by: the native hash
 * aggregation, on the executors), and the transform through the shared lookup task
 * (categorical-tasks.ts).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { col } from '../../../src/dataframe/column.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { isNumericType, isStringType, sparkTypeName } from '../../../src/dataframe/types.js';
import type { Params } from '../../param/params.js';
import { columnField } from '../../data/schema-checks.js';
import { categoryLookup, lookupField, type CategoryInvalid, type CategoryLookup } from './categorical-tasks.js';

export interface ColumnPair {
  input: string;
  output: string;
}

/** The stage's input/output pairs: inputCol → outputCol, or inputCols[i] → outputCols[i]. */
export function columnPairs(api: string, stage: Params, opts: { multi?: boolean } = {}): ColumnPair[] {
  const single = stage.isSet('inputCol');
  const multi = opts.multi !== false && stage.isSet('inputCols');
  if (single && multi) throw Errors.schema(`${api} requires exactly one of inputCol, inputCols Params to be set, but both are set.`);
  if (!single && !multi) throw Errors.schema(`${api} requires exactly one of inputCol, inputCols Params to be set, but neither is set.`);
  if (single) {
    if (stage.isSet('outputCols')) throw Errors.schema(`${api}: outputCols cannot be set with inputCol; set outputCol`);
    return [{ input: stage.getOrDefault<string>('inputCol'), output: stage.getOrDefault<string>('outputCol') }];
  }
  const ins = stage.getOrDefault<string[]>('inputCols');
  if (stage.isSet('outputCol')) throw Errors.schema(`${api}: outputCol cannot be set with inputCols; set outputCols`);
  if (!stage.isSet('outputCols')) throw Errors.schema(`${api}: outputCols must be set with inputCols`);
  const outs = stage.getOrDefault<string[]>('outputCols');
  if (outs.length !== ins.length) throw Errors.schema(`${api}: inputCols has ${ins.length} columns but outputCols has ${outs.length}; they must have the same length`);
  return ins.map((input, i) => ({ input, output: outs[i]! }));
}

/**
 * Checks that `name` is a string, numeric or boolean column (what a category can be read from);
 * `boolean: false` is Spark's StringIndexer rule (string or numeric only, Spark's wording).
 */
export function checkCategorical(api: string, schema: arrow.Schema, name: string, opts: { boolean?: boolean } = {}): arrow.Field {
  const { field } = columnField(api, schema, name);
  const t = field.type;
  if (opts.boolean === false) {
    if (!isStringType(t) && !isNumericType(t)) throw Errors.schema(`${api}: The input column ${name} must be either string type or numeric type, but got ${sparkTypeName(t)}.`);
  } else if (!isStringType(t) && !isNumericType(t) && !arrow.DataType.isBool(t)) {
    throw Errors.schema(`${api}: input column ${name} must be of string, numeric or boolean type, but is ${sparkTypeName(t)}`);
  }
  return field;
}

/** Whether the schema has column `name` (case-insensitive, as the DataFrame resolves names). */
export function hasColumn(schema: arrow.Schema, name: string): boolean {
  return schema.fields.some((f) => f.name.toLowerCase() === name.toLowerCase());
}

/** Checks that none of the outputs exists yet (nor twice), and returns the schema with them appended. */
export function appendOutputs(api: string, schema: arrow.Schema, fields: readonly arrow.Field[]): arrow.Schema {
  const seen = new Set(schema.fields.map((f) => f.name.toLowerCase()));
  for (const f of fields) {
    if (seen.has(f.name.toLowerCase())) throw Errors.schema(`${api}: Output column ${f.name} already exists.`);
    seen.add(f.name.toLowerCase());
  }
  return new arrow.Schema([...schema.fields, ...fields]);
}

/** The schema of a categorical stage: its input columns checked, one output column of `type` per input appended. */
export function categoricalOutputSchema(api: string, stage: Params, schema: arrow.Schema, type: arrow.DataType = new arrow.Float64(), opts: { boolean?: boolean } = {}): arrow.Schema {
  const pairs = columnPairs(api, stage);
  for (const p of pairs) checkCategorical(api, schema, p.input, opts);
  return appendOutputs(api, schema, pairs.map((p) => new arrow.Field(p.output, type, true)));
}

/**
 * The rows of each category of column `input` (null: the null rows), by the engine's group-by
 * over the column cast to string. NaN in a float column is not a category (Spark's StringIndexer
 * counts it as null at fit; at transform "NaN" is then an unseen label).
 */
export async function categoryCounts(df: DataFrame, input: string): Promise<Map<string | null, number>> {
  const rows = await df.groupBy(col(input).cast('string').alias('category')).count().collect();
  const counts = new Map<string | null, number>();
  const isFloat = arrow.DataType.isFloat(columnField('categoryCounts', df.schema, input).field.type);
  for (const r of rows) {
    const key = isFloat && r.category === 'NaN' ? null : (r.category as string | null);
    counts.set(key, (counts.get(key) ?? 0) + Number(r.count));
  }
  return counts;
}

/** The non-null categories of column `input` with their rows, in alphabetical order (UTF-16 code units, as Scala's String ordering). */
export async function sortedCategoryCounts(df: DataFrame, input: string): Promise<Array<[string, number]>> {
  return [...(await categoryCounts(df, input))].filter((e): e is [string, number] => e[0] !== null).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The transform of a lookup stage: one output column per input, as the shared task computes it. */
export function lookupTransform(api: string, df: DataFrame, cols: CategoryLookup[], mode: CategoryInvalid, unseen: string, opts: { boolean?: boolean } = {}): DataFrame {
  if (cols.length === 0) return df;
  for (const c of cols) checkCategorical(api, df.schema, c.input, opts);
  const schema = appendOutputs(api, df.schema, cols.map((c) => lookupField(c, typeof c.unknown === 'string')));
  return df.mapInArrow(categoryLookup, schema, { api, mode, cols, unseen });
}
