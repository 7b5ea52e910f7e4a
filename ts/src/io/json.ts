/**
 * JSON-lines reader and writer with Apache Spark 3.5's JSON data source semantics.
 *
 * Why a hand-written JSON parser instead of JSON.parse: Spark's results depend on what
 * JSON.parse throws away — whether a number was written as an integer (`1` → bigint) or a
 * fraction (`1.0` → double), integers beyond 2^53, the literal text of numbers put in a string
 * column, NaN/Infinity tokens and single-quoted strings (both accepted by Spark's Jackson
 * settings) and a nesting limit instead of a stack overflow. Lines are read from fixed-size
 * chunks, one record at a time, and converted straight into Arrow column builders.
 *
 * Spark 3.5 behaviour reproduced (JsonInferSchema, JacksonParser, JacksonGenerator):
 * - inference: integers → bigint, fractions → double, true/false → boolean, strings → string
 *   ("" counts as null), objects → struct with fields sorted by name, arrays → array<merged>,
 *   conflicting types → string, all-null → string, empty structs dropped; primitivesAsString;
 *   a top-level array holds one record per element; unparsable lines add `_corrupt_record` in
 *   PERMISSIVE mode;
 * - reading: values must match the column type (a bigint column refuses 1.5 or "1"), any JSON
 *   value read as a string column keeps its JSON text, timestamps from strings or epoch seconds,
 *   partial results for root fields, corrupt lines in PERMISSIVE/DROPMALFORMED/FAILFAST;
 * - writing: one object per line, null fields omitted, doubles as Java's Double.toString
 *   (NaN/Infinity quoted), dates yyyy-MM-dd, timestamps yyyy-MM-dd'T'HH:mm:ss.SSSXXX (UTC).
 * Left out: decimal types (integers beyond bigint infer double), map types, timestamp
 * inference (Spark's inferTimestamp, off by default), encodings other than UTF-8.
 * multiLine=true reads each file as one JSON document (as Spark does), holding that file.
 */
import * as fs from 'node:fs';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError, KindlingTypeError } from '../errors.js';
import { Types, sparkTypeName } from '../dataframe/types.js';
import { DEFAULT_BATCH_SIZE, type DataSource, type ScanOptions } from './source.js';
import { type ParseMode, type OptionKind, normalizeOptions } from './text-common/options.js';
import { checkFiles, sampler, malformedError, scanPlan as _scanPlan } from './text-common/reading.js';
import { makeDateParser, makeTimestampParser, compilePattern, formatWithPattern, DEFAULT_DATE_FORMAT, DEFAULT_TIMESTAMP_FORMAT } from './text-common/datetime-patterns.js';
import { javaDoubleString, javaFloatString } from './text-common/java-format.js';
import { cellReader, TextSink, eachBatch } from './text-common/writing.js';
import { makeBatch as makeBatchOf } from '../dataframe/batch.js';
const makeBatch = (fields: readonly arrow.Field[], cols: readonly arrow.Data[], n: number) => makeBatchOf(new arrow.Schema([...fields]), cols, n);

type Flag = boolean | 'true' | 'false' | string;

export interface JsonOptions {
  mode?: ParseMode | string;
  columnNameOfCorruptRecord?: string;
  primitivesAsString?: Flag;
  samplingRatio?: number | string;
  dateFormat?: string;
  timestampFormat?: string;
  /** Each file is one JSON document (an object, or an array of objects). */
  multiLine?: Flag;
  encoding?: string;
  lineSep?: string;
  dropFieldIfAllNull?: Flag;
  allowSingleQuotes?: Flag;
  allowNonNumericNumbers?: Flag;
  /** Only UTC is supported. */
  timeZone?: string;
  /** @internal Bytes per read. */
  _chunkSize?: number;
}

export interface JsonWriteOptions {
  dateFormat?: string;
  timestampFormat?: string;
  ignoreNullFields?: Flag;
  lineSep?: string;
  encoding?: string;
  compression?: string;
  /** Only UTC is supported. */
  timeZone?: string;
}

// ───────────────────────────────────────────── parsed values ────────────────────────────────

/** A number with its literal text: kind 0 integer, 1 fraction/exponent, 2 NaN/Infinity token. */
class JNum {
  constructor(readonly raw: string, readonly kind: 0 | 1 | 2) {}
}
/** An object: keys in document order (duplicates kept; readers take the last). */
class JObj {
  keys: string[] = [];
  vals: JV[] = [];
}
type JV = null | boolean | string | JNum | JV[] | JObj;

class JsonSyntaxError extends Error {}

const MAX_DEPTH = 1000;

/** Parses one JSON document from a string with Spark's default Jackson features. */
class JsonText {
  private s = '';
  private i = 0;
  constructor(private readonly singleQuotes: boolean, private readonly nonNumeric: boolean) {}

