/**
 * `df.write` (DataFrameWriter): mode/format/option then save, or csv/json/parquet/arrow. A
 * DataFrame is written as a directory of part files, one per non-empty partition
 * (`part-00000-<uuid>-c000.<ext>`), plus `_SUCCESS` — Spark's layout — atomically: parts go to a
 * temporary directory published by the directory commit protocol (io/commit.ts, docs/COMMIT.md),
 * so a failed or killed write leaves the old data intact.
 * Modes: 'error' / 'errorifexists' (default), 'overwrite', 'append', 'ignore'.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Errors } from '../errors.js';
import { writeArrowPart } from '../io/arrow-ipc.js';
import { writeCsvPart, type CsvWriteOptions } from '../io/csv/index.js';
import { partFileName, writeDataset, type SaveMode } from '../io/dataset.js';
import { writeJsonPart } from '../io/json/index.js';
import { writeParquetPart } from '../io/parquet/index.js';
import type { DataFrame } from './dataframe.js';

export type WriteFormat = 'csv' | 'json' | 'parquet' | 'arrow';

const MODES: readonly string[] = ['overwrite', 'append', 'error', 'errorifexists', 'ignore'];

export class DataFrameWriter {
  private saveMode: SaveMode = 'errorifexists';
  private fmt: WriteFormat = 'parquet';
  private opts: Record<string, unknown> = {};

  constructor(private readonly df: DataFrame) {}

  mode(mode: string): this {
    const m = String(mode).toLowerCase();
    if (!MODES.includes(m)) throw Errors.invalidArg('DataFrameWriter.mode', 'mode', MODES.join(', '), mode);
    this.saveMode = m as SaveMode;
    return this;
  }

  format(source: string): this {
    const f = String(source).toLowerCase();
    if (!['csv', 'json', 'parquet', 'arrow'].includes(f)) throw Errors.invalidArg('DataFrameWriter.format', 'source', 'csv, json, parquet or arrow', source);
    this.fmt = f as WriteFormat;
    return this;
  }

  option(key: string, value: string | number | boolean): this {
    this.opts[key] = value;
    return this;
  }

  options(map: Record<string, string | number | boolean>): this {
    Object.assign(this.opts, map);
    return this;
  }

  partitionBy(...cols: string[]): this {
    throw Errors.invalidArg('DataFrameWriter.partitionBy', 'columns', 'nothing: partitioned (key=value) directories are not supported yet', cols);
  }

  /** Writes the directory; returns the part files written. */
  async save(path: string): Promise<string[]> {
    if (typeof path !== 'string' || path.length === 0) throw Errors.invalidArg(`write.${this.fmt}`, 'path', 'a non-empty path', path);
    const fmt = this.fmt;
    const opts = this.opts;
    const df = this.df;
    const schema = df.schema;
    const codec = String(opts.compression ?? 'snappy').toLowerCase();
    const ext = fmt === 'parquet' ? (codec === 'uncompressed' || codec === 'none' ? '.parquet' : `.${codec}.parquet`) : `.${fmt}`;
    return writeDataset(`write.${fmt}`, path, this.saveMode, async (dir) => {
      const parts = (await df.partitions()).filter((b) => b.numRows > 0);
      const uuid = randomUUID();
      // an empty DataFrame still writes one (empty) part so the schema survives, as Spark does for Parquet
      const list = parts.length > 0 ? parts : [null];
      for (let i = 0; i < list.length; i++) {
        const file = join(dir, partFileName(i, uuid, ext));
        const batches = list[i] ? [list[i]!] : [];
        if (fmt === 'parquet') await writeParquetPart(file, schema, batches, { compression: (codec === 'none' ? 'uncompressed' : codec) as never });
        else if (fmt === 'csv') await writeCsvPart(file, schema, batches, opts as CsvWriteOptions);
        else if (fmt === 'json') await writeJsonPart(file, schema, batches, opts as never);
        else await writeArrowPart(file, schema, batches, { format: 'file' });
      }
    });
  }

  async parquet(path: string, options: Record<string, string | number | boolean> = {}): Promise<string[]> {
    return this.format('parquet').options(options).save(path);
  }

  async csv(path: string, options: CsvWriteOptions = {}): Promise<string[]> {
    return this.format('csv').options(options as Record<string, string | number | boolean>).save(path);
  }

  async json(path: string, options: Record<string, string | number | boolean> = {}): Promise<string[]> {
    return this.format('json').options(options).save(path);
  }

  async arrow(path: string): Promise<string[]> {
    return this.format('arrow').save(path);
  }
}
