/**
 * What the evaluators share: column checks with Spark's rules (numeric columns, vector
 * columns, numeric arrays), reading a partition's columns into plain typed arrays (so a
 * partition summary can run on any executor), Spark's weight checks, and the fold of a
 * partition summary over a DataFrame's partitions with Spark's treeAggregate merge order.
 *
 * Summaries here are plain data (numbers and typed arrays) with zero/add/merge; they run on the
 * driver over `await df.partitions()` today. Registering them in ts/src/exec/builtin.ts would
 * let `session.treeAggregate` run the `add` step on the worker threads unchanged.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { castColumn, numericValues, resolveIndex } from '../../src/dataframe/eval.js';
import { isNumericType, isVectorType, sparkTypeName, Types } from '../../src/dataframe/types.js';
import { treeMerge } from '../../src/exec/jobs.js';
import type { Summary } from '../../src/exec/task.js';

/** The field of a column (Spark's schema(name); case-insensitive as the DataFrame resolves names). */
export function fieldOf(api: string, schema: arrow.Schema, name: string): { index: number; field: arrow.Field } {
  const index = resolveIndex(api, name, schema);
  return { index, field: schema.fields[index]! };
}

/** Spark's SchemaUtils.checkNumericType. */
export function checkNumeric(api: string, schema: arrow.Schema, param: string, name: string): number {
  const { index, field } = fieldOf(api, schema, name);
  if (!isNumericType(field.type)) {
    throw Errors.schema(`${api}: column ${name} (${param}) must be of a numeric type, but is ${sparkTypeName(field.type)}`);
  }
  return index;
}

/** A vector column (dense FixedSizeList or VectorUDT struct). */
export function checkVector(api: string, schema: arrow.Schema, param: string, name: string): number {
  const { index, field } = fieldOf(api, schema, name);
  if (!isVectorType(field.type)) throw Errors.schema(`${api}: column ${name} (${param}) must be a vector column, but is ${sparkTypeName(field.type)}`);
  return index;
}

/** An array of numbers (Spark asks for array<double>; integral JS arrays infer array<bigint>, accepted and read as doubles). */
export function checkNumericArray(api: string, schema: arrow.Schema, param: string, name: string): number {
  const { index, field } = fieldOf(api, schema, name);
  const t = field.type;
  if (!(arrow.DataType.isList(t) && isNumericType(t.children[0]!.type))) {
    throw Errors.schema(`${api}: column ${name} (${param}) must be an array of numbers (array<double>), but is ${sparkTypeName(t)}`);
  }
  return index;
}

/** True when the weightCol param is set to a non-empty name (Spark: isDefined && nonEmpty). */
export function weightColumnOf(weightCol: string | undefined): string | null {
  return weightCol !== undefined && weightCol.length > 0 ? weightCol : null;
}

/** Doubles of a numeric column of a batch; a null fails naming the column and the row. */
export function readDoubles(api: string, d: AnyData, name: string, rowBase: number): Float64Array {
  const t = d.type;
  const dd = arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE ? d : castColumn(api, d, Types.double());
  if (dd.nullCount > 0) {
    for (let i = 0; i < dd.length; i++) if (!isValidAt(dd, i)) throw Errors.badRow(api, `column ${name}`, rowBase + i, 'is null; evaluators need a value in every row');
  }
  const x = numericValues(dd) as Float64Array;
  return x;
}

/** Spark's checkNonNegativeWeights: no null, NaN, negative or infinite weight. */
export function readWeights(api: string, d: AnyData, name: string, rowBase: number): Float64Array {
  const t = d.type;
  const dd = arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE ? d : castColumn(api, d, Types.double());
  const w = numericValues(dd) as Float64Array;
  for (let i = 0; i < dd.length; i++) {
    if (!isValidAt(dd, i) || Number.isNaN(w[i]!)) throw Errors.badRow(api, `weight column ${name}`, rowBase + i, 'is null or NaN: Weights MUST NOT be Null or NaN');
    if (w[i]! < 0 || w[i] === Infinity) throw Errors.badRow(api, `weight column ${name}`, rowBase + i, `is ${w[i]}: Weights MUST NOT be Negative or Infinity`);
  }
  return w;
}

/** Rows of an array-of-numbers column as Float64Arrays; a null array or element fails naming the row. */
export function readNumberArrays(api: string, d: AnyData, name: string, rowBase: number): Float64Array[] {
  const off = d.valueOffsets as Int32Array;
  const child = d.children[0]! as AnyData;
  const start = off[0]!;
  const end = off[d.length]!;
  const elems = child.slice(start, end - start) as AnyData;
  const x = readDoublesAllowNull(api, elems);
  const out = new Array<Float64Array>(d.length);
  for (let i = 0; i < d.length; i++) {
    if (!isValidAt(d, i)) throw Errors.badRow(api, `column ${name}`, rowBase + i, 'is null; evaluators need an array in every row');
    const a = off[i]! - start;
    const b = off[i + 1]! - start;
    for (let k = a; k < b; k++) if (!x.valid(k)) throw Errors.badRow(api, `column ${name}`, rowBase + i, `has a null element at position ${k - a}`);
    out[i] = x.values.slice(a, b);
  }
  return out;
}

function readDoublesAllowNull(api: string, d: AnyData): { values: Float64Array; valid: (i: number) => boolean } {
  const t = d.type;
  const dd = arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE ? d : castColumn(api, d, Types.double());
  return { values: numericValues(dd) as Float64Array, valid: (i) => isValidAt(dd, i) };
}

/** Folds every partition with a summary and merges the partials in Spark's treeAggregate order. */
export function foldPartitions<S, P, B>(summary: Summary<S, P, B>, partitions: readonly P[], broadcast: B, depth = 2): S {
  const partials = partitions.map((p) => summary.add(summary.zero(broadcast), p, broadcast, undefined as never)); // driver-side fold: moves onto session.treeAggregate
  return treeMerge(partials, (a, b) => summary.merge(a, b), () => summary.zero(broadcast), depth);
}

/** The DataFrame's partitions with their global row offsets (row numbers in error messages). */
export async function partitionsWithOffsets(df: DataFrame): Promise<Array<{ batch: arrow.RecordBatch; rowBase: number }>> {
  const parts = await df.partitions();
  let base = 0;
  return parts.map((batch) => {
    const r = { batch, rowBase: base };
    base += batch.numRows;
    return r;
  });
}

/** Java's Double.compare: NaN above +Infinity, -0.0 below 0.0. */
export function javaDoubleCompare(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = a !== a;
  const bn = b !== b;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (a === 0 && b === 0) {
    const na = Object.is(a, -0);
    const nb = Object.is(b, -0);
    return na === nb ? 0 : na ? -1 : 1;
  }
  return 0;
}
