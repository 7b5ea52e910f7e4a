/**
 * The CSV data source, reader and writer, with Apache Spark 3.5's options, schema inference and
 * parse modes (CSVOptions, CSVInferSchema, UnivocityParser, UnivocityGenerator, FailureSafeParser).
 *
 * Why a hand-written parser (no npm CSV package): reading CSV is the hot path of most jobs.
 * The tokenizer works on the raw UTF-8 bytes of fixed-size read chunks (4 MiB by default) and
 * the converters write straight into the typed arrays of the Arrow columns. A 1 GB file is read
 * holding one output batch plus one chunk, with no string or object per field or row. The
 * general CSV packages hand out a JS string (or an object) per field and row, and none
 * reproduces univocity's quoting rules (Spark's tokenizer) or the nullValue / emptyValue
 * distinction on which Spark's results depend.
 *
 * The files, one job each:
 *   options.ts        public option types, the read-option table, the resolved reader config
 *   tokenizer.ts      univocity's record splitting on bytes
 *   record-reader.ts  one file's records, chunk by chunk, with line numbers
 *   field-parsers.ts  Java's parseDouble / parseLong / parseBoolean on field bytes
 *   columns.ts        Arrow column builders filled row by row
 *   infer.ts          CSVInferSchema and safe header names
 *   pump.ts           records → columns, with the parse modes
 *   reader.ts         csvSource (the DataSource)
 *   writer.ts         writeCsvPart
 * What CSV shares with JSON (option validation, datetime patterns, Java number formatting, file
 * checks, the write-side cell readers) is in ../text-common/.
 *
 * Left out: decimal inference (numbers beyond bigint infer double), hex float literals,
 * time-only and region-id timestamps, locales, encodings other than UTF-8, compression, and a
 * session time zone other than UTC. An unterminated quote is treated as a malformed record
 * (Spark's univocity silently accepts it), so FAILFAST reports it and nothing is lost quietly.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */
export { csvSource } from './reader.js';
export { writeCsvPart } from './writer.js';
export type { CsvOptions, CsvWriteOptions } from './options.js';
