/**
 * Summaries over a DataFrame's columns that name the first row they cannot use over the whole
 * DataFrame (the evaluators, StandardScaler, PrefixSpan's first pass): on the executors, a
 * partition's columns are read once into plain typed arrays (`doublesOf`, `weightsOf`,
 * `numberArraysOf`, `arrayRowsOf`, `vectorRowsOf`) and a bad row stops the read (`failRow`); `batchSummary` turns a summary
 * over those arrays into one over RecordBatches whose partial value also carries, per
 * partition, its row count and the vector size of its rows, and the first bad row of the lowest
 * partition that has one. A task sees only its partition, and partials merge in treeAggregate
 * order (not partition order once there are many), so `throwFirstBadRow` (through
 * `aggregateRows`), on the driver, numbers the row by walking the partitions in order.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { castColumn, numericValues, resolveIndex } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import { defineSummary, type Summary, type TaskRef } from '../../src/exec/task.js';
import { denseVectorValues, isDenseVectorType, vectorSizeAt } from '../linalg/columns.js';
import { readWeights as readWeightColumn, throwBadRow, type BadRow } from './features.js';
import { columnField } from './schema-checks.js';

/** A row a metric cannot use, thrown by a reader and caught by `batchSummary` (never leaves the task). */
export class RowError extends Error {
  constructor(
    readonly bad: BadRow,
    /** The vector size of the rows read before it (-1: none, or not a vector column). */
    readonly size: number,
  ) {
    super(`row ${bad.row} of ${bad.what} ${bad.why}`);
  }
}

export function failRow(row: number, what: string, why: string, size = -1): never {
  throw new RowError({ row, what, why }, size);
}

/** The column `name` of a batch. */
export function columnOf(batch: arrow.RecordBatch, name: string): AnyData {
  return batch.data.children[resolveIndex('evaluator', name, batch.schema)]! as AnyData;
}

function asDoubles(d: AnyData): AnyData {
  const t = d.type;
  return arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE ? d : castColumn('evaluator', d, Types.double());
}

/**
 * Stops the read at the first of the n values (row i = values[i]) that is NaN or ±Infinity: a
 * metric over it would be NaN, or a comparison with it silently false (issue 10: no silent NaN).
 */
export function checkFinite(values: Float64Array, n: number, what: string): void {
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v - v !== 0) failRow(i, what, `is ${v}; evaluators need finite values`);
  }
}

/** Doubles of the numeric column `name` of a batch; a null, then a NaN or ±Infinity, stops the read. */
export function doublesOf(batch: arrow.RecordBatch, name: string): Float64Array {
  const dd = asDoubles(columnOf(batch, name));
  if (dd.nullCount > 0) {
    for (let i = 0; i < dd.length; i++) if (!isValidAt(dd, i)) failRow(i, `column ${name}`, 'is null; evaluators need a value in every row');
  }
  const values = numericValues(dd) as Float64Array;
  checkFinite(values, dd.length, `column ${name}`);
  return values;
}

/** Spark's checkNonNegativeWeights over the weight column `name` (null: no weights), natively (data/features.ts). */
export function weightsOf(batch: arrow.RecordBatch, name: string | null): Float64Array | null {
  if (name === null) return null;
  const r = readWeightColumn(batch, name);
  if ('bad' in r) throw new RowError(r.bad, -1);
  return r.w;
}

/** The elements of an array-of-numbers column as doubles and its rows' offsets into them; a null array, a null element or a NaN/±Infinity one stops the read. */
function checkedArrays(d: AnyData, name: string): { off: Int32Array; start: number; values: Float64Array } {
  const off = d.valueOffsets as Int32Array;
  const start = off[0]!;
  const elems = asDoubles((d.children[0]! as AnyData).slice(start, off[d.length]! - start) as AnyData);
  const values = numericValues(elems) as Float64Array;
  for (let i = 0; i < d.length; i++) {
    if (!isValidAt(d, i)) failRow(i, `column ${name}`, 'is null; evaluators need an array in every row');
    const a = off[i]! - start;
    const b = off[i + 1]! - start;
    for (let k = a; k < b; k++) {
      if (!isValidAt(elems, k)) failRow(i, `column ${name}`, `has a null element at position ${k - a}`);
      const v = values[k]!;
      if (v - v !== 0) failRow(i, `column ${name}`, `has ${v} at position ${k - a}; evaluators need finite values`);
    }
  }
  return { off, start, values };
}

