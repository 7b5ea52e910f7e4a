/**
 * Expression analysis (types, names, errors before any data moves) and vectorised evaluation
 * over one Arrow RecordBatch, with Spark's (non-ANSI) semantics:
 *   - arithmetic widens tinyint < smallint < int < bigint < float < double; integer overflow
 *     wraps; `/` is always double; x / 0 and x % 0 are null;
 *   - comparisons are null when either side is null; NaN equals NaN and is larger than any
 *     other double; `<=>` is null-safe equality;
 *   - and/or use three-valued logic (false AND null = false, true OR null = true);
 *   - cast: double → int truncates and saturates (NaN → 0); unparsable strings → null.
 * Column names resolve case-insensitively when there is no exact match (Spark's default
 * spark.sql.caseSensitive=false).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import {
  bitmapFrom, boolAt, isValidAt, makeBool, makePrimitive, nullData, fromValues, valueAt, isFixedWidth, validityBitmap,
  type AnyData,
} from './batch.js';
import { exprName, type Expr, type Literal } from './column.js';
import { dateString, javaDoubleString, javaFloatString, timestampString } from './format.js';
import { isNumericType, isStringType, parseTypeName, sparkTypeName, Types } from './types.js';

// ---------------------------------------------------------------------------------------------
// Analysis

export function resolveIndex(api: string, name: string, schema: arrow.Schema): number {
  const fields = schema.fields;
  let idx = -1;
  for (let j = 0; j < fields.length; j++) {
    if (fields[j]!.name === name) {
      if (idx >= 0) throw Errors.schema(`${api}: column name ${JSON.stringify(name)} is ambiguous (it appears more than once); rename one side first`);
      idx = j;
    }
  }
  if (idx >= 0) return idx;
  const lower = name.toLowerCase();
  for (let j = 0; j < fields.length; j++) {
    if (fields[j]!.name.toLowerCase() === lower) {
      if (idx >= 0) throw Errors.schema(`${api}: column name ${JSON.stringify(name)} is ambiguous (case-insensitive match)`);
      idx = j;
    }
  }
  if (idx < 0) throw Errors.unknownColumn(api, name, fields.map((f) => f.name));
  return idx;
}

const NUMERIC_RANK: Record<string, number> = { tinyint: 1, smallint: 2, int: 3, bigint: 4, float: 5, double: 6 };

function rank(t: arrow.DataType): number {
  return NUMERIC_RANK[sparkTypeName(t)] ?? 0;
}

function wider(a: arrow.DataType, b: arrow.DataType): arrow.DataType {
  if (arrow.DataType.isNull(a)) return b;
  if (arrow.DataType.isNull(b)) return a;
  return rank(a) >= rank(b) ? a : b;
}

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

function describe(e: Expr, t: arrow.DataType): string {
  return `${exprName(e)} (${sparkTypeName(t)})`;
}

function comparable(a: arrow.DataType, b: arrow.DataType): boolean {
  if (arrow.DataType.isNull(a) || arrow.DataType.isNull(b)) return true;
  if (isNumericType(a) && isNumericType(b)) return true;
  if (isStringType(a) && isStringType(b)) return true;
  const ta = sparkTypeName(a);
  const tb = sparkTypeName(b);
  if ((ta === 'date' || ta === 'timestamp') && (tb === 'date' || tb === 'timestamp' || tb === 'string')) return true;
  if ((tb === 'date' || tb === 'timestamp') && ta === 'string') return true;
  return ta === tb;
}

/** The output type of an expression over a schema (throws naming the column or operand). */
export function typeOf(api: string, e: Expr, schema: arrow.Schema): arrow.DataType {
  switch (e.k) {
    case 'col': return schema.fields[resolveIndex(api, e.name, schema)]!.type;
    case 'star': throw Errors.schema(`${api}: '*' is only allowed in select() and count()`);
    case 'lit': return litType(e);
    case 'alias': return typeOf(api, e.child, schema);
    case 'bin': {
      const l = typeOf(api, e.l, schema);
      const r = typeOf(api, e.r, schema);
      switch (e.op) {
        case '+': case '-': case '*': case '%': case '/': {
          for (const [x, t] of [[e.l, l], [e.r, r]] as const) {
            if (!isNumericType(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: cannot apply ${e.op} to ${describe(x, t)}: a numeric column is required`);
          }
          if (e.op === '/') return Types.double();
          const w = wider(l, r);
          return arrow.DataType.isNull(w) ? Types.double() : w;
        }
        case 'and': case 'or':
          for (const [x, t] of [[e.l, l], [e.r, r]] as const) {
            if (!arrow.DataType.isBool(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: ${e.op.toUpperCase()} needs boolean operands, got ${describe(x, t)}`);
          }
          return Types.boolean();
        default:
          if (!comparable(l, r)) throw Errors.schema(`${api}: cannot compare ${describe(e.l, l)} with ${describe(e.r, r)}`);
          return Types.boolean();
      }
    }
    case 'not': {
      const t = typeOf(api, e.child, schema);
      if (!arrow.DataType.isBool(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: NOT needs a boolean operand, got ${describe(e.child, t)}`);
      return Types.boolean();
    }
    case 'neg': {
      const t = typeOf(api, e.child, schema);
      if (!isNumericType(t)) throw Errors.schema(`${api}: cannot negate ${describe(e.child, t)}`);
      return t;
    }
    case 'isNull': case 'isNotNull': typeOf(api, e.child, schema); return Types.boolean();
    case 'isNaN': {
      const t = typeOf(api, e.child, schema);
      if (!isNumericType(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: isnan needs a numeric column, got ${describe(e.child, t)}`);
      return Types.boolean();
    }
    case 'in': {
      const t = typeOf(api, e.child, schema);
      for (const v of e.values) {
        const vt = typeOf(api, v, schema);
        if (!comparable(t, vt)) throw Errors.schema(`${api}: isin compares ${describe(e.child, t)} with ${describe(v, vt)}`);
      }
      return Types.boolean();
    }
    case 'when': {
      let out: arrow.DataType = new arrow.Null();
      const values = e.branches.map(([c, v]) => {
        const ct = typeOf(api, c, schema);
        if (!arrow.DataType.isBool(ct) && !arrow.DataType.isNull(ct)) throw Errors.schema(`${api}: WHEN condition must be boolean, got ${describe(c, ct)}`);
        return v;
      });
      if (e.otherwise) values.push(e.otherwise);
      for (const v of values) {
        const vt = typeOf(api, v, schema);
        if (arrow.DataType.isNull(out)) out = vt;
        else if (arrow.DataType.isNull(vt)) continue;
        else if (isNumericType(out) && isNumericType(vt)) out = wider(out, vt);
        else if (sparkTypeName(out) !== sparkTypeName(vt)) throw Errors.schema(`${api}: CASE WHEN branches have different types: ${sparkTypeName(out)} and ${describe(v, vt)}`);
      }
      return arrow.DataType.isNull(out) ? Types.string() : out;
    }
    case 'cast': {
      typeOf(api, e.child, schema);
      return parseTypeName(`${api}: cast`, e.to);
    }
    case 'fn': return fnType(api, e, schema);
    case 'agg': throw Errors.schema(`${api}: aggregate function ${exprName(e)} is only allowed in groupBy().agg() / agg()`);
    case 'sort': return typeOf(api, e.child, schema);
  }
}

export function fieldOf(api: string, e: Expr, schema: arrow.Schema): arrow.Field {
  const type = typeOf(api, e, schema);
  let nullable = true;
  if (e.k === 'col') nullable = schema.fields[resolveIndex(api, e.name, schema)]!.nullable;
  else if (e.k === 'alias' && e.child.k === 'col') nullable = schema.fields[resolveIndex(api, e.child.name, schema)]!.nullable;
  else if (e.k === 'lit') nullable = e.value === null;
  else if (e.k === 'isNull' || e.k === 'isNotNull') nullable = false;
  const name = e.k === 'col' ? schema.fields[resolveIndex(api, e.name, schema)]!.name : exprName(e);
  return new arrow.Field(name, type, nullable);
}

const STRING_FNS = new Set(['lower', 'upper', 'trim', 'ltrim', 'rtrim', 'regexp_replace', 'regexp_extract', 'substring']);
const MATH_FNS = new Set(['sqrt', 'log', 'log10', 'log2', 'log1p', 'exp', 'logb', 'pow', 'signum']);

function fnType(api: string, e: Expr & { k: 'fn' }, schema: arrow.Schema): arrow.DataType {
  const args = e.args.map((a) => typeOf(api, a, schema));
  const need = (i: number, ok: (t: arrow.DataType) => boolean, what: string) => {
    const t = args[i]!;
    if (!ok(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: ${e.name} expects ${what}, got ${describe(e.args[i]!, t)}`);
  };
  if (STRING_FNS.has(e.name)) {
    need(0, isStringType, 'a string column');
    return Types.string();
  }
  if (MATH_FNS.has(e.name)) {
    args.forEach((_, i) => need(i, isNumericType, 'a numeric column'));
    return Types.double();
  }
  switch (e.name) {
    case 'length':
      need(0, (t) => isStringType(t) || arrow.DataType.isBinary(t), 'a string column');
      return Types.int();
    case 'split':
      need(0, isStringType, 'a string column');
      return Types.array(Types.string());
    case 'concat':
    case 'concat_ws':
      args.forEach((t, i) => { if (!isStringType(t) && !arrow.DataType.isNull(t) && !isNumericType(t)) throw Errors.schema(`${api}: ${e.name} expects string columns, got ${describe(e.args[i]!, t)}`); });
      return Types.string();
    case 'contains': case 'startswith': case 'endswith': case 'like': case 'rlike':
      need(0, isStringType, 'a string column');
      return Types.boolean();
    case 'abs': case 'floor': case 'ceil': case 'round':
      need(0, isNumericType, 'a numeric column');
      return e.name === 'floor' || e.name === 'ceil' ? (arrow.DataType.isFloat(args[0]!) ? Types.bigint() : args[0]!) : args[0]!;
    case 'coalesce': case 'greatest': case 'least': {
      if (args.length === 0) throw Errors.schema(`${api}: ${e.name} needs at least one column`);
      let out: arrow.DataType = new arrow.Null();
      args.forEach((t, i) => {
        if (arrow.DataType.isNull(t)) return;
        if (arrow.DataType.isNull(out)) out = t;
        else if (isNumericType(out) && isNumericType(t)) out = wider(out, t);
        else if (sparkTypeName(out) !== sparkTypeName(t)) throw Errors.schema(`${api}: ${e.name} arguments have different types: ${sparkTypeName(out)} and ${describe(e.args[i]!, t)}`);
      });
      return out;
    }
    case 'size':
      need(0, (t) => arrow.DataType.isList(t), 'an array column');
      return Types.int();
    case 'array_contains':
      need(0, (t) => arrow.DataType.isList(t), 'an array column');
      return Types.boolean();
    case 'get_item': {
      const t = args[0]!;
      if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t)) return t.children[0]!.type;
      if (arrow.DataType.isStruct(t)) {
        const key = (e.args[1] as { value: unknown }).value;
        const f = t.children.find((c) => c.name === key);
        if (!f) throw Errors.unknownColumn(api, `${exprName(e.args[0]!)}.${String(key)}`, t.children.map((c) => c.name));
        return f.type;
      }
      throw Errors.schema(`${api}: getItem needs an array or struct column, got ${describe(e.args[0]!, t)}`);
    }
    case 'struct':
      return new arrow.Struct(e.args.map((a, i) => new arrow.Field(exprName(a), args[i]!, true)));
    case 'rand': return Types.double();
    case 'monotonically_increasing_id': return Types.bigint();
    default:
      throw Errors.schema(`${api}: unknown function ${e.name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface EvalContext {
  /** Partition index (rand seeds, monotonically_increasing_id). */
  partition: number;
}

type Num = ArrayLike<number>;

/** Numeric values as numbers (int64 via Number). */
function numbers(d: AnyData): Num {
  const v = d.values as unknown;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Number(v[i]!);
    return out;
  }
  if (arrow.DataType.isDictionary(d.type)) throw Errors.schema('eval: numeric values of a dictionary column');
  // Arrow buffers may be padded past the last row: hand out exactly `length` values
  const a = v as Float64Array;
  return a.length === d.length ? a : a.subarray(0, d.length);
}

function andValidity(a: AnyData, b: AnyData, n: number): Uint8Array | null {
  if (a.nullCount === 0 && b.nullCount === 0) return null;
  return bitmapFrom((i) => isValidAt(a, i) && isValidAt(b, i), n).bitmap;
}

function broadcast(type: arrow.DataType, value: unknown, n: number): AnyData {
  if (value === null || value === undefined) return nullData(arrow.DataType.isNull(type) ? Types.string() : type, n);
  if (isFixedWidth(type)) {
    const name = sparkTypeName(type);
    const Ctor = name === 'double' ? Float64Array : name === 'float' ? Float32Array : name === 'int' || name === 'date' ? Int32Array : name === 'smallint' ? Int16Array : name === 'tinyint' ? Int8Array : BigInt64Array;
    const arr = new (Ctor as unknown as new (n: number) => { fill(v: unknown): unknown })(n);
    arr.fill(Ctor === BigInt64Array ? BigInt(value as bigint | number) : Number(value));
    return makePrimitive(type, arr as never, null);
  }
  if (arrow.DataType.isBool(type)) {
    const bits = new Uint8Array((n + 7) >> 3);
    if (value) bits.fill(0xff);
    return makeBool(bits, n, null);
  }
  return fromValues(type, new Array(n).fill(value));
}

function litValue(e: Expr & { k: 'lit' }): unknown {
  const v = e.value;
  if (v !== null && typeof v === 'object') {
    if ('date' in v) return v.date;
    return BigInt(Date.parse(v.timestamp)) * 1000n;
  }
  return v;
}

/** Converts a column to another numeric type (exact for ints, Java cast semantics for doubles). */
function toNumericType(d: AnyData, to: arrow.DataType): AnyData {
  const from = sparkTypeName(d.type);
  const name = sparkTypeName(to);
  if (from === name) return d;
  const n = d.length;
  const bitmap = validityBitmap(d);
  const src = d.values as ArrayLike<number | bigint>;
  const isBig = src instanceof BigInt64Array;
  switch (name) {
    case 'double': case 'float': {
      const out = name === 'double' ? new Float64Array(n) : new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(src[i]!);
      return makePrimitive(to, out, bitmap);
    }
    case 'bigint': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const x = src[i]!;
        out[i] = typeof x === 'bigint' ? x : Number.isNaN(x) ? 0n : x >= 9.223372036854776e18 ? 9223372036854775807n : x <= -9.223372036854776e18 ? -9223372036854775808n : BigInt(Math.trunc(x));
      }
      return makePrimitive(to, out, bitmap);
    }
    default: {
      const bits = name === 'int' ? 32 : name === 'smallint' ? 16 : 8;
      const out = bits === 32 ? new Int32Array(n) : bits === 16 ? new Int16Array(n) : new Int8Array(n);
      const lo = -(2 ** (bits - 1));
      const hi = 2 ** (bits - 1) - 1;
      for (let i = 0; i < n; i++) {
        const x = src[i]!;
        if (isBig || typeof x === 'bigint') out[i] = Number(BigInt.asIntN(bits, x as bigint));
        else if (arrow.DataType.isFloat(d.type)) out[i] = Number.isNaN(x) ? 0 : bits === 32 ? Math.max(lo, Math.min(hi, Math.trunc(x))) : Math.trunc(x) | 0;
        else out[i] = x;
      }
      return makePrimitive(to, out, bitmap);
    }
  }
}

/** Spark's double ordering: NaN is the largest value and equals itself; -0.0 == 0.0. */
function cmpNum(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a;
  const bn = b !== b;
  return an && bn ? 0 : an ? 1 : -1;
}

function stringGetter(d: AnyData): (i: number) => string | null {
  if (arrow.DataType.isDictionary(d.type)) {
    const dict = d.dictionary!;
    const decoded: Array<string | null> = new Array(dict.length);
    for (let i = 0; i < dict.length; i++) decoded[i] = dict.get(i) as string | null;
    const codes = d.values as Int32Array;
    return (i) => (isValidAt(d, i) ? decoded[codes[i]!]! : null);
  }
  const off = d.valueOffsets as Int32Array;
  const bytes = d.values as Uint8Array;
  const dec = new TextDecoder();
  return (i) => {
    if (!isValidAt(d, i)) return null;
    const s = off[i]!;
    const e = off[i + 1]!;
    if (e - s < 24) {
      let ascii = true;
      let out = '';
      for (let k = s; k < e; k++) {
        const c = bytes[k]!;
        if (c > 127) { ascii = false; break; }
        out += String.fromCharCode(c);
      }
      if (ascii) return out;
    }
    return dec.decode(bytes.subarray(s, e));
  };
}

/** Values of any column as a getter of plain JS comparable values (numbers, strings, booleans). */
function getter(d: AnyData): (i: number) => unknown {
  if (isStringType(d.type)) return stringGetter(d);
  const t = d.type;
  if (arrow.DataType.isBool(t)) return (i) => (isValidAt(d, i) ? boolAt(d, i) : null);
  if (isFixedWidth(t)) {
    const v = d.values as ArrayLike<number | bigint>;
    return (i) => (isValidAt(d, i) ? v[i]! : null);
  }
  return (i) => valueAt(d, i);
}

export class StringColumnBuilder {
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private valid: Uint8Array;
  private n = 0;
  private pos = 0;
  private nulls = 0;
  private readonly enc = new TextEncoder();

  constructor(capacity: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = new Uint8Array(Math.max(64, capacity * 8));
    this.valid = new Uint8Array((capacity + 7) >> 3);
  }

  push(s: string | null): void {
    const i = this.n++;
    if (s === null) {
      this.nulls++;
    } else {
      this.valid[i >> 3]! |= 1 << (i & 7);
      const need = this.pos + s.length * 3;
      if (need > this.bytes.length) {
        const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
        grown.set(this.bytes.subarray(0, this.pos));
        this.bytes = grown;
      }
      this.pos += this.enc.encodeInto(s, this.bytes.subarray(this.pos)).written;
    }
    this.offsets[i + 1] = this.pos;
  }

  finish(): AnyData {
    return arrow.makeData({
      type: new arrow.Utf8(), length: this.n, valueOffsets: this.offsets.subarray(0, this.n + 1), data: this.bytes.subarray(0, this.pos),
      nullBitmap: this.nulls > 0 ? this.valid : undefined, nullCount: this.nulls,
    });
  }
}

function mapStrings(d: AnyData, f: (s: string) => string | null): AnyData {
  const get = stringGetter(d);
  const b = new StringColumnBuilder(d.length);
  for (let i = 0; i < d.length; i++) {
    const s = get(i);
    b.push(s === null ? null : f(s));
  }
  return b.finish();
}

function mapDoubles(d: AnyData, f: (x: number) => number): AnyData {
  const x = numbers(d);
  const n = d.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(x[i]!);
  return makePrimitive(Types.double(), out, validityBitmap(d));
}

/** Java-style regex translation for the patterns Spark users write (Java's $1 → JS $1 is the same). */
function jsRegex(api: string, pattern: string, flags = 'gu'): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (cause) {
    throw Errors.invalidArg(api, 'pattern', 'a valid regular expression', pattern);
  }
}

function likeToRegex(p: string): RegExp {
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) re += p[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$', 'u');
}

/** Spark's cast to string of one value. */
export function castToString(t: arrow.DataType, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const name = sparkTypeName(t);
  if (name === 'double') return javaDoubleString(v as number);
  if (name === 'float') return javaFloatString(v as number);
  if (name === 'date') return dateString(v as number);
  if (name === 'timestamp') return timestampString(v as bigint);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function parseNumber(s: string, name: string): number | bigint | null {
  const t = s.trim();
  if (name === 'double' || name === 'float') {
    if (/^[+-]?(NaN|Infinity|Inf)$/i.test(t)) return /nan/i.test(t) ? NaN : t.startsWith('-') ? -Infinity : Infinity;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) return null;
    return Number(t.replace(/[dDfF]$/, ''));
  }
  if (!/^[+-]?\d+(\.\d*)?$/.test(t)) return null;
  const intPart = t.replace(/\.\d*$/, '');
  const big = BigInt(intPart);
  const bits = name === 'bigint' ? 64 : name === 'int' ? 32 : name === 'smallint' ? 16 : 8;
  const lim = 1n << BigInt(bits - 1);
  if (big < -lim || big >= lim) return null;
  return name === 'bigint' ? big : Number(big);
}

function castColumn(api: string, d: AnyData, to: arrow.DataType): AnyData {
  const from = d.type;
  const fromName = sparkTypeName(from);
  const toName = sparkTypeName(to);
  const n = d.length;
  if (fromName === toName && !arrow.DataType.isDictionary(from)) return d;
  if (toName === 'string') {
    const get = getter(d);
    const b = new StringColumnBuilder(n);
    for (let i = 0; i < n; i++) b.push(castToString(from, get(i)));
    return b.finish();
  }
  if (arrow.DataType.isNull(from)) return nullData(to, n);
  if (isNumericType(from) && isNumericType(to)) return toNumericType(d, to);
  if (arrow.DataType.isBool(from) && isNumericType(to)) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = boolAt(d, i) ? 1 : 0;
    return toNumericType(makePrimitive(Types.double(), out, validityBitmap(d)), to);
  }
  if (isNumericType(from) && arrow.DataType.isBool(to)) {
    const x = numbers(d);
    const bits = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) if (x[i] !== 0) bits[i >> 3]! |= 1 << (i & 7);
    return makeBool(bits, n, validityBitmap(d));
  }
  if (isStringType(from)) {
    const get = stringGetter(d);
    if (isNumericType(to)) {
      const vals: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const s = get(i);
        vals[i] = s === null ? null : parseNumber(s, toName);
      }
      return fromValues(to, vals);
    }
    if (toName === 'boolean') {
      const vals = Array.from({ length: n }, (_, i) => {
        const s = get(i)?.trim().toLowerCase();
        return s === undefined ? null : ['t', 'true', 'y', 'yes', '1'].includes(s) ? true : ['f', 'false', 'n', 'no', '0'].includes(s) ? false : null;
      });
      return fromValues(to, vals);
    }
    if (toName === 'date') {
      const out = new Int32Array(n);
      const { bitmap } = bitmapFrom((i) => {
        const s = get(i);
        if (s === null) return false;
        const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?\s*$/.exec(s);
        if (!m) return false;
        const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
        if (Number.isNaN(ms)) return false;
        out[i] = Math.floor(ms / 86_400_000);
        return true;
      }, n);
      return makePrimitive(Types.date(), out, bitmap);
    }
    if (toName === 'timestamp') {
      const out = new BigInt64Array(n);
      const { bitmap } = bitmapFrom((i) => {
        const s = get(i);
        if (s === null) return false;
        const iso = s.trim().replace(' ', 'T');
        const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`);
        if (Number.isNaN(ms)) return false;
        const frac = /\.(\d+)/.exec(iso)?.[1] ?? '';
        const micros = frac.length > 3 ? Number(frac.slice(3, 6).padEnd(3, '0')) : 0;
        out[i] = BigInt(ms) * 1000n + BigInt(micros);
        return true;
      }, n);
      return makePrimitive(Types.timestamp(), out, bitmap);
    }
  }
  if (fromName === 'date' && toName === 'timestamp') {
    const src = d.values as Int32Array;
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(src[i]!) * 86_400_000_000n;
    return makePrimitive(to, out, validityBitmap(d));
  }
  if (fromName === 'timestamp' && toName === 'date') {
    const src = d.values as BigInt64Array;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number((src[i]! - (((src[i]! % 86_400_000_000n) + 86_400_000_000n) % 86_400_000_000n)) / 86_400_000_000n);
    return makePrimitive(to, out, validityBitmap(d));
  }
  throw Errors.schema(`${api}: cannot cast ${fromName} to ${toName}`);
}

function arith(op: string, l: AnyData, r: AnyData, out: arrow.DataType): AnyData {
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

function compare(op: string, l: AnyData, r: AnyData): AnyData {
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

function logic(op: 'and' | 'or', l: AnyData, r: AnyData): AnyData {
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

/** splitmix-style per-row uniform doubles in [0, 1) for rand(seed): deterministic per (seed, partition, row). */
export function rowRandom(seed: number, partition: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let s = BigInt.asUintN(64, BigInt(Math.trunc(seed)) * 0x9e3779b97f4a7c15n + BigInt(partition) * 0xbf58476d1ce4e5b9n);
  for (let i = 0; i < n; i++) {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    z ^= z >> 31n;
    out[i] = Number(z >> 11n) / 2 ** 53;
  }
  return out;
}

/** Evaluates an expression over a batch into one column of batch.numRows rows. */
export function evaluate(api: string, e: Expr, batch: arrow.RecordBatch, ctx: EvalContext = { partition: 0 }): AnyData {
  const schema = batch.schema;
  const n = batch.numRows;
  const ev = (x: Expr) => evaluate(api, x, batch, ctx);
  switch (e.k) {
    case 'col': return batch.data.children[resolveIndex(api, e.name, schema)]! as AnyData;
    case 'lit': return broadcast(litType(e), litValue(e), n);
    case 'alias': return ev(e.child);
    case 'sort': return ev(e.child);
    case 'bin': {
      const out = typeOf(api, e, schema);
      const l = ev(e.l);
      const r = ev(e.r);
      if (e.op === 'and' || e.op === 'or') return logic(e.op, arrow.DataType.isNull(l.type) ? nullData(Types.boolean(), n) : l, arrow.DataType.isNull(r.type) ? nullData(Types.boolean(), n) : r);
      if (['+', '-', '*', '/', '%'].includes(e.op)) {
        if (arrow.DataType.isNull(l.type) || arrow.DataType.isNull(r.type)) return nullData(out, n);
        return arith(e.op, l, r, out);
      }
      if (arrow.DataType.isNull(l.type) || arrow.DataType.isNull(r.type)) {
        if (e.op !== '<=>') return nullData(Types.boolean(), n);
      }
      return compare(e.op, l, r);
    }
    case 'not': {
      const c = ev(e.child);
      if (arrow.DataType.isNull(c.type)) return nullData(Types.boolean(), n);
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (!boolAt(c, i)) bits[i >> 3]! |= 1 << (i & 7);
      return makeBool(bits, n, validityBitmap(c));
    }
    case 'neg': {
      const c = ev(e.child);
      return arith('-', broadcast(c.type, c.type.typeId === arrow.Type.Int && (c.type as arrow.Int).bitWidth === 64 ? 0n : 0, n), c, c.type);
    }
    case 'isNull': case 'isNotNull': {
      const c = ev(e.child);
      const want = e.k === 'isNull';
      const bits = new Uint8Array((n + 7) >> 3);
      const allNull = arrow.DataType.isNull(c.type);
      for (let i = 0; i < n; i++) if ((allNull || !isValidAt(c, i)) === want) bits[i >> 3]! |= 1 << (i & 7);
      return makeBool(bits, n, null);
    }
    case 'isNaN': {
      const c = ev(e.child);
      const bits = new Uint8Array((n + 7) >> 3);
      if (!arrow.DataType.isNull(c.type)) {
        const x = numbers(c);
        for (let i = 0; i < n; i++) if (isValidAt(c, i) && x[i] !== x[i]) bits[i >> 3]! |= 1 << (i & 7);
      }
      return makeBool(bits, n, null);
    }
    case 'in': {
      let acc: AnyData | null = null;
      const c = ev(e.child);
      for (const v of e.values) {
        const eq = compare('=', c, ev(v));
        acc = acc ? logic('or', acc, eq) : eq;
      }
      return acc ?? makeBool(new Uint8Array((n + 7) >> 3), n, validityBitmap(c));
    }
    case 'when': {
      const out = typeOf(api, e, schema);
      const chosen = new Int32Array(n).fill(-1);
      e.branches.forEach(([cond], b) => {
        const c = ev(cond);
        if (arrow.DataType.isNull(c.type)) return;
        for (let i = 0; i < n; i++) if (chosen[i] === -1 && isValidAt(c, i) && boolAt(c, i)) chosen[i] = b;
      });
      const values = e.branches.map(([, v]) => coerce(api, ev(v), out));
      const other = e.otherwise ? coerce(api, ev(e.otherwise), out) : null;
      const getters = values.map(getter);
      const og = other ? getter(other) : null;
      const vals: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const b = chosen[i]!;
        vals[i] = b >= 0 ? getters[b]!(i) : og ? og(i) : null;
      }
      return fromTyped(out, vals);
    }
    case 'cast': return castColumn(api, ev(e.child), parseTypeName(`${api}: cast`, e.to));
    case 'fn': return evalFn(api, e, batch, ctx);
    case 'star': throw Errors.schema(`${api}: '*' is only allowed in select() and count()`);
    case 'agg': throw Errors.schema(`${api}: aggregate function ${exprName(e)} is only allowed in groupBy().agg() / agg()`);
  }
}

/** Builds a typed column from values already in that type's JS form (numbers/bigints/strings …). */
function fromTyped(type: arrow.DataType, vals: unknown[]): AnyData {
  const name = sparkTypeName(type);
  if (name === 'date') {
    const out = new Int32Array(vals.length);
    const { bitmap } = bitmapFrom((i) => vals[i] !== null && vals[i] !== undefined, vals.length);
    vals.forEach((v, i) => { if (v !== null && v !== undefined) out[i] = v as number; });
    return makePrimitive(type, out, bitmap);
  }
  if (name === 'timestamp') {
    const out = new BigInt64Array(vals.length);
    const { bitmap } = bitmapFrom((i) => vals[i] !== null && vals[i] !== undefined, vals.length);
    vals.forEach((v, i) => { if (v !== null && v !== undefined) out[i] = v as bigint; });
    return makePrimitive(type, out, bitmap);
  }
  return fromValues(type, vals);
}

function coerce(api: string, d: AnyData, to: arrow.DataType): AnyData {
  if (arrow.DataType.isNull(d.type)) return nullData(to, d.length);
  if (isNumericType(d.type) && isNumericType(to)) return toNumericType(d, to);
  if (isStringType(d.type) && arrow.DataType.isDictionary(d.type)) return castColumn(api, d, Types.string());
  return d;
}

function litArg(e: Expr & { k: 'fn' }, i: number): unknown {
  const a = e.args[i];
  if (!a || a.k !== 'lit') throw Errors.schema(`${e.name}: argument ${i + 1} must be a literal`);
  return a.value;
}

function evalFn(api: string, e: Expr & { k: 'fn' }, batch: arrow.RecordBatch, ctx: EvalContext): AnyData {
  const n = batch.numRows;
  const ev = (x: Expr) => evaluate(api, x, batch, ctx);
  const out = typeOf(api, e, batch.schema);
  const arg0 = () => {
    const d = ev(e.args[0]!);
    return arrow.DataType.isNull(d.type) ? null : d;
  };
  switch (e.name) {
    case 'lower': { const d = arg0(); return d ? mapStrings(d, (s) => s.toLowerCase()) : nullData(out, n); }
    case 'upper': { const d = arg0(); return d ? mapStrings(d, (s) => s.toUpperCase()) : nullData(out, n); }
    // Spark's trim removes spaces (U+0020) only.
    case 'trim': { const d = arg0(); return d ? mapStrings(d, (s) => s.replace(/^ +| +$/g, '')) : nullData(out, n); }
    case 'ltrim': { const d = arg0(); return d ? mapStrings(d, (s) => s.replace(/^ +/, '')) : nullData(out, n); }
    case 'rtrim': { const d = arg0(); return d ? mapStrings(d, (s) => s.replace(/ +$/, '')) : nullData(out, n); }
    case 'length': {
      const d = arg0();
      if (!d) return nullData(out, n);
      const get = stringGetter(d);
      const res = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const s = get(i);
        if (s !== null) {
          let len = 0;
          for (const _ of s) len++; // code points, as Spark counts characters
          res[i] = len;
        }
      }
      return makePrimitive(out, res, validityBitmap(d));
    }
    case 'substring': {
      const d = arg0();
      const pos = Number(litArg(e, 1));
      const len = Number(litArg(e, 2));
      if (!d) return nullData(out, n);
      return mapStrings(d, (s) => {
        const cps = Array.from(s);
        const start = pos > 0 ? pos - 1 : pos < 0 ? Math.max(0, cps.length + pos) : 0;
        return cps.slice(start, Math.max(start, start + len)).join('');
      });
    }
    case 'regexp_replace': {
      const d = arg0();
      const re = jsRegex(`${api}: regexp_replace`, String(litArg(e, 1)));
      const rep = String(litArg(e, 2));
      return d ? mapStrings(d, (s) => s.replace(re, rep)) : nullData(out, n);
    }
    case 'regexp_extract': {
      const d = arg0();
      const re = jsRegex(`${api}: regexp_extract`, String(litArg(e, 1)), 'u');
      const idx = Number(litArg(e, 2));
      return d ? mapStrings(d, (s) => re.exec(s)?.[idx] ?? '') : nullData(out, n);
    }
    case 'split': {
      const d = arg0();
      if (!d) return nullData(out, n);
      const re = jsRegex(`${api}: split`, String(litArg(e, 1)), 'u');
      const limit = Number(litArg(e, 2));
      const get = stringGetter(d);
      const vals: Array<string[] | null> = new Array(n);
      for (let i = 0; i < n; i++) {
        const s = get(i);
        vals[i] = s === null ? null : javaSplit(s, re, limit);
      }
      return fromValues(out, vals);
    }
    case 'concat': case 'concat_ws': {
      const ws = e.name === 'concat_ws';
      const sep = ws ? String(litArg(e, 0)) : '';
      const cols = (ws ? e.args.slice(1) : e.args).map((a) => {
        const d = ev(a);
        const g = arrow.DataType.isNull(d.type) ? () => null : isStringType(d.type) ? stringGetter(d) : (() => { const g2 = getter(d); return (i: number) => castToString(d.type, g2(i)); })();
        return g as (i: number) => string | null;
      });
      const b = new StringColumnBuilder(n);
      for (let i = 0; i < n; i++) {
        const parts: string[] = [];
        let isNull = false;
        for (const g of cols) {
          const s = g(i);
          if (s === null) {
            if (!ws) { isNull = true; break; }
          } else parts.push(s);
        }
        b.push(isNull ? null : parts.join(sep));
      }
      return b.finish();
    }
    case 'contains': case 'startswith': case 'endswith': case 'like': case 'rlike': {
      const d = arg0();
      if (!d) return nullData(out, n);
      const get = stringGetter(d);
      const other = e.name === 'like' ? likeToRegex(String(litArg(e, 1))) : e.name === 'rlike' ? jsRegex(`${api}: rlike`, String(litArg(e, 1)), 'u') : null;
      const rhs = other ? null : stringGetter(castColumn(api, ev(e.args[1]!), Types.string()));
      const bits = new Uint8Array((n + 7) >> 3);
      const { bitmap } = bitmapFrom((i) => {
        const s = get(i);
        if (s === null) return false;
        let ok: boolean;
        if (other) ok = other.test(s);
        else {
          const t = rhs!(i);
          if (t === null) return false;
          ok = e.name === 'contains' ? s.includes(t) : e.name === 'startswith' ? s.startsWith(t) : s.endsWith(t);
        }
        if (ok) bits[i >> 3]! |= 1 << (i & 7);
        return true;
      }, n);
      return makeBool(bits, n, bitmap);
    }
    case 'abs': {
      const d = arg0();
      if (!d) return nullData(out, n);
      if (arrow.DataType.isFloat(d.type)) return toNumericType(mapDoubles(d, Math.abs), out);
      const vals = Array.from({ length: n }, (_, i) => { const v = getter(d)(i) as number | bigint | null; return v === null ? null : v < 0 ? -v : v; });
      return fromValues(out, vals);
    }
    case 'sqrt': { const d = arg0(); return d ? mapDoubles(d, Math.sqrt) : nullData(out, n); }
    case 'exp': { const d = arg0(); return d ? mapDoubles(d, Math.exp) : nullData(out, n); }
    case 'signum': { const d = arg0(); return d ? mapDoubles(d, Math.sign) : nullData(out, n); }
    case 'log': case 'log10': case 'log2': case 'log1p': {
      // Spark returns null for log of a non-positive number (log1p: x <= -1).
      const d = arg0();
      if (!d) return nullData(out, n);
      const x = numbers(d);
      const f = e.name === 'log' ? Math.log : e.name === 'log10' ? Math.log10 : e.name === 'log2' ? Math.log2 : Math.log1p;
      const lim = e.name === 'log1p' ? -1 : 0;
      const res = new Float64Array(n);
      const { bitmap } = bitmapFrom((i) => {
        if (!isValidAt(d, i) || !(x[i]! > lim)) return false;
        res[i] = f(x[i]!);
        return true;
      }, n);
      return makePrimitive(out, res, bitmap);
    }
    case 'logb': {
      const base = Number(litArg(e, 0));
      const d = ev(e.args[1]!);
      if (arrow.DataType.isNull(d.type)) return nullData(out, n);
      const x = numbers(d);
      const res = new Float64Array(n);
      const { bitmap } = bitmapFrom((i) => {
        if (!isValidAt(d, i) || !(x[i]! > 0) || !(base > 0)) return false;
        res[i] = Math.log(x[i]!) / Math.log(base);
        return true;
      }, n);
      return makePrimitive(out, res, bitmap);
    }
    case 'pow': {
      const a = ev(e.args[0]!);
      const b = ev(e.args[1]!);
      if (arrow.DataType.isNull(a.type) || arrow.DataType.isNull(b.type)) return nullData(out, n);
      const x = numbers(a);
      const y = numbers(b);
      const res = new Float64Array(n);
      for (let i = 0; i < n; i++) res[i] = Math.pow(x[i]!, y[i]!);
      return makePrimitive(out, res, andValidity(a, b, n));
    }
    case 'floor': case 'ceil': {
      const d = arg0();
      if (!d) return nullData(out, n);
      if (!arrow.DataType.isFloat(d.type)) return d;
      const x = numbers(d);
      const f = e.name === 'floor' ? Math.floor : Math.ceil;
      const res = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = f(x[i]!);
        res[i] = Number.isFinite(v) ? BigInt(v) : Number.isNaN(v) ? 0n : v > 0 ? 9223372036854775807n : -9223372036854775808n;
      }
      return makePrimitive(out, res, validityBitmap(d));
    }
    case 'round': {
      const d = arg0();
      if (!d) return nullData(out, n);
      const scale = Number(litArg(e, 1));
      if (!arrow.DataType.isFloat(d.type)) return d;
      // Spark rounds HALF_UP on the decimal representation.
      return toNumericType(mapDoubles(d, (v) => roundHalfUp(v, scale)), out);
    }
    case 'coalesce': case 'greatest': case 'least': {
      const cols = e.args.map((a) => coerce(api, ev(a), out));
      const gets = cols.map(getter);
      const vals: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) {
        let v: unknown = null;
        for (const g of gets) {
          const x = g(i);
          if (x === null) continue;
          if (e.name === 'coalesce') { v = x; break; }
          if (v === null) v = x;
          else {
            const c = typeof x === 'number' ? cmpNum(x, v as number) : (x as never) < (v as never) ? -1 : (x as never) > (v as never) ? 1 : 0;
            if ((e.name === 'greatest' && c > 0) || (e.name === 'least' && c < 0)) v = x;
          }
        }
        vals[i] = v;
      }
      return fromTyped(out, vals);
    }
    case 'size': {
      const d = arg0();
      const res = new Int32Array(n).fill(-1);
      if (d) {
        const off = d.valueOffsets as Int32Array;
        for (let i = 0; i < n; i++) if (isValidAt(d, i)) res[i] = off[i + 1]! - off[i]!;
      }
      return makePrimitive(out, res, null);
    }
    case 'array_contains': {
      const d = arg0();
      const target = litArg(e, 1);
      if (!d) return nullData(out, n);
      const vals = Array.from({ length: n }, (_, i) => {
        const v = valueAt(d, i) as unknown[] | null;
        return v === null ? null : v.includes(target as never);
      });
      return fromValues(out, vals);
    }
    case 'get_item': {
      const d = ev(e.args[0]!);
      const key = litArg(e, 1);
      if (arrow.DataType.isStruct(d.type)) {
        const j = d.type.children.findIndex((c) => c.name === key);
        const child = d.children[j]!;
        const idx = Int32Array.from({ length: n }, (_, i) => (isValidAt(d, i) ? i : -1));
        return takeChild(child, idx);
      }
      const vals = Array.from({ length: n }, (_, i) => {
        const v = valueAt(d, i) as unknown[] | null;
        return v === null ? null : (v[key as number] ?? null);
      });
      return fromValues(out, vals);
    }
    case 'struct': {
      const children = e.args.map((a) => ev(a));
      return arrow.makeData({ type: out as arrow.Struct, length: n, children, nullCount: 0 });
    }
    case 'rand': {
      const res = rowRandom(Number(litArg(e, 0)), ctx.partition, n);
      return makePrimitive(out, res, null);
    }
    case 'monotonically_increasing_id': {
      const res = new BigInt64Array(n);
      const base = BigInt(ctx.partition) << 33n;
      for (let i = 0; i < n; i++) res[i] = base + BigInt(i);
      return makePrimitive(out, res, null);
    }
    default:
      throw Errors.schema(`${api}: unknown function ${e.name}`);
  }
}

function takeChild(child: AnyData, idx: Int32Array): AnyData {
  const vals = Array.from(idx, (j) => (j >= 0 ? valueAt(child, j) : null));
  return fromValues(child.type, vals);
}

/** Java's String.split(regex, limit): limit 0 or less than 0 … Spark's split uses limit -1 by default (keeps trailing empties). */
function javaSplit(s: string, re: RegExp, limit: number): string[] {
  if (s.length === 0) return [''];
  const parts: string[] = [];
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = g.exec(s)) !== null) {
    if (limit > 0 && parts.length === limit - 1) break;
    if (m[0].length === 0) {
      if (m.index >= s.length) break;
      if (m.index === 0) { g.lastIndex++; continue; }
      parts.push(s.slice(last, m.index));
      last = m.index;
      g.lastIndex++;
      continue;
    }
    if (m.index === 0 && m[0].length > 0 && last === 0 && parts.length === 0) {
      // Java keeps a leading empty string for a non-zero-width match at position 0
      parts.push('');
      last = m.index + m[0].length;
      continue;
    }
    parts.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  parts.push(s.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Spark's round(): HALF_UP on the double's shortest decimal representation (2.675 → 2.68). */
export function roundHalfUp(v: number, scale: number): number {
  if (!Number.isFinite(v)) return v;
  const str = String(Math.abs(v));
  if (scale < 0 || str.includes('e')) {
    const f = 10 ** scale;
    const r = Math.round(Math.abs(v) * f) / f;
    return v < 0 ? -r : r;
  }
  const [ip, fp = ''] = str.split('.') as [string, string];
  if (fp.length <= scale) return v;
  const up = fp.charCodeAt(scale) >= 53; // '5'
  const digits = BigInt(ip + fp.slice(0, scale)) + (up ? 1n : 0n);
  const ds = digits.toString().padStart(scale + 1, '0');
  const r = Number(scale === 0 ? ds : `${ds.slice(0, ds.length - scale)}.${ds.slice(ds.length - scale)}`);
  return v < 0 ? -r : r;
}

export { getter as valueGetter, stringGetter, cmpNum, castColumn, numbers as numericValues, coerce as coerceColumn };
export type { Literal };
