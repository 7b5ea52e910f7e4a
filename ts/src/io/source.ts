/**
 * The contract between readers and the DataFrame engine. A reader opens its files once to learn
 * the schema (inferring it when asked), then scans on demand: each scan yields Arrow
 * RecordBatches of at most `batchSize` rows, only the requested columns, in file order.
 *
 * Filters in `ScanOptions.filters` are hints: a reader may use them to skip whole row groups or
 * files (Parquet statistics), but never has to drop single rows — the engine re-applies every
 * filter after the scan. A reader must not return rows in a different order than the files hold.
 */
import type * as arrow from 'apache-arrow';

export type PushedFilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'isNull' | 'isNotNull' | 'in';

/** A simple predicate on one column, ANDed with the others. `value` is a JS number, bigint, string, boolean or (for 'in') an array of them. */
export interface PushedFilter {
  column: string;
  op: PushedFilterOp;
  value?: unknown;
}

export interface ScanOptions {
  /** Columns to produce, in this order; all columns of the schema when absent. */
  columns?: readonly string[];
  filters?: readonly PushedFilter[];
  /** Rows per RecordBatch (default 65,536). */
  batchSize?: number;
}

export interface DataSource {
  /** Schema of the full data (before column pruning). */
  readonly schema: arrow.Schema;
  /** For messages and explain(): e.g. 'csv [data/cars.csv]'. */
  readonly description: string;
  /** The files backing this source (for inputFiles()). */
  readonly files: readonly string[];
  scan(options?: ScanOptions): AsyncIterable<arrow.RecordBatch>;
}

/** Options of one part-file writer (writers are called once per part file, inside a temporary directory). */
export type PartWriter = (file: string, schema: arrow.Schema, batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>) => Promise<void>;

export const DEFAULT_BATCH_SIZE = 65_536;