/** Rows of an array-of-numbers column as Float64Arrays; a null array or element stops the read. */
export function numberArraysOf(d: AnyData, name: string): Float64Array[] {
  const { off, start, values } = checkedArrays(d, name);
  return Array.from({ length: d.length }, (_, i) => values.slice(off[i]! - start, off[i + 1]! - start));
}

/** How a reader words a row whose vector size differs from the earlier rows' (`aggregateRows` words one across partitions the same way). */
export type SizeMismatch = (size: number, dim: number) => { what: string; why: string };

/** n rows of size d, row-major (d = -1: no rows). */
export interface RowMajor {
  x: Float64Array;
  n: number;
  d: number;
}

/**
 * The rows of the array-of-numbers column `name` of a batch, all of the first row's size, as
 * one row-major array (a view of the column when its elements are doubles). A null array or
 * element, or a NaN/±Infinity element (in any row), then a row of another size, stops the read.
 */
export function arrayRowsOf(batch: arrow.RecordBatch, name: string, sizeMismatch: SizeMismatch): RowMajor {
  const col = columnOf(batch, name);
  const { off, values } = checkedArrays(col, name);
  const n = col.length;
  const d = n > 0 ? off[1]! - off[0]! : -1;
  for (let i = 1; i < n; i++) {
    const size = off[i + 1]! - off[i]!;
    if (size !== d) {
      const m = sizeMismatch(size, d);
      failRow(i, m.what, m.why, d);
    }
  }
  return { x: values.subarray(0, n * Math.max(d, 0)), n, d };
}

/** How a vector column's reader names the column and words a null row and a size other than the earlier rows'. */
export interface VectorTexts {
  what: string;
  isNull: string;
  sizeMismatch: SizeMismatch;
}

/**
 * The rows of the vector column `name` of a batch (dense or VectorUDT struct), all of one size,
 * row-major (a view of a dense column); NaN is kept. A null row (in any row), then a vector
 * whose size differs from the earlier rows', stops the read.
 */
export function vectorRowsOf(batch: arrow.RecordBatch, name: string, texts: VectorTexts): RowMajor {
  const col = columnOf(batch, name);
  const n = col.length;
  if (n === 0) return { x: new Float64Array(0), n, d: -1 };
  if (col.nullCount > 0) for (let i = 0; i < n; i++) if (!isValidAt(col, i)) failRow(i, texts.what, texts.isNull);
  let d = isDenseVectorType(col.type) ? col.type.listSize : -1;
  if (d < 0) {
    for (let i = 0; i < n; i++) {
      const size = vectorSizeAt(col, i);
      if (d < 0) d = size;
      else if (size !== d) {
        const m = texts.sizeMismatch(size, d);
        failRow(i, m.what, m.why, d);
      }
    }
  }
  return { x: denseVectorValues(col, d).values, n, d };
}

/** A summary's partial value over RecordBatches, with what the driver needs to name a bad row. */
export interface RowsChecked<S> {
  value: S;
  /** (partition, rows, size) for each partition folded in; size: the vector size of its rows (-1: none). */
  parts: number[];
  /** The first bad row of the lowest partition that has one. */
  bad: (BadRow & { partition: number }) | null;
  /** The vector size of the rows folded in (-1: none yet). */
  size: number;
}

/** What a reader makes of a batch: the inner summary's partition, and the vector size of its rows. */
export interface BatchRead<P> {
  part: P;
  size?: number;
}

/**
 * A built-in summary over a DataFrame's partitions: `read` reads a batch's columns (a bad row
 * stops it: `failRow`), `inner` folds what it read. Partials whose rows have different vector
 * sizes, or that hold a bad row, are not merged: the driver reports the row (`aggregateRows`).
 */
