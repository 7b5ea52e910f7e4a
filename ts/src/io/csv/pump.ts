/**
 * The CSV reader's hot loop: converts tokenized records into Arrow columns (columns.ts) with
 * Spark 3.5's UnivocityParser and FailureSafeParser rules — unquoted empty → nullValue, quoted
 * empty → emptyValue, nanValue / positiveInf / negativeInf, the header check of
 * enforceSchema=false, and the parse modes: PERMISSIVE keeps partial results (bad fields null,
 * short rows padded, long rows cut) and puts the raw record in the corrupt-record column,
 * DROPMALFORMED drops, FAILFAST throws.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */
import * as arrow from 'apache-arrow';
import { KindlingError } from '../../errors.js';
import { makeBatch } from '../../dataframe/batch.js';
import { sparkTypeName } from '../../dataframe/types.js';
import { makeDateParser, makeTimestampParser } from '../text-common/datetime-patterns.js';
import { malformedError, quoteDatum } from '../text-common/reading.js';
import { ColBuilder, K_BINARY, K_BOOL, K_DATE, K_DOUBLE, K_FLOAT, K_INT16, K_INT32, K_INT64, K_INT8, K_STRING, K_TIMESTAMP, kindOf } from './columns.js';
import { NUM_BIG, NUM_OK, bytesEqual, parseJavaBoolean, parseJavaDouble, parseJavaLong, utf8String } from './field-parsers.js';
import { headerToken, tooManyColumns } from './infer.js';
import type { CsvConfig } from './options.js';
import type { RecordReader } from './record-reader.js';
import { F_QUOTED, F_SCRATCH, TOK_RECORD } from './tokenizer.js';

/** CsvPump.run's result when the batch is full (the other results are the tokenizer's TOK_MORE / TOK_EOF). */
export const FULL = 3;

/** Converts tokenized records into Arrow columns; the hot loop of the reader. */
export class CsvPump {
  rows = 0;
  private cols: ColBuilder[] = [];
  private readonly kinds: Int32Array;
  private readonly tokIdx: Int32Array;
  private readonly nData: number;
  private rd: RecordReader | null = null;
  private firstRecord = true;
  private readonly parseDate: (s: string) => number | null;
  private readonly parseTs: (s: string) => number | null;
  private readonly strictMode: boolean;
  private badWhat = '';
  /** First bytes of nanValue / positiveInf / negativeInf (a quick pre-test before comparing). */
  private readonly specialFirst = new Uint8Array(256);

  constructor(
    private readonly cfg: CsvConfig,
    private readonly full: arrow.Schema,
    private readonly dataFields: arrow.Field[],
    private readonly fields: arrow.Field[],
    private readonly batchSize: number,
  ) {
    this.nData = dataFields.length;
    this.kinds = new Int32Array(fields.length);
    this.tokIdx = new Int32Array(fields.length);
    fields.forEach((f, k) => {
      const corrupt = f.name === cfg.corruptName;
      this.kinds[k] = corrupt ? K_STRING : kindOf(f.type);
      this.tokIdx[k] = corrupt ? -1 : dataFields.indexOf(f);
    });
    this.parseDate = makeDateParser('csv', cfg.dateFormat);
    this.parseTs = makeTimestampParser('csv', cfg.timestampFormat);
    this.strictMode = cfg.mode !== 'PERMISSIVE';
    for (const x of [cfg.nanBytes, cfg.posInfBytes, cfg.negInfBytes]) if (x.length > 0) this.specialFirst[x[0]!] = 1;
    this.newBuilders();
  }

  private newBuilders(): void {
    this.cols = this.fields.map((f, k) => new ColBuilder(this.kinds[k]!, f, this.batchSize));
    this.rows = 0;
  }

  startFile(rd: RecordReader): void {
    this.rd = rd;
    this.firstRecord = true;
  }

  takeBatch(): arrow.RecordBatch {
    const n = this.rows;
    const batch = makeBatch(new arrow.Schema(this.fields), this.cols.map((c) => c.finish(n)), n);
    this.newBuilders();
    return batch;
  }

  /** Processes records until the batch is full (FULL), more bytes are needed (TOK_MORE) or the file ends (TOK_EOF). */
  run(): number {
    const rd = this.rd!;
    const tok = rd.tok;
    const cfg = this.cfg;
    const ncols = this.cols.length;
    for (;;) {
      if (this.rows >= this.batchSize) return FULL;
      const r = rd.nextRecord();
      if (r !== TOK_RECORD) return r;
      if (tok.tooManyColumns) throw tooManyColumns(rd.file, rd.line, cfg);
      if (this.firstRecord) {
        this.firstRecord = false;
        if (cfg.header) {
          this.checkHeader(rd);
          continue;
        }
      }
      const row = this.rows;
      if (ncols === 0) {
        this.rows++;
        continue;
      }
      const ntok = tok.n;
      let bad = ntok !== this.nData || tok.unterminated >= 0;
      let firstBad = -1;
      const tokIdx = this.tokIdx;
      const cols = this.cols;
      const tStarts = tok.starts;
      const tEnds = tok.ends;
      const tFlags = tok.flags;
      const buf = rd.buf;
      const nullLen = cfg.nullBytes.length;
      for (let k = 0; k < ncols; k++) {
        const ti = tokIdx[k]!;
        if (ti < 0) continue;
        const col = cols[k]!;
        if (ti >= ntok) {
          col.setNull(row);
          continue;
        }
        const fl = tFlags[ti]!;
        let src = fl & F_SCRATCH ? tok.scratch : buf;
        let s = tStarts[ti]!;
        let e = tEnds[ti]!;
        if (s === e) {
          if (!(fl & F_QUOTED) || bytesEqual(cfg.emptyBytes, 0, cfg.emptyBytes.length, cfg.nullBytes)) {
            col.setNull(row);
            continue;
          }
          src = cfg.emptyBytes;
          s = 0;
          e = src.length;
        } else if (e - s === nullLen && bytesEqual(src, s, e, cfg.nullBytes)) {
          col.setNull(row);
          continue;
        }
        if (!this.convert(col, row, src, s, e)) {
          col.setNull(row);
          if (firstBad < 0) {
            firstBad = k;
            this.badWhat = `cannot parse ${quoteDatum(utf8String(src, s, e))} as ${sparkTypeName(col.field.type)} for column ${col.field.name}`;
          }
          bad = true;
        }
      }
      for (let k = 0; k < ncols; k++) {
        if (this.tokIdx[k]! >= 0) continue;
        const col = this.cols[k]!;
        if (bad) col.setBytes(row, rd.buf, tok.recStart, tok.recEnd);
        else col.setNull(row);
      }
      if (bad && this.strictMode) {
        if (cfg.mode === 'DROPMALFORMED') continue;
        throw malformedError('csv', rd.file, rd.line, this.describeBad(firstBad), cfg.mode);
      }
      this.rows++;
    }
  }

