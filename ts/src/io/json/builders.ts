/**
 * Arrow column builders for the JSON reader, the primitive ones: a growable builder per column
 * that converts parsed JSON values with Spark 3.5's JacksonParser rules (a bigint column refuses
 * 1.5 or "1", any JSON value read as a string column keeps its JSON text, base64 binary,
 * NaN/Infinity for floats, dates and timestamps from strings or epoch seconds) and can be
 * truncated back when a record turns out malformed. Lists and structs: nested-builders.ts.
 * Follows shared/ARCHITECTURE.md (Data: partitions are Arrow RecordBatches).
 */
import * as arrow from 'apache-arrow';
import { countNulls } from '../../dataframe/batch.js';
import { sparkTypeName } from '../../dataframe/types.js';
import { JNum, describeJson, fitsLong, jsonText, type JV } from './values.js';

/** A value that does not convert to its column's type (the message names value, type and column). */
export class ConvError extends Error {}

/** One output column being built. */
export interface JBuilder {
  readonly field: arrow.Field;
  length: number;
  appendNull(): void;
  /** Appends a non-null JSON value, or throws ConvError (after which the caller truncates). */
  append(v: JV): void;
  truncate(n: number): void;
  finish(): arrow.Data;
}

/** A bitmap with room for bit n (grown by doubling). */
export function growBits(a: Uint8Array, n: number): Uint8Array {
  const need = (n + 8) >> 3;
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export function setBit(a: Uint8Array, i: number, v: boolean): void {
  if (v) a[i >> 3]! |= 1 << (i & 7);
  else a[i >> 3]! &= ~(1 << (i & 7));
}


/** The date and timestamp parsers of the dateFormat / timestampFormat options. */
export interface Parsers {
  /** No dateFormat: Spark falls back to stringToDate, then to a day count (Spark 1.5 files). */
  lenientDate: boolean;
  date: (s: string) => number | null;
  ts: (s: string) => number | null;
}

type NumArr = Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | BigInt64Array;

const textEncoder = new TextEncoder();

/** A column of an atomic type (string, binary, boolean, integers, floats, date, timestamp). */
export class PrimBuilder implements JBuilder {
  length = 0;
  private valid: Uint8Array = new Uint8Array(64);
  private vals: NumArr;
  private bits: Uint8Array = new Uint8Array(64);
  private offs = new Int32Array(65);
  private data = new Uint8Array(1024);
  readonly tag: string;

  constructor(readonly field: arrow.Field, private readonly p: Parsers) {
    const t = field.type;
    this.tag = arrow.DataType.isUtf8(t) ? 'string' : arrow.DataType.isBinary(t) ? 'binary' : sparkTypeName(t);
    const A = this.arrayType();
    this.vals = new A(64);
  }

  private arrayType(): { new (n: number): NumArr } {
    switch (this.tag) {
      case 'tinyint': return Int8Array;
      case 'smallint': return Int16Array;
      case 'int': case 'date': return Int32Array;
      case 'bigint': case 'timestamp': return BigInt64Array;
      case 'float': return Float32Array;
      default: return Float64Array;
    }
  }

  private room(): void {
    const n = this.length;
    this.valid = growBits(this.valid, n);
    if (this.tag === 'boolean') this.bits = growBits(this.bits, n);
    else if (this.tag === 'string' || this.tag === 'binary') {
      if (n + 2 > this.offs.length) {
        const o = new Int32Array(this.offs.length * 2);
        o.set(this.offs);
        this.offs = o;
      }
    } else if (n >= this.vals.length) {
      const A = this.arrayType();
      const v = new A(this.vals.length * 2);
      v.set(this.vals as never);
      this.vals = v;
    }
  }

  appendNull(): void {
    this.room();
    setBit(this.valid, this.length, false);
    if (this.tag === 'string' || this.tag === 'binary') this.offs[this.length + 1] = this.offs[this.length]!;
    this.length++;
  }

  private bytes(u: Uint8Array): void {
    const start = this.offs[this.length]!;
    if (start + u.length > this.data.length) {
      const d = new Uint8Array(Math.max(this.data.length * 2, start + u.length));
      d.set(this.data.subarray(0, start));
      this.data = d;
    }
    this.data.set(u, start);
    this.offs[this.length + 1] = start + u.length;
  }

  private text(str: string): void {
    const start = this.offs[this.length]!;
    if (start + str.length * 3 > this.data.length) {
      const d = new Uint8Array(Math.max(this.data.length * 2, start + str.length * 3));
      d.set(this.data.subarray(0, start));
      this.data = d;
    }
    const { written } = textEncoder.encodeInto(str, this.data.subarray(start));
    this.offs[this.length + 1] = start + written;
  }

  append(v: JV): void {
    this.room();
    const i = this.length;
    const bad = failConversion;
    switch (this.tag) {
      case 'string':
        this.text(typeof v === 'string' ? v : jsonText(v));
        break;
      case 'binary': {
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 === 1) bad(v, this);
        this.bytes(new Uint8Array(Buffer.from(v as string, 'base64')));
        break;
      }
      case 'boolean':
        if (typeof v !== 'boolean') bad(v, this);
        setBit(this.bits, i, v as boolean);
        break;
      case 'tinyint': case 'smallint': case 'int': {
        if (!(v instanceof JNum) || v.kind !== 0) bad(v, this);
        const x = Number((v as JNum).raw);
        const lim = this.tag === 'tinyint' ? 128 : this.tag === 'smallint' ? 32768 : 2147483648;
        if (!(x >= -lim && x < lim)) bad(v, this);
        this.vals[i] = x;
        break;
      }
      case 'bigint': {
        if (!(v instanceof JNum) || v.kind !== 0 || !fitsLong(v.raw)) bad(v, this);
        (this.vals as BigInt64Array)[i] = BigInt((v as JNum).raw);
        break;
      }
      case 'float': case 'double': {
        let x: number;
        if (v instanceof JNum) x = v.kind === 2 ? nonNumeric(v.raw) : Number(v.raw);
        else if (typeof v === 'string' && NON_NUMERIC_STRINGS.has(v)) x = nonNumeric(v);
        else return bad(v, this);
        this.vals[i] = x;
        break;
      }
      case 'date': {
        let d: number | null = null;
        if (typeof v === 'string' && v !== '') {
          d = this.p.date(v);
          if (d === null && this.p.lenientDate && /^-?\d+$/.test(v)) d = Number(v);
        }
        if (d === null) bad(v, this);
        this.vals[i] = d!;
        break;
      }
      case 'timestamp': {
        let us: number | null = null;
        if (typeof v === 'string' && v !== '') us = this.p.ts(v);
        else if (v instanceof JNum && v.kind === 0 && fitsLong(v.raw)) {
          (this.vals as BigInt64Array)[i] = BigInt(v.raw) * 1_000_000n;
          break;
        }
        if (us === null) bad(v, this);
        (this.vals as BigInt64Array)[i] = BigInt(us!);
        break;
      }
      default:
        bad(v, this);
    }
    setBit(this.valid, i, true);
    this.length++;
  }

  truncate(n: number): void {
    this.length = Math.min(this.length, n);
  }

  finish(): arrow.Data {
    const n = this.length;
    const nullCount = countNulls(this.valid, n);
    const nullBitmap = nullCount > 0 ? this.valid.slice(0, (n + 7) >> 3) : undefined;
    const type = this.field.type;
    if (this.tag === 'string' || this.tag === 'binary') {
      const offs = this.offs.slice(0, n + 1);
      return arrow.makeData({ type: type as arrow.Utf8, length: n, nullCount, nullBitmap, valueOffsets: offs, data: this.data.slice(0, offs[n]!) });
    }
    if (this.tag === 'boolean') return arrow.makeData({ type: type as arrow.Bool, length: n, nullCount, nullBitmap, data: this.bits.slice(0, (n + 7) >> 3) });
    return arrow.makeData({ type: type as arrow.Int32, length: n, nullCount, nullBitmap, data: this.vals.slice(0, n) as Int32Array });
  }
}

function failConversion(v: JV, b: { readonly field: arrow.Field; readonly tag: string }): never {
  throw new ConvError(`cannot parse ${describeJson(v)} as ${b.tag} for column ${b.field.name}`);
}

const NON_NUMERIC_STRINGS = new Set(['NaN', '+INF', '+Infinity', 'Infinity', '-INF', '-Infinity']);
function nonNumeric(raw: string): number {
  return raw === 'NaN' ? NaN : raw.startsWith('-') ? -Infinity : Infinity;
}