export function batchSummary<S, P, B>(name: string, inner: Summary<S, P, B>, read: (batch: arrow.RecordBatch, b: B) => BatchRead<P>): Summary<RowsChecked<S>, arrow.RecordBatch, B> & { ref: TaskRef } {
  const merge = (a: RowsChecked<S>, b: RowsChecked<S>): RowsChecked<S> => {
    const bad = a.bad && (!b.bad || a.bad.partition <= b.bad.partition) ? a.bad : b.bad;
    const clash = a.size >= 0 && b.size >= 0 && a.size !== b.size;
    return { value: bad || clash ? a.value : inner.merge(a.value, b.value), parts: a.parts.concat(b.parts), bad, size: a.size >= 0 ? a.size : b.size };
  };
  return defineSummary<RowsChecked<S>, arrow.RecordBatch, B>(name, {
    zero: (b) => ({ value: inner.zero(b), parts: [], bad: null, size: -1 }),
    add(s, batch, b, ctx) {
      let one: RowsChecked<S>;
      try {
        const r = read(batch, b);
        const size = r.size ?? -1;
        one = { value: inner.add(inner.zero(b), r.part, b, ctx), parts: [ctx.partition, batch.numRows, size], bad: null, size };
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        one = { value: inner.zero(b), parts: [ctx.partition, batch.numRows, err.size], bad: { ...err.bad, partition: ctx.partition }, size: err.size };
      }
      return merge(s, one);
    },
    merge,
  });
}

/** The merged value, the rows of the DataFrame, and the vector size of its rows (-1: none). */
export interface Aggregated<S> {
  value: S;
  rows: number;
  size: number;
}

/**
 * Runs `summary` (made by `batchSummary`) over the columns `names` of `df` (null: not used) with
 * `session.treeAggregate`, on the executors, and returns its value once `throwFirstBadRow` has
 * found no row the metric cannot use.
 */
export async function aggregateRows<S, B>(
  api: string, df: DataFrame, summary: Summary<RowsChecked<S>, arrow.RecordBatch, B>, names: ReadonlyArray<string | null>, broadcast: B,
  sizeMismatch?: SizeMismatch,
): Promise<Aggregated<S>> {
  const schema = df.schema;
  const columns = [...new Set(names.filter((n): n is string => n !== null).map((n) => columnField(api, schema, n).field.name))];
  return throwFirstBadRow(api, await df.session.treeAggregate(summary, df.select(columns), broadcast), sizeMismatch);
}

/**
 * Walks the partitions of a merged `batchSummary` value in order and throws for the first row
 * the metric cannot use, numbered over the whole DataFrame: a partition's first row whose
 * vector size differs from the earlier partitions' (worded by `sizeMismatch`, as the reader
 * words one inside a partition), or the partition's own first bad row. Else the value, the
 * rows of the DataFrame and their vector size. (`aggregateRows` calls it; so does a caller that
 * runs the summary over its own job source.)
 */
export function throwFirstBadRow<S>(api: string, r: RowsChecked<S>, sizeMismatch?: SizeMismatch): Aggregated<S> {
  const parts: Array<[number, number, number]> = [];
  for (let k = 0; k < r.parts.length; k += 3) parts.push([r.parts[k]!, r.parts[k + 1]!, r.parts[k + 2]!]);
  parts.sort((a, b) => a[0] - b[0]);
  let base = 0;
  let dim = -1;
  for (const [partition, rows, size] of parts) {
    if (sizeMismatch && size >= 0 && dim >= 0 && size !== dim) {
      // the reader took `size` from the partition's first row, and a null first row would have stopped it
      const m = sizeMismatch(size, dim);
      throw Errors.badRow(api, m.what, base, m.why);
    }
    if (r.bad && r.bad.partition === partition) throwBadRow(api, r.bad, base);
    if (dim < 0) dim = size;
    base += rows;
  }
  return { value: r.value, rows: base, size: dim };
}
