/**
 * What FPGrowth and PrefixSpan share: the item types they accept, the one-column partition tasks
 * they send to the executors, lazily computed result DataFrames, building list columns of items,
 * and Spark's DataType.toString for messages.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { fromValues, makeBatch, makePrimitive, type AnyData } from '../../src/dataframe/batch.js';
import { DataFrame, type SessionLike } from '../../src/dataframe/dataframe.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import type { Plan } from '../../src/dataframe/plan.js';
import { batchToPlain } from '../../src/dataframe/portable.js';
import { sparkTypeName } from '../../src/dataframe/types.js';
import type { Summary } from '../../src/exec/task.js';
import { FPM_SUMMARIES, type ColumnTask, type Item } from '../../src/kernels/fpm-tasks.js';

/** A built-in summary of frequent pattern mining. */
export function fpmRef(name: keyof typeof FPM_SUMMARIES): Summary<any, any, any> {
  return FPM_SUMMARIES[name];
}

/** Spark's DataType.toString ('ArrayType(IntegerType,true)'), for messages that quote it. */
export function sparkDataTypeString(t: arrow.DataType): string {
  if (arrow.DataType.isList(t)) return `ArrayType(${sparkDataTypeString(t.children[0]!.type)},${t.children[0]!.nullable})`;
  if (arrow.DataType.isDictionary(t)) return sparkDataTypeString(t.dictionary);
  const names: Record<string, string> = {
    boolean: 'BooleanType', tinyint: 'ByteType', smallint: 'ShortType', int: 'IntegerType', bigint: 'LongType', float: 'FloatType',
    double: 'DoubleType', string: 'StringType', date: 'DateType', timestamp: 'TimestampType', binary: 'BinaryType', void: 'NullType',
  };
  const s = sparkTypeName(t);
  return names[s] ?? s;
}

/** Item element types the miners key on: strings, integers, floating-point numbers, booleans. */
export function isItemType(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || arrow.DataType.isBool(t);
}

/** Checks the item type of an array column (or of the inner arrays of an array<array<T>> column). */
export function checkItemType(api: string, column: string, t: arrow.DataType): void {
  if (!isItemType(t)) {
    throw Errors.schema(`${api}: items of type ${sparkTypeName(t)} in column ${column} are not supported; items must be strings, integers, floating-point numbers or booleans`);
  }
}

/** The field of a column, resolved as the DataFrame resolves names. */
export function fieldOf(api: string, schema: arrow.Schema, name: string): arrow.Field {
  return schema.fields[resolveIndex(api, name, schema)]!;
}

/**
 * The column's non-empty partitions as one-column plain batches with their first row numbers,
 * and the number of partitions (Spark's data.partitions.length).
 */
export async function columnTasks(api: string, df: DataFrame, column: string): Promise<{ tasks: ColumnTask[]; numPartitions: number }> {
  const parts = await df.select(column).partitions();
  const tasks: ColumnTask[] = [];
  let rowBase = 0;
  for (const b of parts) {
    if (b.numRows > 0) tasks.push({ batch: batchToPlain(b), rowBase, api });
    rowBase += b.numRows;
  }
  return { tasks, numPartitions: parts.length };
}

/** A DataFrame whose partitions are computed on first use and kept (like VectorAssembler's output). */
export function lazyFrame(session: SessionLike, schema: arrow.Schema, compute: () => Promise<arrow.RecordBatch[]>): DataFrame {
  const plan: Plan = { op: 'cache', child: { op: 'memory', schema, partitions: [] }, state: { compute } };
  return new DataFrame(session, plan);
}

/** A column of `type` (a list type) from arrays of items. */
export function listColumn(type: arrow.DataType, values: ReadonlyArray<readonly unknown[]>): AnyData {
  return fromValues(type, values as unknown[]);
}

export function longColumn(values: ArrayLike<number>): AnyData {
  return makePrimitive(new arrow.Int64(), BigInt64Array.from(Array.from(values), (v) => BigInt(v)), null);
}

export function doubleColumn(values: ArrayLike<number | null>): AnyData {
  const n = values.length;
  const x = new Float64Array(n);
  let nulls = 0;
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) nulls++;
    else {
      x[i] = v;
      bitmap[i >> 3]! |= 1 << (i & 7);
    }
  }
  return makePrimitive(new arrow.Float64(), x, nulls > 0 ? bitmap : null, nulls);
}

export function batchOf(schema: arrow.Schema, columns: AnyData[], numRows: number): arrow.RecordBatch {
  return makeBatch(schema, columns, numRows);
}

/** A stable key for a sequence of items (types kept apart: 1 and '1' differ). */
export function itemsKey(items: readonly Item[]): string {
  let s = '';
  for (const v of items) {
    const tag = v === null ? 'n' : typeof v === 'string' ? 's' : typeof v === 'boolean' ? 'b' : 'd';
    s += `${tag}${v === null ? '' : String(v)}\u0001`;
  }
  return s;
}
