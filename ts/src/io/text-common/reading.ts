/**
 * What the CSV and JSON sources share around their parsers: checking the input files, the
 * malformed-record error of the parse modes, samplingRatio's sampler, the scan options (columns,
 * batchSize), the corrupt-record column check and the source description.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes") and the
 * DataSource contract in io/source.ts.
 */
import * as fs from 'node:fs';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError, KindlingTypeError } from '../../errors.js';
import { sparkTypeName } from '../../dataframe/types.js';
import { DEFAULT_BATCH_SIZE, type ScanOptions } from '../source.js';
import type { ParseMode } from './options.js';

/** @internal A malformed record under FAILFAST, or a file-level data error. */
export function malformedError(api: string, file: string, line: number, what: string, mode: ParseMode): KindlingError {
  return new KindlingError('ERR_KINDLING_SCHEMA', `${api}: malformed record at ${file} line ${line}: ${what} (mode ${mode})`);
}

/** @internal Short quoted rendering of a datum for messages. */
export function quoteDatum(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

/** @internal A file that cannot be opened or read, as the error users see (missing file, directory, I/O). */
export function fileError(api: string, file: string, e: unknown): KindlingError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new KindlingTypeError(`${api}: file not found: ${file}`, 'ERR_KINDLING_INVALID_ARG', { cause: e });
  if (code === 'EISDIR') return new KindlingTypeError(`${api}: expected a file, got a directory: ${file}`, 'ERR_KINDLING_INVALID_ARG', { cause: e });
  const msg = e instanceof Error ? e.message : String(e);
  return new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: cannot read ${file}: ${msg}`, { cause: e });
}

/** @internal Checks that every path is a readable regular file. */
export async function checkFiles(api: string, paths: readonly string[]): Promise<string[]> {
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p === '')) {
    throw Errors.invalidArg(api, 'paths', 'an array of file paths', paths);
  }
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(p);
    } catch (e) {
      throw fileError(api, p, e);
    }
    if (st.isDirectory()) throw fileError(api, p, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  }
  return [...paths];
}

/** @internal Deterministic sampling for samplingRatio (mulberry32, seed 1; Spark's own sampler differs). */
export function sampler(ratio: number): () => boolean {
  if (ratio >= 1) return () => true;
  let a = 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 < ratio;
  };
}

/** @internal Checks scan options against the full schema: the fields to produce and the batch size. */
export function scanPlan(api: string, full: arrow.Schema, scan: ScanOptions | undefined): { fields: arrow.Field[]; batchSize: number } {
  if (scan !== undefined && (typeof scan !== 'object' || scan === null)) throw Errors.invalidArg(api, 'scan options', 'an object', scan);
  const batchSize = scan?.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw Errors.outOfRange(api, 'batchSize', 'an integer >= 1', batchSize);
  let fields = full.fields;
  if (scan?.columns !== undefined) {
    if (!Array.isArray(scan.columns)) throw Errors.invalidArg(api, 'columns', 'an array of column names', scan.columns);
    fields = scan.columns.map((c) => {
      const f = full.fields.find((x) => x.name === c);
      if (!f) throw new KindlingTypeError(`${api}: unknown column ${JSON.stringify(c)} in columns (schema has: ${full.fields.map((x) => x.name).join(', ')})`, 'ERR_KINDLING_SCHEMA');
      return f;
    });
  }
  return { fields, batchSize };
}

/** @internal The corrupt-record column must be a nullable string (Spark's checkColumnNameOfCorruptRecord). */
export function checkCorruptColumn(api: string, f: arrow.Field): void {
  if (!arrow.DataType.isUtf8(f.type) || !f.nullable) {
    throw new KindlingTypeError(`${api}: the corrupt record column ${f.name} must be a nullable string, got ${sparkTypeName(f.type)}`, 'ERR_KINDLING_SCHEMA');
  }
}

/** @internal A DataSource description for messages and explain(): `csv [a.csv, b.csv]`. */
export function describeFiles(api: string, files: readonly string[]): string {
  const shown = files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')}, … ${files.length} files`;
  return `${api} [${shown}]`;
}
