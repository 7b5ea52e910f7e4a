/**
 * CSV schema inference as Spark 3.5's CSVInferSchema does it: each field is tried along the
 * lattice null < int < bigint < double < date/timestamp < boolean < string and merged column by
 * column (preferDate: 'yyyy-MM-dd' infers date; dates mixed with timestamps become timestamp, or
 * string with a custom timestampFormat; all-null → string), header names made safe as
 * CSVUtils.makeSafeHeader does (empty/nullValue → `_c<i>`, case-insensitive duplicates get their
 * index). Without inferSchema every column is a string.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */
import * as arrow from 'apache-arrow';
import { KindlingRangeError, type KindlingError } from '../../errors.js';
import { Types } from '../../dataframe/types.js';
import { DEFAULT_DATE_FORMAT, compilePattern, makeTimestampParser, parseWithPattern } from '../text-common/datetime-patterns.js';
import { sampler } from '../text-common/reading.js';
import { NUM_BIG, NUM_OK, bytesEqual, parseJavaBoolean, parseJavaDouble, parseJavaLong, utf8String } from './field-parsers.js';
import type { CsvConfig } from './options.js';
import { RecordReader } from './record-reader.js';
import { F_QUOTED, F_SCRATCH, TOK_EOF, TOK_MORE, Tokenizer } from './tokenizer.js';

const T_NULL = 0;
const T_INT = 1;
const T_LONG = 2;
const T_DOUBLE = 3;
const T_DATE = 4;
const T_TIMESTAMP = 5;
const T_BOOL = 6;
const T_STRING = 7;
const LENIENT_DATE_FORMATS = new Set(['yyyy-MM-dd', 'yyyy-M-d', 'yyyy-M-dd', 'yyyy-MM-d', 'yyyy-MM', 'yyyy-M', 'yyyy']);

class Inferrer {
  private readonly strictDate: (s: string) => number | null;
  private readonly ts: (s: string) => number | null;
  private readonly dateTsMerge: number;

  constructor(private readonly cfg: CsvConfig) {
    const df = cfg.dateFormat ?? DEFAULT_DATE_FORMAT;
    const p = compilePattern('csv', 'dateFormat', df);
    this.strictDate = (s) => parseWithPattern(p, s);
    this.ts = makeTimestampParser('csv', cfg.timestampFormat);
    this.dateTsMerge = cfg.timestampFormat === undefined && LENIENT_DATE_FORMATS.has(df) ? T_TIMESTAMP : T_STRING;
  }

  /** CSVInferSchema.inferField on one token. */
  field(t: number, b: Uint8Array, s: number, e: number, quoted: boolean): number {
    if (s === e) {
      if (!quoted || this.cfg.emptyBytes.length === 0) return t;
      b = this.cfg.emptyBytes;
      s = 0;
      e = b.length;
    }
    if (bytesEqual(b, s, e, this.cfg.nullBytes)) return t;
    let r: number;
    switch (t) {
      case T_NULL: case T_INT: r = this.tryInt(b, s, e); break;
      case T_LONG: r = this.tryLong(b, s, e); break;
      case T_DOUBLE: r = this.tryDouble(b, s, e); break;
      case T_DATE: r = this.tryDate(b, s, e); break;
      case T_TIMESTAMP: r = this.tryTimestamp(b, s, e); break;
      case T_BOOL: r = this.tryBool(b, s, e); break;
      default: return T_STRING;
    }
    return this.merge(t, r);
  }

  merge(a: number, b: number): number {
    if (a === b) return a;
    if (a === T_NULL) return b;
    if (b === T_NULL) return a;
    if (a <= T_DOUBLE && b <= T_DOUBLE) return Math.max(a, b);
    if ((a === T_DATE && b === T_TIMESTAMP) || (a === T_TIMESTAMP && b === T_DATE)) return this.dateTsMerge;
    return T_STRING;
  }

  private tryInt(b: Uint8Array, s: number, e: number): number {
    const v = parseJavaLong(b, s, e);
    if (v === v && NUM_BIG === null && v >= -2147483648 && v <= 2147483647) return T_INT;
    return this.tryLong(b, s, e);
  }

  private tryLong(b: Uint8Array, s: number, e: number): number {
    const v = parseJavaLong(b, s, e);
    return v === v ? T_LONG : this.tryDouble(b, s, e);
  }

  private tryDouble(b: Uint8Array, s: number, e: number): number {
    parseJavaDouble(b, s, e);
    if (NUM_OK || bytesEqual(b, s, e, this.cfg.nanBytes) || bytesEqual(b, s, e, this.cfg.posInfBytes) || bytesEqual(b, s, e, this.cfg.negInfBytes)) return T_DOUBLE;
    return this.cfg.preferDate ? this.tryDate(b, s, e) : this.tryTimestamp(b, s, e);
  }

