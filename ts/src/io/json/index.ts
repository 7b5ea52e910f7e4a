/**
 * The JSON-lines data source, reader and writer, with Apache Spark 3.5's JSON semantics
 * (JsonInferSchema, JacksonParser, JacksonGenerator, FailureSafeParser).
 *
 * Why a hand-written JSON parser instead of JSON.parse: Spark's results depend on what
 * JSON.parse throws away — whether a number was written as an integer (`1` → bigint) or a
 * fraction (`1.0` → double), integers beyond 2^53, the literal text of numbers put in a string
 * column, NaN/Infinity tokens and single-quoted strings (both accepted by Spark's Jackson
 * settings) and a nesting limit instead of a stack overflow. Lines are read from fixed-size
 * chunks, one record at a time, and converted straight into Arrow column builders.
 *
 * The files, one job each:
 *   options.ts          public option types, the read-option table, the resolved reader config
 *   values.ts           parsed values (numbers keep their text) and their JSON text
 *   parser.ts           the JSON parser with Spark's Jackson features
 *   line-reader.ts      lines (or whole files with multiLine) from chunks
 *   infer.ts            JsonInferSchema
 *   builders.ts         primitive column builders (JacksonParser's conversions)
 *   nested-builders.ts  array and struct builders
 *   reader.ts           jsonSource (the DataSource) and the parse modes
 *   writer.ts           writeJsonPart
 * What JSON shares with CSV (option validation, datetime patterns, Java number formatting, file
 * checks, the write-side cell readers) is in ../text-common/.
 *
 * Left out: decimal types (integers beyond bigint infer double), map types, timestamp
 * inference (Spark's inferTimestamp, off by default), encodings other than UTF-8.
 * multiLine=true reads each file as one JSON document (as Spark does), holding that file.
 * Follows shared/ARCHITECTURE.md (Interoperability).
 */
export { jsonSource } from './reader.js';
export { writeJsonPart } from './writer.js';
export type { JsonOptions, JsonWriteOptions } from './options.js';
