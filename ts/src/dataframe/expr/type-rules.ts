/**
 * Spark's type coercion rules shared by expression analysis and the function table: the numeric
 * widening order tinyint < smallint < int < bigint < float < double, the type of a literal,
 * which types compare, and how an operand is named in messages.
 * Follows shared/ARCHITECTURE.md (Execution: errors before any data moves).
 */
import * as arrow from 'apache-arrow';
import { exprName, type Expr } from '../column.js';
import { isNumericType, isStringType, sparkTypeName, Types } from '../types.js';

const NUMERIC_RANK: Record<string, number> = { tinyint: 1, smallint: 2, int: 3, bigint: 4, float: 5, double: 6 };

function rank(t: arrow.DataType): number {
  return NUMERIC_RANK[sparkTypeName(t)] ?? 0;
}

/** The wider of two numeric types (null gives way to the other). */
export function wider(a: arrow.DataType, b: arrow.DataType): arrow.DataType {
  if (arrow.DataType.isNull(a)) return b;
  if (arrow.DataType.isNull(b)) return a;
  return rank(a) >= rank(b) ? a : b;
}

/** The type of a literal: int when it fits, else bigint, double for fractions; null → NullType. */
export function litType(v: Expr & { k: 'lit' }): arrow.DataType {
  const x = v.value;
  if (x === null) return new arrow.Null();
  if (typeof x === 'number') return Number.isSafeInteger(x) && !Object.is(x, -0) ? (x >= -2147483648 && x <= 2147483647 ? Types.int() : Types.bigint()) : Types.double();
  if (typeof x === 'bigint') return Types.bigint();
  if (typeof x === 'string') return Types.string();
  if (typeof x === 'boolean') return Types.boolean();
  if ('date' in x) return Types.date();
  return Types.timestamp();
}

/** An operand for messages: `name (type)`. */
export function describe(e: Expr, t: arrow.DataType): string {
  return `${exprName(e)} (${sparkTypeName(t)})`;
}

/** True when two types can be compared (numbers, strings, dates/timestamps with strings). */
export function comparable(a: arrow.DataType, b: arrow.DataType): boolean {
  if (arrow.DataType.isNull(a) || arrow.DataType.isNull(b)) return true;
  if (isNumericType(a) && isNumericType(b)) return true;
  if (isStringType(a) && isStringType(b)) return true;
  const ta = sparkTypeName(a);
  const tb = sparkTypeName(b);
  if ((ta === 'date' || ta === 'timestamp') && (tb === 'date' || tb === 'timestamp' || tb === 'string')) return true;
  if ((tb === 'date' || tb === 'timestamp') && ta === 'string') return true;
  return ta === tb;
}