  private tryDate(b: Uint8Array, s: number, e: number): number {
    return this.strictDate(utf8String(b, s, e)) !== null ? T_DATE : this.tryTimestamp(b, s, e);
  }

  private tryTimestamp(b: Uint8Array, s: number, e: number): number {
    return this.ts(utf8String(b, s, e)) !== null ? T_TIMESTAMP : this.tryBool(b, s, e);
  }

  private tryBool(b: Uint8Array, s: number, e: number): number {
    return parseJavaBoolean(b, s, e) >= 0 ? T_BOOL : T_STRING;
  }
}

function inferredType(t: number): arrow.DataType {
  switch (t) {
    case T_INT: return Types.int();
    case T_LONG: return Types.bigint();
    case T_DOUBLE: return Types.double();
    case T_DATE: return Types.date();
    case T_TIMESTAMP: return Types.timestamp();
    case T_BOOL: return Types.boolean();
    default: return Types.string();
  }
}

/** Spark's CSVUtils/CSVDataSource.makeSafeHeader (case-insensitive duplicates get their index). */
function safeHeader(names: (string | null)[], cfg: CsvConfig): string[] {
  if (!cfg.header) return names.map((_, i) => `_c${i}`);
  const lower = names.filter((x): x is string => x !== null).map((x) => x.toLowerCase());
  const counts = new Map<string, number>();
  for (const l of lower) counts.set(l, (counts.get(l) ?? 0) + 1);
  return names.map((v, i) => {
    if (v === null || v === '' || v === cfg.nullValue) return `_c${i}`;
    if ((counts.get(v.toLowerCase()) ?? 0) > 1) return `${v}${i}`;
    return v;
  });
}

/** A header token as univocity hands it over: unquoted empty → nullValue, quoted empty → emptyValue. */
export function headerToken(rd: RecordReader, i: number, cfg: CsvConfig): string | null {
  const t = rd.tok;
  if (t.starts[i] === t.ends[i]) return t.flags[i]! & F_QUOTED ? cfg.emptyValue : cfg.nullValue;
  return rd.tokenString(i);
}

/** The schema of CSV files: header names (or `_c<i>`), types inferred over the sampled records when inferSchema is set. */
export async function inferCsvSchema(files: readonly string[], cfg: CsvConfig): Promise<arrow.Schema> {
  let names: string[] | null = null;
  let types: Uint8Array | null = null;
  const inferrer = new Inferrer(cfg);
  const take = sampler(cfg.samplingRatio);
  for (const file of files) {
    const rd = new RecordReader(file, new Tokenizer(cfg.syn), cfg.chunkSize, 'csv');
    await rd.open();
    try {
      let first = true;
      for (;;) {
        const r = rd.nextRecord();
        if (r === TOK_MORE) {
          await rd.fill();
          continue;
        }
        if (r === TOK_EOF) break;
        const tok = rd.tok;
        if (tok.tooManyColumns) throw tooManyColumns(file, rd.line, cfg);
        if (names === null) {
          const raw: (string | null)[] = [];
          for (let i = 0; i < tok.n; i++) raw.push(headerToken(rd, i, cfg));
          names = safeHeader(raw, cfg);
          types = new Uint8Array(names.length);
          if (!cfg.inferSchema) return stringSchema(names);
          first = false;
          if (cfg.header) continue;
        } else if (first) {
          first = false;
          if (cfg.header) continue;
        }
        if (!take()) continue;
        const n = Math.min(tok.n, types!.length);
        for (let i = 0; i < n; i++) {
          const src = tok.flags[i]! & F_SCRATCH ? tok.scratch : rd.buf;
          types![i] = inferrer.field(types![i]!, src, tok.starts[i]!, tok.ends[i]!, (tok.flags[i]! & F_QUOTED) !== 0);
        }
      }
    } finally {
      await rd.close();
    }
  }
  if (names === null) return new arrow.Schema([]);
  return new arrow.Schema(names.map((nm, i) => new arrow.Field(nm, inferredType(types![i]!), true)));
}

function stringSchema(names: string[]): arrow.Schema {
  return new arrow.Schema(names.map((n) => new arrow.Field(n, Types.string(), true)));
}

/** A record with more fields than maxColumns (always an error, in every mode). */
export function tooManyColumns(file: string, line: number, cfg: CsvConfig): KindlingError {
  return new KindlingRangeError(`csv: record at ${file} line ${line} has more than ${cfg.syn.maxColumns} columns (option maxColumns)`);
}