  /** The document's value, or undefined for a blank input. Text after the value is ignored (as Jackson does). */
  parse(s: string): JV | undefined {
    this.s = s;
    this.i = 0;
    this.ws();
    if (this.i >= s.length) return undefined;
    return this.value(0);
  }

  private fail(what: string): never {
    const ch = this.i < this.s.length ? `character ${JSON.stringify(this.s[this.i])}` : 'end of input';
    throw new JsonSyntaxError(`${what}: unexpected ${ch} at position ${this.i + 1}`);
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
    this.i = i;
  }

  private value(depth: number): JV {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`);
    const s = this.s;
    const c = s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"' || (c === "'" && this.singleQuotes)) return this.string();
    if (c === 't' && s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (c === 'f' && s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (c === 'n' && s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    return this.number();
  }

  private object(depth: number): JObj {
    const o = new JObj();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return o;
    }
    for (;;) {
      const c = this.s[this.i];
      if (c !== '"' && !(c === "'" && this.singleQuotes)) this.fail('expected a field name');
      o.keys.push(this.string());
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      this.ws();
      o.vals.push(this.value(depth + 1));
      this.ws();
      const d = this.s[this.i];
      if (d === ',') {
        this.i++;
        this.ws();
        continue;
      }
      if (d === '}') {
        this.i++;
        return o;
      }
      this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number): JV[] {
    const a: JV[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return a;
    }
    for (;;) {
      a.push(this.value(depth + 1));
      this.ws();
      const d = this.s[this.i];
      if (d === ',') {
        this.i++;
        this.ws();
        continue;
      }
      if (d === ']') {
        this.i++;
        return a;
      }
      this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    const s = this.s;
    const q = s.charCodeAt(this.i);
    let i = this.i + 1;
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === q) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92 || c < 32) break;
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      if (i >= s.length) {
        this.i = i;
        this.fail('unterminated string');
      }
      const c = s.charCodeAt(i);
      if (c === q) {
        this.i = i + 1;
        return out;
      }
      if (c < 32) {
        this.i = i;
        this.fail('control character in a string');
      }
      if (c !== 92) {
        out += s[i];
        i++;
        continue;
      }
      const e = s[i + 1];
      i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case "'": if (this.singleQuotes) { out += "'"; break; } this.i = i - 1; this.fail('bad escape');
        // falls through (fail never returns)
        case 'u': {
          const h = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) {
            this.i = i;
            this.fail('bad \\u escape');
          }
          out += String.fromCharCode(parseInt(h, 16));
          i += 4;
          break;
        }
        default:
          this.i = i - 1;
          this.fail('bad escape');
      }
    }
  }

  private number(): JNum {
    const s = this.s;
    const st = this.i;
    let i = st;
    if (this.nonNumeric) {
      for (const w of ['NaN', 'Infinity', 'INF', '+Infinity', '+INF', '-Infinity', '-INF']) {
        if (s.startsWith(w, i) && !/[A-Za-z0-9]/.test(s[i + w.length] ?? '')) {
          this.i = i + w.length;
          return new JNum(w, 2);
        }
      }
    }
    if (s[i] === '-') i++;
    const ds = i;
    if (s[i] === '0') i++;
    else while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === ds) this.fail('expected a value');
    if (s[ds] === '0' && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) this.fail('leading zeros are not allowed');
    let kind: 0 | 1 = 0;
    if (s[i] === '.') {
      i++;
      const fs = i;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === fs) {
        this.i = i;
        this.fail('expected a digit after the decimal point');
      }
      kind = 1;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      const es = i;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === es) {
        this.i = i;
        this.fail('expected a digit in the exponent');
      }
      kind = 1;
    }
    const next = s[i];
    if (next !== undefined && /[A-Za-z0-9_.]/.test(next)) {
      this.i = i;
      this.fail('malformed number');
    }
    this.i = i;
    return new JNum(s.slice(st, i), kind);
  }
}

// ───────────────────────────────────────────── options ──────────────────────────────────────

const JSON_READ_SPEC: Record<string, OptionKind> = {
  mode: 'mode', columnNameOfCorruptRecord: 'string', primitivesAsString: 'bool', samplingRatio: 'ratio',
  dateFormat: 'format', timestampFormat: 'format', multiLine: 'bool', encoding: 'encoding', lineSep: 'lineSep',
  dropFieldIfAllNull: 'bool', allowSingleQuotes: 'bool', allowNonNumericNumbers: 'bool', timeZone: 'timeZone', _chunkSize: 'size',
};

interface JsonConfig {
  mode: ParseMode;
  corruptName: string;
  primitivesAsString: boolean;
  samplingRatio: number;
  dateFormat: string | undefined;
  timestampFormat: string | undefined;
  multiLine: boolean;
  lineSep: string | undefined;
  dropFieldIfAllNull: boolean;
  singleQuotes: boolean;
  nonNumeric: boolean;
  chunkSize: number;
}

function jsonConfig(options: unknown): JsonConfig {
  const o = normalizeOptions('json', options, JSON_READ_SPEC, { charset: 'encoding' });
  const bool = (k: string, d: boolean) => (o.has(k) ? (o.get(k) as boolean) : d);
  return {
    mode: (o.get('mode') as ParseMode | undefined) ?? 'PERMISSIVE',
    corruptName: o.has('columnNameOfCorruptRecord') ? (o.get('columnNameOfCorruptRecord') as string) : '_corrupt_record',
    primitivesAsString: bool('primitivesAsString', false),
    samplingRatio: o.has('samplingRatio') ? (o.get('samplingRatio') as number) : 1,
    dateFormat: o.get('dateFormat') as string | undefined,
    timestampFormat: o.get('timestampFormat') as string | undefined,
    multiLine: bool('multiLine', false),
    lineSep: o.get('lineSep') as string | undefined,
    dropFieldIfAllNull: bool('dropFieldIfAllNull', false),
    singleQuotes: bool('allowSingleQuotes', true),
    nonNumeric: bool('allowNonNumericNumbers', true),
    chunkSize: o.has('_chunkSize') ? (o.get('_chunkSize') as number) : 4 << 20,
  };
}

// ───────────────────────────────────────────── line reading ─────────────────────────────────

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** One line (or, in multiLine mode, one file) at a time: text, or an error for invalid UTF-8. */
class LineReader {
  private buf: Uint8Array;
  private pos = 0;
  private end = 0;
  private eof = false;
  private fh: fs.promises.FileHandle | null = null;
  private nextLine = 1;
  private first = true;
  /** Position of the next CR at or after pos (end when none is buffered); -1 unknown. */
  private crAt = -1;
  line = 1;
  text = '';
  bad: string | null = null;

  constructor(readonly file: string, private readonly cfg: JsonConfig) {
    this.buf = new Uint8Array(cfg.chunkSize);
  }

  async open(): Promise<void> {
    try {
      this.fh = await fs.promises.open(this.file, 'r');
    } catch (e) {
      throw new KindlingError('ERR_KINDLING_INVALID_ARG', `json: cannot read ${this.file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close();
  }

  private async fill(): Promise<void> {
    this.crAt = -1;
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
      this.end -= this.pos;
      this.pos = 0;
    }
    if (this.end === this.buf.length) {
      const nb = new Uint8Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    const { bytesRead } = await this.fh!.read(this.buf, this.end, this.buf.length - this.end, null);
    if (bytesRead === 0) this.eof = true;
    this.end += bytesRead;
  }

  private decode(s: number, e: number): void {
    let b = this.buf.subarray(s, e);
    if (this.first) {
      this.first = false;
      if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    }
    try {
      this.text = fatalUtf8.decode(b);
      this.bad = null;
    } catch {
      this.text = new TextDecoder('utf-8').decode(b);
      this.bad = 'invalid UTF-8';
    }
  }

  /** Advances to the next line (or the whole file in multiLine mode); false at the end. */
  async next(): Promise<boolean> {
    if (this.cfg.multiLine) {
      if (!this.first) return false;
      while (!this.eof) await this.fill();
      this.decode(0, this.end);
      this.line = 1;
      return true;
    }
    const ls = this.cfg.lineSep;
    for (;;) {
      const b = this.buf;
      let e = -1;
      let next = -1;
      if (ls === undefined || ls === '\r\n') {
        // native searches for LF and (cached) CR: a line ends at LF, CRLF or a lone CR
        let nl = b.indexOf(10, this.pos);
        if (nl >= this.end) nl = -1;
        if (this.crAt < this.pos) {
          const cr = b.indexOf(13, this.pos);
          this.crAt = cr >= 0 && cr < this.end ? cr : this.end;
        }
        const cr = this.crAt < this.end ? this.crAt : -1;
        if (cr >= 0 && (nl < 0 || cr < nl)) {
          if (cr + 1 < this.end || this.eof) {
            e = cr;
            next = b[cr + 1] === 10 && cr + 1 < this.end ? cr + 2 : cr + 1;
          }
        } else if (nl >= 0) {
          e = nl;
          next = nl + 1;
        }
      } else {
        const t = ls.charCodeAt(0);
        const i = b.indexOf(t, this.pos);
        if (i >= 0 && i < this.end) {
          e = i;
          next = i + 1;
        }
      }
      if (e < 0) {
        if (!this.eof) {
          await this.fill();
          continue;
        }
        if (this.pos >= this.end) return false;
        e = this.end;
        next = this.end;
      }
      this.decode(this.pos, e);
      this.pos = next;
      this.line = this.nextLine++;
      return true;
    }
  }
}

// ───────────────────────────────────────────── inference ────────────────────────────────────

type JT =
  | { k: 'null' } | { k: 'bool' } | { k: 'long' } | { k: 'double' } | { k: 'string' }
  | { k: 'array'; e: JT } | { k: 'struct'; f: [string, JT][] };
const J_NULL: JT = { k: 'null' };
const J_BOOL: JT = { k: 'bool' };
const J_LONG: JT = { k: 'long' };
const J_DOUBLE: JT = { k: 'double' };
const J_STRING: JT = { k: 'string' };
const EMPTY_STRUCT: JT = { k: 'struct', f: [] };

const byName = (a: [string, JT], b: [string, JT]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function fitsLong(raw: string): boolean {
  const digits = raw.replace(/^-/, '');
  if (digits.length < 19) return true;
  if (digits.length > 19) return false;
  const v = BigInt(raw);
  return v >= -(2n ** 63n) && v <= 2n ** 63n - 1n;
}

function inferValue(v: JV, cfg: JsonConfig): JT {
  if (v === null) return J_NULL;
  if (typeof v === 'boolean') return cfg.primitivesAsString ? J_STRING : J_BOOL;
  if (typeof v === 'string') return v === '' ? J_NULL : J_STRING;
  if (v instanceof JNum) {
    if (cfg.primitivesAsString) return J_STRING;
    return v.kind === 0 && fitsLong(v.raw) ? J_LONG : J_DOUBLE;
  }
  if (Array.isArray(v)) {
    let e: JT = J_NULL;
    for (const x of v) e = compatible(e, inferValue(x, cfg));
    return { k: 'array', e };
  }
  const seen = new Map<string, JT>();
  for (let i = 0; i < v.keys.length; i++) {
    const t = inferValue(v.vals[i]!, cfg);
    const prev = seen.get(v.keys[i]!);
    seen.set(v.keys[i]!, prev === undefined ? t : compatible(prev, t));
  }
  return { k: 'struct', f: [...seen.entries()].sort(byName) };
}

/** JsonInferSchema.compatibleType. */
function compatible(a: JT, b: JT): JT {
  if (a === b || (a.k === b.k && a.k !== 'array' && a.k !== 'struct')) return a;
  if (a.k === 'null') return b;
  if (b.k === 'null') return a;
  if ((a.k === 'long' && b.k === 'double') || (a.k === 'double' && b.k === 'long')) return J_DOUBLE;
  if (a.k === 'struct' && b.k === 'struct') {
    if (a.f.length === b.f.length) {
      // the common case: same fields; keep `a` when nothing widens
      let same = true;
      for (let i = 0; i < a.f.length && same; i++) same = a.f[i]![0] === b.f[i]![0] && compatible(a.f[i]![1], b.f[i]![1]) === a.f[i]![1];
      if (same) return a;
    }
    const out: [string, JT][] = [];
    let i = 0;
    let j = 0;
    while (i < a.f.length && j < b.f.length) {
      const c = byName(a.f[i]!, b.f[j]!);
      if (c === 0) {
        out.push([a.f[i]![0], compatible(a.f[i]![1], b.f[j]![1])]);
        i++;
        j++;
      } else if (c < 0) out.push(a.f[i++]!);
      else out.push(b.f[j++]!);
    }
    while (i < a.f.length) out.push(a.f[i++]!);
    while (j < b.f.length) out.push(b.f[j++]!);
    return { k: 'struct', f: out };
  }
  if (a.k === 'array' && b.k === 'array') {
    const e = compatible(a.e, b.e);
    return e === a.e ? a : { k: 'array', e };
  }
  return J_STRING;
}

/** JsonInferSchema.compatibleRootType. */
function compatibleRoot(a: JT, b: JT, cfg: JsonConfig, where: () => string): JT {
  if (a.k === 'array') return compatibleRoot(a.e, b, cfg, where);
  if (b.k === 'array') return compatibleRoot(a, b.e, cfg, where);
  if (a.k === 'struct' && b.k === 'null') return a;
  if (a.k === 'null' && b.k === 'struct') return b;
  if (a.k === 'struct' && b.k !== 'struct') return withCorrupt(a, b, cfg, where);
  if (b.k === 'struct' && a.k !== 'struct') return withCorrupt(b, a, cfg, where);
  return compatible(a, b);
}

function withCorrupt(s: Extract<JT, { k: 'struct' }>, other: JT, cfg: JsonConfig, where: () => string): JT {
  if (cfg.mode === 'FAILFAST') throw malformedError('json', ...whereParts(where()), `a top-level ${other.k} value is not a record`, 'FAILFAST');
  if (cfg.mode === 'DROPMALFORMED' || s.f.some(([n]) => n === cfg.corruptName)) return s;
  return { k: 'struct', f: [...s.f, [cfg.corruptName, J_STRING] as [string, JT]].sort(byName) };
}

function whereParts(w: string): [string, number] {
  const k = w.lastIndexOf('\u0000');
  return [w.slice(0, k), Number(w.slice(k + 1))];
}

/** canonicalizeType: null → string (or dropped), empty structs dropped. */
function canonical(t: JT, cfg: JsonConfig): JT | null {
  if (t.k === 'array') {
    const e = canonical(t.e, cfg);
    return e === null ? null : { k: 'array', e };
  }
  if (t.k === 'struct') {
    const f: [string, JT][] = [];
    for (const [n, ft] of t.f) {
      if (n === '') continue;
      const c = canonical(ft, cfg);
      if (c !== null) f.push([n, c]);
    }
    return f.length === 0 ? null : { k: 'struct', f };
  }
  if (t.k === 'null') return cfg.dropFieldIfAllNull ? null : J_STRING;
  return t;
}

function arrowType(t: JT): arrow.DataType {
  switch (t.k) {
    case 'bool': return Types.boolean();
    case 'long': return Types.bigint();
    case 'double': return Types.double();
    case 'array': return Types.array(arrowType(t.e));
    case 'struct': return new arrow.Struct(t.f.map(([n, ft]) => new arrow.Field(n, arrowType(ft), true)));
    default: return Types.string();
  }
}

async function inferJsonSchema(files: readonly string[], cfg: JsonConfig): Promise<arrow.Schema> {
  const parser = new JsonText(cfg.singleQuotes, cfg.nonNumeric);
  const take = sampler(cfg.samplingRatio);
  let root: JT = EMPTY_STRUCT;
  for (const file of files) {
    const rd = new LineReader(file, cfg);
    await rd.open();
    try {
      while (await rd.next()) {
        const where = () => `${file}\u0000${rd.line}`;
        let t: JT;
        try {
          if (rd.bad !== null) throw new JsonSyntaxError(rd.bad);
          const v = parser.parse(rd.text);
          if (v === undefined) continue;
          if (!take()) continue;
          t = inferValue(v, cfg);
        } catch (e) {
          if (!(e instanceof JsonSyntaxError)) throw e;
          if (!take()) continue;
          if (cfg.mode === 'FAILFAST') throw malformedError('json', file, rd.line, e.message, 'FAILFAST');
          if (cfg.mode === 'DROPMALFORMED') continue;
          t = { k: 'struct', f: [[cfg.corruptName, J_STRING]] };
        }
        root = compatibleRoot(root, t, cfg, where);
      }
    } finally {
      await rd.close();
    }
  }
  const c = canonical(root, cfg);
  if (c === null || c.k !== 'struct') return new arrow.Schema([]);
  return new arrow.Schema(c.f.map(([n, ft]) => new arrow.Field(n, arrowType(ft), true)));
}

// ───────────────────────────────────────────── builders ─────────────────────────────────────

class ConvError extends Error {}

interface JBuilder {
  readonly field: arrow.Field;
  length: number;
  appendNull(): void;
  /** Appends a non-null JSON value, or throws ConvError (after which the caller truncates). */
  append(v: JV): void;
  truncate(n: number): void;
  finish(): arrow.Data;
}

function growBits(a: Uint8Array, n: number): Uint8Array {
  const need = (n + 8) >> 3;
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

function setBit(a: Uint8Array, i: number, v: boolean): void {
  if (v) a[i >> 3]! |= 1 << (i & 7);
  else a[i >> 3]! &= ~(1 << (i & 7));
}

function countNulls(valid: Uint8Array, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (((valid[i >> 3]! >> (i & 7)) & 1) === 0) c++;
  return c;
}

interface Parsers {
  /** No dateFormat: Spark falls back to stringToDate, then to a day count (Spark 1.5 files). */
  lenientDate: boolean;
  date: (s: string) => number | null;
  ts: (s: string) => number | null;
}

type NumArr = Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | BigInt64Array;

const textEncoder = new TextEncoder();

class PrimBuilder implements JBuilder {
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

class ListBuilder implements JBuilder {
  length = 0;
  private valid: Uint8Array = new Uint8Array(64);
  private offs = new Int32Array(65);
  constructor(readonly field: arrow.Field, private readonly child: JBuilder) {}

  private room(): void {
    this.valid = growBits(this.valid, this.length);
    if (this.length + 2 > this.offs.length) {
      const o = new Int32Array(this.offs.length * 2);
      o.set(this.offs);
      this.offs = o;
    }
  }

  appendNull(): void {
    this.room();
    setBit(this.valid, this.length, false);
    this.offs[this.length + 1] = this.child.length;
    this.length++;
  }

  append(v: JV): void {
    if (!Array.isArray(v)) throw new ConvError(`cannot parse ${describeJson(v)} as ${sparkTypeName(this.field.type)} for column ${this.field.name}`);
    this.room();
    for (const x of v) {
      if (x === null) this.child.appendNull();
      else this.child.append(x);
    }
    setBit(this.valid, this.length, true);
    this.offs[this.length + 1] = this.child.length;
    this.length++;
  }

  truncate(n: number): void {
    if (n >= this.length) return;
    this.length = n;
    this.child.truncate(this.offs[n]!);
  }

  finish(): arrow.Data {
    const n = this.length;
    const nullCount = countNulls(this.valid, n);
    const child = this.child.finish();
    return arrow.makeData({
      type: this.field.type as arrow.List, length: n, nullCount, nullBitmap: nullCount > 0 ? this.valid.slice(0, (n + 7) >> 3) : undefined,
      valueOffsets: this.offs.slice(0, n + 1), child,
    });
  }
}

class StructBuilder implements JBuilder {
  length = 0;
  private valid: Uint8Array = new Uint8Array(64);
  private readonly index = new Map<string, number>();
  constructor(readonly field: arrow.Field, private readonly children: JBuilder[]) {
    children.forEach((c, k) => this.index.set(c.field.name, k));
  }

  appendNull(): void {
    this.valid = growBits(this.valid, this.length);
    setBit(this.valid, this.length, false);
    for (const c of this.children) c.appendNull();
    this.length++;
  }

  append(v: JV): void {
    if (!(v instanceof JObj)) throw new ConvError(`cannot parse ${describeJson(v)} as ${sparkTypeName(this.field.type)} for column ${this.field.name}`);
    const last = lastValues(v, this.index, this.children.length);
    for (let k = 0; k < this.children.length; k++) {
      const x = last[k];
      if (x === undefined || x === null) this.children[k]!.appendNull();
      else this.children[k]!.append(x);
    }
    this.valid = growBits(this.valid, this.length);
    setBit(this.valid, this.length, true);
    this.length++;
  }

  truncate(n: number): void {
    if (n >= this.length) return;
    this.length = n;
    for (const c of this.children) c.truncate(n);
  }

  finish(): arrow.Data {
    const n = this.length;
    const nullCount = countNulls(this.valid, n);
    return arrow.makeData({
      type: this.field.type as arrow.Struct, length: n, nullCount, nullBitmap: nullCount > 0 ? this.valid.slice(0, (n + 7) >> 3) : undefined,
      children: this.children.map((c) => c.finish()),
    });
  }
}

/** The value of each wanted field (last occurrence wins, as JacksonParser's row.update). */
function lastValues(o: JObj, index: Map<string, number>, n: number): (JV | undefined)[] {
  const out: (JV | undefined)[] = new Array(n);
  for (let i = 0; i < o.keys.length; i++) {
    const k = index.get(o.keys[i]!);
    if (k !== undefined) out[k] = o.vals[i]!;
  }
  return out;
}

function makeBuilder(f: arrow.Field, p: Parsers): JBuilder {
  const t = f.type;
  if (arrow.DataType.isList(t)) return new ListBuilder(f, makeBuilder(t.children[0]!, p));
  if (arrow.DataType.isStruct(t)) return new StructBuilder(f, t.children.map((c) => makeBuilder(c, p)));
  return new PrimBuilder(f, p);
}

function checkReadable(f: arrow.Field, corruptName: string, top: boolean): void {
  const t = f.type;
  if (top && f.name === corruptName) {
    if (!arrow.DataType.isUtf8(t) || !f.nullable) throw new KindlingTypeError(`json: the corrupt record column ${f.name} must be a nullable string, got ${sparkTypeName(t)}`, 'ERR_KINDLING_SCHEMA');
    return;
  }
  if (arrow.DataType.isList(t)) return checkReadable(t.children[0]!, corruptName, false);
  if (arrow.DataType.isStruct(t)) {
    for (const c of t.children) checkReadable(c, corruptName, false);
    return;
  }
  const name = sparkTypeName(t);
  const ok = arrow.DataType.isUtf8(t) || arrow.DataType.isBinary(t) || ['boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double'].includes(name)
    || (arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY) || (arrow.DataType.isTimestamp(t) && t.unit === arrow.TimeUnit.MICROSECOND);
  if (!ok || (arrow.DataType.isInt(t) && !t.isSigned)) {
    throw new KindlingTypeError(`json: column ${f.name} has type ${name}, which the JSON data source cannot read`, 'ERR_KINDLING_SCHEMA');
  }
}

// ───────────────────────────────────────────── JSON text of values ──────────────────────────

const HEX = '0123456789ABCDEF';
/** A JSON string literal as Jackson writes it (control characters escaped, non-ASCII kept). */
export function jsonQuote(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/["\\\u0000-\u001f]/.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c >= 32) out += s[i];
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
  }
  return out + '"';
}

/** Compact JSON text of a parsed value (what Spark stores when a string column receives non-string JSON). */
function jsonText(v: JV): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return jsonQuote(v);
  if (v instanceof JNum) {
    if (v.kind === 2) return jsonQuote(v.raw === 'NaN' ? 'NaN' : v.raw.startsWith('-') ? '-Infinity' : 'Infinity');
    return v.kind === 0 && v.raw === '-0' ? '0' : v.raw;
  }
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  const parts: string[] = [];
  for (let i = 0; i < v.keys.length; i++) parts.push(`${jsonQuote(v.keys[i]!)}:${jsonText(v.vals[i]!)}`);
  return `{${parts.join(',')}}`;
}

function describeJson(v: JV): string {
  const t = jsonText(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

// ───────────────────────────────────────────── the source ───────────────────────────────────

/**
 * Opens JSON-lines files (or, with multiLine, one JSON document per file) as a DataSource.
 * The schema is `schema` when given, else inferred from every record as Spark does.
 */
export async function jsonSource(paths: readonly string[], options?: JsonOptions, schema?: arrow.Schema): Promise<DataSource> {
  const cfg = jsonConfig(options);
  const files = await checkFiles('json', paths);
  if (schema !== undefined && !(schema instanceof arrow.Schema)) throw Errors.invalidArg('json', 'schema', 'an apache-arrow Schema', schema);
  const full = schema ?? (await inferJsonSchema(files, cfg));
  for (const f of full.fields) checkReadable(f, cfg.corruptName, true);
  const shown = files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')}, … ${files.length} files`;
  return {
    schema: full,
    description: `json [${shown}]`,
    files,
    scan: (scan?: ScanOptions) => {
      const { fields, batchSize } = _scanPlan('json', full, scan);
      return { [Symbol.asyncIterator]: () => jsonBatches(files, cfg, fields, batchSize) };
    },
  };
}

async function* jsonBatches(files: readonly string[], cfg: JsonConfig, fields: arrow.Field[], batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  const parsers: Parsers = { lenientDate: cfg.dateFormat === undefined, date: makeDateParser('json', cfg.dateFormat), ts: makeTimestampParser('json', cfg.timestampFormat) };
  const parser = new JsonText(cfg.singleQuotes, cfg.nonNumeric);
  const corruptAt = fields.findIndex((f) => f.name === cfg.corruptName);
  let builders: JBuilder[] = [];
  const index = new Map<string, number>();
  fields.forEach((f, k) => {
    if (k !== corruptAt) index.set(f.name, k);
  });
  let rows = 0;
  const reset = () => {
    builders = fields.map((f, k) => (k === corruptAt ? new PrimBuilder(f, parsers) : makeBuilder(f, parsers)));
    rows = 0;
  };
  reset();
  const take = () => {
    const b = makeBatch(fields, builders.map((x) => x.finish()), rows);
    reset();
    return b;
  };
  /** Appends one record; returns the first conversion error (the row stays, partially filled). */
  const addRecord = (o: JObj): string | null => {
    const last = lastValues(o, index, fields.length);
    let err: string | null = null;
    for (let k = 0; k < fields.length; k++) {
      if (k === corruptAt) continue;
      const b = builders[k]!;
      const v = last[k];
      if (v === undefined || v === null) {
        b.appendNull();
        continue;
      }
      const before = b.length;
      try {
        b.append(v);
      } catch (e) {
        if (!(e instanceof ConvError)) throw e;
        b.truncate(before);
        b.appendNull();
        err ??= e.message;
      }
    }
    return err;
  };
  for (const file of files) {
    const rd = new LineReader(file, cfg);
    await rd.open();
    try {
      while (await rd.next()) {
        let problem: string | null = rd.bad;
        let recs: JObj[] = [];
        if (problem === null) {
          try {
            const v = parser.parse(rd.text);
            if (v === undefined) continue;
            if (v instanceof JObj) recs = [v];
            else if (Array.isArray(v) && v.every((x) => x instanceof JObj)) recs = v as JObj[];
            else problem = Array.isArray(v) ? 'a top-level array holds a non-object element' : `a top-level ${v === null ? 'null' : typeof v === 'object' ? 'number' : typeof v} value is not a record`;
          } catch (e) {
            if (!(e instanceof JsonSyntaxError)) throw e;
            problem = e.message;
          }
        }
        if (problem === null && recs.length === 0) continue;
        const start = rows;
        const marks = builders.map((b) => b.length);
        let bad = problem !== null;
        if (!bad) {
          for (const o of recs) {
            const err = addRecord(o);
            rows++;
            if (err !== null) {
              problem ??= err;
              bad = true;
              if (recs.length > 1) break;
            }
          }
        }
        if (bad) {
          if (cfg.mode === 'FAILFAST') throw malformedError('json', file, rd.line, problem!, 'FAILFAST');
          if (cfg.mode === 'DROPMALFORMED') {
            builders.forEach((b, k) => b.truncate(marks[k]!));
            rows = start;
            continue;
          }
          // PERMISSIVE: one row per bad line; a single object keeps its parsed fields (partial results)
          if (!(recs.length === 1 && rows === start + 1)) {
            builders.forEach((b, k) => b.truncate(marks[k]!));
            for (let k = 0; k < fields.length; k++) if (k !== corruptAt) builders[k]!.appendNull();
            rows = start + 1;
          }
          if (corruptAt >= 0) builders[corruptAt]!.append(rd.text);
        } else if (corruptAt >= 0) {
          for (let r = start; r < rows; r++) builders[corruptAt]!.appendNull();
        }
        if (rows >= batchSize) yield take();
      }
    } finally {
      await rd.close();
    }
  }
  if (rows > 0) yield take();
}

// ───────────────────────────────────────────── writing ──────────────────────────────────────

const JSON_WRITE_SPEC: Record<string, OptionKind> = {
  dateFormat: 'format', timestampFormat: 'format', ignoreNullFields: 'bool', lineSep: 'lineSep', encoding: 'encoding', compression: 'compression', timeZone: 'timeZone',
};

/**
 * Writes one JSON-lines part file as Spark's JacksonGenerator does: one object per row in
 * schema order, null fields omitted (ignoreNullFields), nested structs and arrays, doubles as
 * Java's Double.toString, dates and timestamps with dateFormat / timestampFormat (UTC).
 */
export async function writeJsonPart(
  file: string,
  schema: arrow.Schema,
  batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>,
  options?: JsonWriteOptions,
): Promise<void> {
  const o = normalizeOptions('json', options, JSON_WRITE_SPEC, { charset: 'encoding', codec: 'compression' });
  if (!(schema instanceof arrow.Schema)) throw Errors.invalidArg('json', 'schema', 'an apache-arrow Schema', schema);
  const datePat = compilePattern('json', 'dateFormat', (o.get('dateFormat') as string | undefined) ?? DEFAULT_DATE_FORMAT);
  const tsPat = compilePattern('json', 'timestampFormat', (o.get('timestampFormat') as string | undefined) ?? DEFAULT_TIMESTAMP_FORMAT);
  const ignoreNulls = (o.get('ignoreNullFields') as boolean | undefined) ?? true;
  const lineSep = (o.get('lineSep') as string | undefined) ?? '\n';
  const fields = schema.fields;
  const render = (t: arrow.DataType, v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (arrow.DataType.isStruct(t)) {
      const parts: string[] = [];
      for (const [k, [name, x]] of (v as [string, unknown][]).entries()) {
        if ((x === null || x === undefined) && ignoreNulls) continue;
        parts.push(`${jsonQuote(name)}:${render(t.children[k]!.type, x)}`);
      }
      return `{${parts.join(',')}}`;
    }
    if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t)) {
      const et = t.children[0]!.type;
      return `[${(v as unknown[]).map((x) => render(et, x)).join(',')}]`;
    }
    if (arrow.DataType.isFloat(t)) {
      const x = v as number;
      const s = t.precision === arrow.Precision.DOUBLE ? javaDoubleString(x) : javaFloatString(x);
      return Number.isFinite(x) ? s : `"${s}"`;
    }
    if (arrow.DataType.isDate(t)) return jsonQuote(formatWithPattern(datePat, (v as { days: number }).days * 86_400_000_000));
    if (arrow.DataType.isTimestamp(t)) return jsonQuote(formatWithPattern(tsPat, (v as { micros: number }).micros));
    if (v instanceof Uint8Array) return `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"`;
    if (typeof v === 'string') return jsonQuote(v);
    return String(v);
  };
  const names = fields.map((f) => jsonQuote(f.name));
  const sink = await TextSink.open('json', file);
  try {
    for await (const batch of eachBatch('json', schema, batches)) {
      const readers = fields.map((f, k) => cellReader('json', f.name, batch.data.children[k]!, true));
      const types = batch.data.children.map((c) => c.type);
      for (let i = 0; i < batch.numRows; i++) {
        const parts: string[] = [];
        for (let k = 0; k < readers.length; k++) {
          const v = readers[k]!(i);
          if ((v === null || v === undefined) && ignoreNulls) continue;
          parts.push(`${names[k]}:${render(types[k]!, v)}`);
        }
        sink.push(`{${parts.join(',')}}${lineSep}`);
        if (sink.pending > 1 << 20) await sink.flush();
      }
    }
  } finally {
    await sink.close();
  }
}

