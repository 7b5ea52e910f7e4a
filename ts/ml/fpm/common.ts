/**
 * What FPGrowth and PrefixSpan share on the driver: the item types they accept, the job source
 * their passes read (the items column where the DataFrame's partitions live), building result
 * columns of items, and Spark's DataType.toString for messages. Item reading and ordering, run
 * on the executors too, is items.ts.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { fromValues, makeBatch, makePrimitive, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { frameSource } from '../../src/dataframe/physical.js';
import { sparkTypeName } from '../../src/dataframe/types.js';
import type { JobSource } from '../../src/exec/jobs.js';

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


/**
 * The partitions of `df.select(column)` as one job source for every pass of a fit: tasks get
 * each partition as a RecordBatch on the executor that holds it (after the select), and the
 * source's length is Spark's data.partitions.length.
 */
export async function columnSource(df: DataFrame, column: string): Promise<JobSource> {
  return frameSource(df.select(column).plan, df.session.execContext());
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
