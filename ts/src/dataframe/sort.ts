/**
 * Sorting rows by sort expressions with Spark's ordering: ascending puts nulls first and
 * descending puts them last unless asked otherwise; NaN is larger than every other double;
 * strings compare by UTF-8 bytes (Spark's binary collation; JS code-unit order differs only for
 * characters outside the BMP against U+E000–U+FFFF, which are compared by code point here).
 * The sort is stable (ties keep input order).
 */
import * as arrow from 'apache-arrow';
import { isValidAt, takeBatch, type AnyData } from './batch.js';
import type { Expr } from './column.js';
import { evaluate, valueGetter } from './eval.js';
import { isStringType } from './types.js';
import { sortKeyOf } from './keys.js';
import { argsortMulti, type SortKey as NativeSortKey } from '../kernels/sort.js';

export interface SortKey {
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
}

export function sortKeys(orders: readonly Expr[]): SortKey[] {
  return orders.map((o) => (o.k === 'sort' ? { expr: o.child, desc: o.desc, nullsFirst: o.nullsFirst } : { expr: o, desc: false, nullsFirst: true }));
}

function codePointCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // surrogates (0xD800–0xDFFF) encode code points above 0xFFFF: they sort after the BMP
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

type Cmp = (i: number, j: number) => number;

function keyComparator(d: AnyData, key: SortKey): Cmp {
  const dir = key.desc ? -1 : 1;
  const nullOrder = key.nullsFirst ? -1 : 1;
  const hasNull = d.nullCount > 0;
  if (arrow.DataType.isFloat(d.type) || (arrow.DataType.isInt(d.type) && (d.type as arrow.Int).bitWidth <= 32) || (arrow.DataType.isDate(d.type) && d.type.unit === arrow.DateUnit.DAY)) {
    const v = d.values as ArrayLike<number>;
    return (i, j) => {
      if (hasNull) {
        const a = isValidAt(d, i);
        const b = isValidAt(d, j);
        if (!a || !b) return a === b ? 0 : !a ? nullOrder : -nullOrder;
      }
      const x = v[i]!;
      const y = v[j]!;
      if (x < y) return -dir;
      if (x > y) return dir;
      if (x === y) return 0;
      const xn = x !== x;
      const yn = y !== y;
      return xn && yn ? 0 : xn ? dir : -dir;
    };
  }
  const get = valueGetter(d);
  const str = isStringType(d.type);
  return (i, j) => {
    const x = get(i);
    const y = get(j);
    if (x === null || y === null) return x === y ? 0 : x === null ? nullOrder : -nullOrder;
    if (str) return dir * codePointCompare(x as string, y as string);
    return x === y ? 0 : (x as never) < (y as never) ? -dir : dir;
  };
}

/** The stable permutation that sorts a batch by the keys. */
export function sortPermutation(batch: arrow.RecordBatch, keys: readonly SortKey[]): Int32Array {
  const n = batch.numRows;
  const cols = keys.map((k) => evaluate('orderBy', k.expr, batch));
  // numeric, date/timestamp, boolean and plain string keys: the native stable radix argsort
  const native = cols.map((d, i) => sortKeyOf(d, keys[i]!.desc, keys[i]!.nullsFirst));
  if (native.every((k) => k !== null)) return argsortMulti(native as NativeSortKey[]);
  const cmps = keys.map((k, i) => keyComparator(cols[i]!, k));
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (cmps.length === 1) {
    const c = cmps[0]!;
    return idx.sort((a, b) => c(a, b) || a - b);
  }
  return idx.sort((a, b) => {
    for (const c of cmps) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return a - b;
  });
}

export function sortBatch(batch: arrow.RecordBatch, keys: readonly SortKey[]): arrow.RecordBatch {
  if (batch.numRows <= 1) return batch;
  return takeBatch(batch, sortPermutation(batch, keys));
}
