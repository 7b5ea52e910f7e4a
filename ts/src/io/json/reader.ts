/**
 * The JSON DataSource (jsonSource): resolves the options, checks the files and the schema (given
 * or inferred by infer.ts), and scans line by line into RecordBatches with Spark 3.5's
 * JacksonParser and FailureSafeParser rules: partial results for root fields, a top-level array
 * holding one record per element, and corrupt lines in PERMISSIVE / DROPMALFORMED / FAILFAST.
 * Follows shared/ARCHITECTURE.md (Interoperability: Spark's read options and modes) and the
 * DataSource contract in io/source.ts.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingTypeError } from '../../errors.js';
import { makeBatch } from '../../dataframe/batch.js';
import { sparkTypeName } from '../../dataframe/types.js';
import type { DataSource, ScanOptions } from '../source.js';
import { makeDateParser, makeTimestampParser } from '../text-common/datetime-patterns.js';
import { checkCorruptColumn, checkFiles, describeFiles, malformedError, scanPlan } from '../text-common/reading.js';
import { ConvError, PrimBuilder, type JBuilder, type Parsers } from './builders.js';
import { inferJsonSchema } from './infer.js';
import { LineReader } from './line-reader.js';
import { lastValues, makeBuilder } from './nested-builders.js';
import { jsonConfig, type JsonConfig, type JsonOptions } from './options.js';
import { JsonText } from './parser.js';
import { JObj, JsonSyntaxError } from './values.js';

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
  return {
    schema: full,
    description: describeFiles('json', files),
    files,
    scan: (scan?: ScanOptions) => {
      const { fields, batchSize } = scanPlan('json', full, scan);
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
    const b = makeBatch(new arrow.Schema(fields), builders.map((x) => x.finish()), rows);
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

/** Refuses a schema the builders cannot fill (the corrupt-record column must be a nullable string). */
function checkReadable(f: arrow.Field, corruptName: string, top: boolean): void {
  const t = f.type;
  if (top && f.name === corruptName) return checkCorruptColumn('json', f);
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
