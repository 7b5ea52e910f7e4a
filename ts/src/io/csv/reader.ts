/**
 * The CSV DataSource (csvSource): resolves the options, checks the files and the schema (given,
 * read from the header, or inferred by infer.ts), and scans by streaming each file in chunks
 * through the tokenizer and the pump into RecordBatches of at most batchSize rows.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes") and the DataSource
 * contract in io/source.ts.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingTypeError } from '../../errors.js';
import { sparkTypeName } from '../../dataframe/types.js';
import type { DataSource, ScanOptions } from '../source.js';
import { checkCorruptColumn, checkFiles, describeFiles, scanPlan } from '../text-common/reading.js';
import { kindOf } from './columns.js';
import { inferCsvSchema } from './infer.js';
import { csvConfig, type CsvConfig, type CsvOptions } from './options.js';
import { CsvPump } from './pump.js';
import { RecordReader } from './record-reader.js';
import { TOK_EOF, TOK_MORE, Tokenizer } from './tokenizer.js';

/**
 * Opens CSV files as a DataSource with Spark 3.5's CSV options. The schema is `schema` when
 * given, else read from the first record (header names or `_c<i>`) with every column string,
 * or inferred from all records when inferSchema is set. Scans stream the files in chunks.
 */
export async function csvSource(paths: readonly string[], options?: CsvOptions, schema?: arrow.Schema): Promise<DataSource> {
  const cfg = csvConfig(options);
  const files = await checkFiles('csv', paths);
  if (schema !== undefined && !(schema instanceof arrow.Schema)) throw Errors.invalidArg('csv', 'schema', 'an apache-arrow Schema', schema);
  const full = schema ?? (await inferCsvSchema(files, cfg));
  for (const f of full.fields) {
    if (f.name === cfg.corruptName) checkCorruptColumn('csv', f);
    else if (kindOf(f.type) < 0) {
      throw new KindlingTypeError(`csv: column ${f.name} has type ${sparkTypeName(f.type)}, which the CSV data source cannot read (atomic types only)`, 'ERR_KINDLING_SCHEMA');
    }
  }
  return {
    schema: full,
    description: describeFiles('csv', files),
    files,
    scan: (scan?: ScanOptions) => scanCsv(files, cfg, full, scan),
  };
}

function scanCsv(files: readonly string[], cfg: CsvConfig, full: arrow.Schema, scan: ScanOptions | undefined): AsyncIterable<arrow.RecordBatch> {
  const { fields, batchSize } = scanPlan('csv', full, scan);
  return {
    [Symbol.asyncIterator]: () => csvBatches(files, cfg, full, fields, batchSize),
  };
}

async function* csvBatches(files: readonly string[], cfg: CsvConfig, full: arrow.Schema, fields: arrow.Field[], batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  const dataFields = full.fields.filter((f) => f.name !== cfg.corruptName);
  const pump = new CsvPump(cfg, full, dataFields, fields, batchSize);
  for (const file of files) {
    const rd = new RecordReader(file, new Tokenizer(cfg.syn), cfg.chunkSize, 'csv');
    await rd.open();
    try {
      pump.startFile(rd);
      for (;;) {
        const st = pump.run();
        if (st === TOK_MORE) await rd.fill();
        else if (st === TOK_EOF) break;
        else yield pump.takeBatch();
      }
    } finally {
      await rd.close();
    }
  }
  if (pump.rows > 0) yield pump.takeBatch();
}
