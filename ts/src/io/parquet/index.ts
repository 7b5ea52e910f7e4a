/**
 * Parquet in and out, Arrow RecordBatches on our side.
 *
 * Reading uses hyparquet for the footer (thrift metadata), page headers, decompression
 * (hyparquet-compressors: SNAPPY, GZIP, BROTLI, ZSTD, LZ4) and the DELTA / BYTE_STREAM_SPLIT
 * decoders, and decodes everything else here, straight into Arrow buffers: definition and
 * repetition levels into typed arrays, PLAIN and dictionary values into typed arrays or one
 * byte buffer per string column, then Dremel levels into Arrow validity bitmaps and list
 * offsets. No JS object per value, no boxed numbers. Writing uses hyparquet-writer.
 *
 * The files, one job each:
 *   types.ts         the shapes passed between the reader's stages
 *   read-errors.ts   the reader's errors (naming the file)
 *   footer.ts        byte-range reads, magic and footer checks
 *   read-schema.ts   Parquet schema → Arrow schema and each column's Dremel plan
 *   levels.ts        RLE / bit-packed hybrid and BIT_PACKED levels
 *   value-sink.ts    dense values of one leaf (PLAIN, dictionary, INT96)
 *   chunk.ts         one column chunk: pages, decompression, encodings
 *   assemble.ts      Dremel levels → Arrow arrays (validity, offsets, conversions)
 *   prune.ts         skipping row groups by statistics
 *   reader.ts        parquetSource (the DataSource)
 *   spark-schema.ts  Arrow schema → Spark's schema JSON and parquet-mr's physical schema
 *   writer.ts        writeParquetPart
 * Follows docs/formats/PARQUET_ARROW_NODE.md.
 */
export { parquetSource, _parquetScanCounters, type ParquetReadOptions } from './reader.js';
export { writeParquetPart, type WriteParquetOptions } from './writer.js';
export { sparkSchemaJson } from './spark-schema.js';
