/**
 * `spark.read` (DataFrameReader): format/option/options/schema then load, or the shortcuts
 * csv/json/parquet/arrow. Paths may be files, directories of part files (Spark's output
 * layout: `_SUCCESS` and dot-files skipped) or arrays of both; they are read as one DataFrame.
 * The schema is read (or inferred) when the DataFrame is created, so column errors surface at
 * once; the rows are read when an action runs, only the columns the plan uses.
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { arrowSource } from '../io/arrow-ipc.js';
import { csvSource, type CsvOptions } from '../io/csv/index.js';
import { expandPaths } from '../io/dataset.js';
import { jsonSource, type JsonOptions } from '../io/json/index.js';
import { parquetSource } from '../io/parquet/index.js';
import type { DataSource } from '../io/source.js';
import { DataFrame, type SessionLike } from './dataframe.js';
import { parseSchema } from './schema-ddl.js';

export type ReadFormat = 'csv' | 'json' | 'parquet' | 'arrow';
const EXT: Record<ReadFormat, string> = { csv: '.csv', json: '.json', parquet: '.parquet', arrow: '.arrow' };

export class DataFrameReader {
  private fmt: ReadFormat = 'parquet';
  private opts: Record<string, unknown> = {};
  private userSchema: arrow.Schema | undefined;

  constructor(private readonly session: SessionLike) {}

  format(source: string): this {
    const f = String(source).toLowerCase();
    const map: Record<string, ReadFormat> = { csv: 'csv', json: 'json', parquet: 'parquet', arrow: 'arrow', ipc: 'arrow', feather: 'arrow' };
    if (!map[f]) throw Errors.invalidArg('DataFrameReader.format', 'source', 'csv, json, parquet or arrow', source);
    this.fmt = map[f]!;
    return this;
  }

  option(key: string, value: string | number | boolean): this {
    if (typeof key !== 'string' || key.length === 0) throw Errors.invalidArg('DataFrameReader.option', 'key', 'a non-empty string', key);
    this.opts[key] = value;
    return this;
  }

  options(map: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(map)) this.option(k, v);
    return this;
  }

  /** A boolean option given as true/false or 'true'/'false' (any case), else `fallback`. */
  private flag(api: string, key: string, fallback: boolean): boolean {
    const v = this.opts[key];
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    throw Errors.invalidArg(`read.${api}`, key, "true or false (or 'true' / 'false')", v);
  }

  /** An Arrow schema or a DDL string such as 'name string, age int'. */
  schema(schema: arrow.Schema | string): this {
    this.userSchema = typeof schema === 'string' ? parseSchema('DataFrameReader.schema', schema) : schema;
    return this;
  }

  async load(path: string | readonly string[]): Promise<DataFrame> {
    const files = await expandPaths(`read.${this.fmt}`, path, EXT[this.fmt]);
    let source: DataSource;
    switch (this.fmt) {
      case 'csv': source = await csvSource(files, this.opts as CsvOptions, this.userSchema); break;
      case 'json': source = await jsonSource(files, this.opts as JsonOptions, this.userSchema); break;
      case 'parquet': source = await parquetSource(files, this.userSchema, { verifyChecksums: this.flag('parquet', 'verifyChecksums', true) }); break;
      case 'arrow': source = await arrowSource(files, { verifyChecksums: this.flag('arrow', 'verifyChecksums', true) }); break;
    }
    return new DataFrame(this.session, { op: 'source', source, columns: null, filters: [] });
  }

  async csv(path: string | readonly string[], options: CsvOptions = {}): Promise<DataFrame> {
    return this.format('csv').options(options as Record<string, string | number | boolean>).load(path);
  }

  async json(path: string | readonly string[], options: JsonOptions = {}): Promise<DataFrame> {
    return this.format('json').options(options as Record<string, string | number | boolean>).load(path);
  }

  async parquet(...paths: string[]): Promise<DataFrame> {
    return this.format('parquet').load(paths.length === 1 ? paths[0]! : paths);
  }

  async arrow(path: string | readonly string[]): Promise<DataFrame> {
    return this.format('arrow').load(path);
  }
}
