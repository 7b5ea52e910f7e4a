/**
 * Arithmetic, comparison and logic with Spark's (non-ANSI) semantics:
 *   - arithmetic widens tinyint < smallint < int < bigint < float < double; integer overflow
 *     wraps; `/` is always double; x / 0 and x % 0 are null;
 *   - comparisons are null when either side is null; NaN equals NaN and is larger than any
 *     other double; `<=>` is null-safe equality; dates/timestamps compare with strings by cast;
 *   - and/or use three-valued logic (false AND null = false, true OR null = true).
 * Follows shared/ARCHITECTURE.md (Execution).
 */
import * as arrow from 'apache-arrow';
import { boolAt, isValidAt, makeBool, makePrimitive, type AnyData } from '../batch.js';
import { isNumericType, sparkTypeName, Types } from '../types.js';
import { castColumn, toNumericType } from './cast.js';
import { andValidity, getter, numbers } from './column-access.js';

/** Spark's double ordering: NaN is the largest value and equals itself; -0.0 == 0.0. */
export function cmpNum(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a;
  const bn = b !== b;
  return an && bn ? 0 : an ? 1 : -1;
}

/** l op r for + - * / % into the output type (typeOf decides it). */
export function arith(op: string, l: AnyData, r: AnyData, out: arrow.DataType): AnyData {
  const n = l.length;
  const name = sparkTypeName(out);
  const validity = andValidity(l, r, n);
  if (op === '/' || op === '%' || name === 'double' || name === 'float') {
    const a = numbers(l.type.typeId === out.typeId || op === '/' ? l : toNumericType(l, out));
    const b = numbers(r.type.typeId === out.typeId || op === '/' ? r : toNumericType(r, out));
    const res = name === 'float' && op !== '/' ? new Float32Array(n) : new Float64Array(n);
    let zeroDiv: Uint8Array | null = null;
    switch (op) {
      case '+': for (let i = 0; i < n; i++) res[i] = a[i]! + b[i]!; break;
      case '-': for (let i = 0; i < n; i++) res[i] = a[i]! - b[i]!; break;
      case '*': for (let i = 0; i < n; i++) res[i] = a[i]! * b[i]!; break;
      default: {
        // x / 0 and x % 0 are null in Spark.
        zeroDiv = validity ? validity.slice() : new Uint8Array((n + 7) >> 3).fill(0xff);
        for (let i = 0; i < n; i++) {
          const y = b[i]!;
          if (y === 0) zeroDiv[i >> 3]! &= ~(1 << (i & 7));
          else res[i] = op === '/' ? a[i]! / y : a[i]! % y;
        }
        if (op === '%' && !(name === 'double' || name === 'float')) {
          // integer modulo of integer types: the result keeps the integer type
          return toNumericType(makePrimitive(Types.double(), res as Float64Array, zeroDiv), out);
        }
      }
    }
    return makePrimitive(op === '/' ? Types.double() : out, res, zeroDiv ?? validity);
  }
  if (name === 'bigint') {
    const a = toNumericType(l, out).values as BigInt64Array;
    const b = toNumericType(r, out).values as BigInt64Array;
    const res = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      const y = b[i]!;
      res[i] = op === '+' ? x + y : op === '-' ? x - y : x * y; // BigInt64Array stores wrap mod 2^64
    }
    return makePrimitive(out, res, validity);
  }
  const a = numbers(l);
  const b = numbers(r);
  const res = name === 'int' ? new Int32Array(n) : name === 'smallint' ? new Int16Array(n) : new Int8Array(n);
  if (op === '*' && name === 'int') for (let i = 0; i < n; i++) res[i] = Math.imul(a[i]!, b[i]!);
  else if (op === '*') for (let i = 0; i < n; i++) res[i] = a[i]! * b[i]!;
  else if (op === '+') for (let i = 0; i < n; i++) res[i] = a[i]! + b[i]!;
  else for (let i = 0; i < n; i++) res[i] = a[i]! - b[i]!;
  return makePrimitive(out, res, validity);
}

/** l op r for = != < <= > >= <=> as a boolean column. */
export function compare(op: string, l: AnyData, r: AnyData): AnyData {
  const n = l.length;
  const bits = new Uint8Array((n + 7) >> 3);
  const nullSafe = op === '<=>';
  const test = (c: number) => (op === '=' || op === '<=>' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0);
  const lt = l.type;
  const rt = r.type;
  let validity: Uint8Array | null = nullSafe ? null : andValidity(l, r, n);
  if (isNumericType(lt) && isNumericType(rt) && !arrow.DataType.isDictionary(lt)) {
    const a = numbers(l);
    const b = numbers(r);
    for (let i = 0; i < n; i++) if (test(cmpNum(a[i]!, b[i]!))) bits[i >> 3]! |= 1 << (i & 7);
  } else {
    let ga = getter(l);
    let gb = getter(r);
    const ln = sparkTypeName(lt);
    const rn = sparkTypeName(rt);
    if ((ln === 'date' || ln === 'timestamp') && rn !== ln) gb = getter(castColumn('compare', r, lt));
    else if ((rn === 'date' || rn === 'timestamp') && rn !== ln) ga = getter(castColumn('compare', l, rt));
    for (let i = 0; i < n; i++) {
      const x = ga(i);
      const y = gb(i);
      if (x === null || y === null) {
        if (nullSafe && x === null && y === null) bits[i >> 3]! |= 1 << (i & 7);
        continue;
      }
      const c = typeof x === 'number' && typeof y === 'number' ? cmpNum(x, y) : (x as never) < (y as never) ? -1 : (x as never) > (y as never) ? 1 : 0;
      if (test(c)) bits[i >> 3]! |= 1 << (i & 7);
    }
  }
  if (nullSafe) validity = null;
  return makeBool(bits, n, validity);
}

/** Three-valued AND / OR. */
export function logic(op: 'and' | 'or', l: AnyData, r: AnyData): AnyData {
  const n = l.length;
  const bits = new Uint8Array((n + 7) >> 3);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  const nl = l.nullCount > 0;
  const nr = r.nullCount > 0;
  for (let i = 0; i < n; i++) {
    const lv = !nl || isValidAt(l, i);
    const rv = !nr || isValidAt(r, i);
    const a = lv && boolAt(l, i);
    const b = rv && boolAt(r, i);
    let value: boolean | null;
    if (op === 'and') value = (lv && !a) || (rv && !b) ? false : lv && rv ? true : null;
    else value = a || b ? true : lv && rv ? false : null;
    if (value === null) nulls++;
    else {
      valid[i >> 3]! |= 1 << (i & 7);
      if (value) bits[i >> 3]! |= 1 << (i & 7);
    }
  }
  return makeBool(bits, n, nulls > 0 ? valid : null, nulls);
}