  private describeBad(firstBad: number): string {
    const tok = this.rd!.tok;
    if (tok.unterminated >= 0) {
      const name = this.dataFields[tok.unterminated]?.name ?? `_c${tok.unterminated}`;
      return `unterminated quoted field in column ${name}${this.cfg.syn.multiLine ? ' (the quote is still open at the end of the file)' : ' (a quoted value may span lines: set multiLine)'}`;
    }
    if (tok.n !== this.nData) return `expected ${this.nData} fields, found ${tok.n}`;
    return firstBad >= 0 ? this.badWhat : 'malformed record';
  }

  private checkHeader(rd: RecordReader): void {
    if (this.cfg.enforceSchema) return;
    const tok = rd.tok;
    const names: string[] = [];
    for (let i = 0; i < tok.n; i++) names.push(headerToken(rd, i, this.cfg) ?? '');
    const expected = this.dataFields.map((f) => f.name);
    if (names.length !== expected.length) {
      throw new KindlingError('ERR_KINDLING_SCHEMA', `csv: the header of ${rd.file} has ${names.length} columns but the schema has ${expected.length} (header: ${names.join(', ')}; schema: ${expected.join(', ')}; option enforceSchema=false)`);
    }
    for (let i = 0; i < names.length; i++) {
      if (names[i]!.toLowerCase() !== expected[i]!.toLowerCase()) {
        throw new KindlingError('ERR_KINDLING_SCHEMA', `csv: the header of ${rd.file} does not conform to the schema: expected ${expected[i]} but found ${names[i]} in column ${i} (header: ${names.join(', ')}; schema: ${expected.join(', ')}; option enforceSchema=false)`);
      }
    }
  }

  /** Writes one non-null datum; false when it does not parse as the column type. */
  private convert(col: ColBuilder, row: number, b: Uint8Array, s: number, e: number): boolean {
    switch (col.kind) {
      case K_STRING: case K_BINARY:
        col.setBytes(row, b, s, e);
        return true;
      case K_INT32: {
        const v = parseJavaLong(b, s, e);
        if (!(v >= -2147483648 && v <= 2147483647) || NUM_BIG !== null) return false;
        col.i32[row] = v;
        col.setValid(row);
        return true;
      }
      case K_DOUBLE: case K_FLOAT: {
        let v: number;
        const cfg = this.cfg;
        if (this.specialFirst[b[s]!] === 1 && bytesEqual(b, s, e, cfg.nanBytes)) v = NaN;
        else if (this.specialFirst[b[s]!] === 1 && bytesEqual(b, s, e, cfg.negInfBytes)) v = -Infinity;
        else if (this.specialFirst[b[s]!] === 1 && bytesEqual(b, s, e, cfg.posInfBytes)) v = Infinity;
        else {
          v = parseJavaDouble(b, s, e);
          if (!NUM_OK) return false;
        }
        if (col.kind === K_DOUBLE) col.f64[row] = v;
        else col.f32[row] = v;
        col.setValid(row);
        return true;
      }
      case K_INT64: {
        const v = parseJavaLong(b, s, e);
        if (v !== v) return false;
        col.setInt64(row, v, NUM_BIG);
        return true;
      }
      case K_INT8: case K_INT16: {
        const v = parseJavaLong(b, s, e);
        const lim = col.kind === K_INT8 ? 128 : 32768;
        if (!(v >= -lim && v < lim)) return false;
        if (col.kind === K_INT8) col.i8[row] = v;
        else col.i16[row] = v;
        col.setValid(row);
        return true;
      }
      case K_BOOL: {
        const v = parseJavaBoolean(b, s, e);
        if (v < 0) return false;
        col.setBool(row, v);
        return true;
      }
      case K_DATE: {
        const d = this.parseDate(utf8String(b, s, e));
        if (d === null) return false;
        col.i32[row] = d;
        col.setValid(row);
        return true;
      }
      case K_TIMESTAMP: {
        const us = this.parseTs(utf8String(b, s, e));
        if (us === null) return false;
        col.setInt64(row, us, Math.abs(us) > Number.MAX_SAFE_INTEGER ? BigInt(us) : null);
        return true;
      }
    }
    return false;
  }
}
