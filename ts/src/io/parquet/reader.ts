/**
 * The Parquet DataSource (parquetSource): opens every footer once (schema, statistics), merges
 * the files' schemas (or checks them against a given one, widening numeric columns), and scans
 * one row group at a time with byte-range reads of only the needed column chunks, prefetching
 * the next row group while the current one decodes and skipping row groups pruned by statistics.
 * Follows docs/formats/PARQUET_ARROW_NODE.md and the DataSource contract in io/source.ts.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../errors.js';
import type { AnyData } from '../../dataframe/batch.js';
import { sparkTypeName } from '../../dataframe/types.js';
import { DEFAULT_BATCH_SIZE } from '../source.js';
import type { DataSource, PushedFilter, ScanOptions } from '../source.js';
import { buildNode, mk } from './assemble.js';
import { decodeChunk } from './chunk.js';
import { FileRangeReader, readFooter } from './footer.js';
import { rowGroupExcluded } from './prune.js';
import { cannotRead, messageOf } from './read-errors.js';
import type { ColumnPlan, FixedArray, LeafData, ParquetFile } from './types.js';

/** Row groups read and skipped by statistics since load (tests observe pruning through it). */
export const _parquetScanCounters = { rowGroupsRead: 0, rowGroupsSkipped: 0 };

const WHOLE_FILE_READ_LIMIT = 1 << 20;

function sameType(a: arrow.DataType, b: arrow.DataType): boolean {
  if (a.typeId !== b.typeId) return false;
  if (String(a) !== String(b)) return false;
  const ac = a.children ?? [];
  const bc = b.children ?? [];
  if (ac.length !== bc.length) return false;
  return ac.every((f, i) => f.name === bc[i]!.name && sameType(f.type, bc[i]!.type));
}

function isWidening(from: arrow.DataType, to: arrow.DataType): boolean {
  if (!(arrow.DataType.isInt(from) || arrow.DataType.isFloat(from))) return false;
  if (arrow.DataType.isFloat(to)) return to.precision === arrow.Precision.DOUBLE || (arrow.DataType.isFloat(from) && from.precision <= to.precision) || (arrow.DataType.isInt(from) && from.bitWidth <= 16);
  if (arrow.DataType.isInt(to) && arrow.DataType.isInt(from)) return from.bitWidth <= to.bitWidth;
  return false;
}

/** Widening numeric cast of a primitive Data (int → bigger int, int/float → double). */
function widen(d: AnyData, to: arrow.DataType): AnyData {
  const n = d.length;
  const src = d.values as ArrayLike<number | bigint>;
  let out: FixedArray | Int8Array | Int16Array;
  if (arrow.DataType.isFloat(to)) {
    out = to.precision === arrow.Precision.DOUBLE ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(src[i]);
  } else {
    const bits = (to as arrow.Int).bitWidth;
    if (bits === 64) {
      const o = new BigInt64Array(n);
      for (let i = 0; i < n; i++) o[i] = BigInt(src[i] as number);
      out = o;
    } else {
      out = bits === 32 ? new Int32Array(n) : bits === 16 ? new Int16Array(n) : new Int8Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(src[i]);
    }
  }
  return mk({ type: to, length: n, nullCount: d.nullCount, nullBitmap: d.nullCount > 0 ? d.nullBitmap : undefined, offset: 0, data: out });
}

function nullData(type: arrow.DataType, n: number): AnyData {
  return arrow.vectorFromArray(new Array(n).fill(null), type).data[0] as AnyData;
}

function describe(kind: string, files: readonly string[]): string {
  const shown = files.length > 3 ? `${files.slice(0, 3).join(', ')}, … (${files.length} files)` : files.join(', ');
  return `${kind} [${shown}]`;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface ParquetReadOptions {
  /** Check each page's CRC-32 when its header carries one (default true); a mismatch names file, column, row group and page. */
  verifyChecksums?: boolean;
}

/**
 * A DataSource over Parquet files. Reads every footer now (schema, statistics; a truncated or
 * corrupt file fails here, naming the file). The schema is the first file's, with a field made
 * nullable when another file lacks it or holds it as OPTIONAL; a column whose type differs
 * between files is an error. With `schema`, those columns are read (by name; numeric columns
 * widen, e.g. int → bigint/double), and columns missing from a file come back null.
 */
export async function parquetSource(paths: readonly string[], schema?: arrow.Schema, options: ParquetReadOptions = {}): Promise<DataSource> {
  const api = 'parquet';
  const verify = options.verifyChecksums ?? true;
  if (typeof verify !== 'boolean') throw Errors.invalidArg(api, 'verifyChecksums', 'a boolean', verify);
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string')) {
    throw Errors.invalidArg(api, 'paths', 'a non-empty array of file paths', paths);
  }
  if (schema !== undefined && !(schema instanceof arrow.Schema)) throw Errors.invalidArg(api, 'schema', 'an apache-arrow Schema', schema);
  const files = await mapLimit(paths, 16, (p) => readFooter(p));

  let fields: arrow.Field[];
  if (schema) {
    fields = schema.fields.slice();
    for (const pf of files) {
      for (const f of fields) {
        const plan = pf.columns.get(f.name);
        if (plan && !sameType(plan.field.type, f.type) && !isWidening(plan.field.type, f.type)) {
          throw new KindlingError('ERR_KINDLING_SCHEMA', `parquet: column ${JSON.stringify(f.name)} of ${pf.file} has type ${sparkTypeName(plan.field.type)}, which cannot be read as ${sparkTypeName(f.type)}`);
        }
      }
    }
  } else {
    const first = files[0]!;
    fields = [...first.columns.values()].map((c) => c.field);
    for (const pf of files.slice(1)) {
      fields = fields.map((f) => {
        const plan = pf.columns.get(f.name);
        if (!plan) return f.nullable ? f : new arrow.Field(f.name, f.type, true, f.metadata);
        if (!sameType(plan.field.type, f.type)) {
          throw new KindlingError('ERR_KINDLING_SCHEMA', `parquet: column ${JSON.stringify(f.name)} has type ${sparkTypeName(f.type)} in ${first.file} but ${sparkTypeName(plan.field.type)} in ${pf.file}`);
        }
        return plan.field.nullable && !f.nullable ? plan.field : f;
      });
    }
  }
  const fullSchema = new arrow.Schema(fields);
  const byName = new Map(fields.map((f) => [f.name, f]));

  return {
    schema: fullSchema,
    description: describe('parquet', paths),
    files: paths.slice(),
    scan(options: ScanOptions = {}): AsyncIterable<arrow.RecordBatch> {
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      if (!Number.isInteger(batchSize) || batchSize < 1) throw Errors.invalidArg(api, 'batchSize', 'an integer >= 1', batchSize);
      const names = options.columns ?? fields.map((f) => f.name);
      const outFields = names.map((name) => {
        const f = byName.get(name);
        if (!f) {
          const list = fields.map((x) => x.name);
          throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: cannot resolve column ${JSON.stringify(name)} among [${list.join(', ')}]`);
        }
        return f;
      });
      const outSchema = new arrow.Schema(outFields);
      return scanFiles(files, outSchema, options.filters ?? [], batchSize, verify);
    },
  };
}

interface GroupBytes {
  g: number;
  chunks: Map<number, Uint8Array>;
}

async function* scanFiles(files: ParquetFile[], outSchema: arrow.Schema, filters: readonly PushedFilter[], batchSize: number, verify: boolean): AsyncGenerator<arrow.RecordBatch> {
  for (const pf of files) yield* scanFile(pf, outSchema, filters, batchSize, verify);
}

async function* scanFile(pf: ParquetFile, outSchema: arrow.Schema, filters: readonly PushedFilter[], batchSize: number, verify: boolean): AsyncGenerator<arrow.RecordBatch> {
  const { metadata, file } = pf;
  const plans = outSchema.fields.map((f) => pf.columns.get(f.name));
  const leafIds: number[] = [];
  for (const p of plans) if (p) for (let l = p.leafStart; l < p.leafEnd; l++) leafIds.push(l);
  const groups: number[] = [];
  for (let g = 0; g < metadata.row_groups.length; g++) {
    if (Number(metadata.row_groups[g]!.num_rows) === 0) continue;
    if (filters.length && rowGroupExcluded(pf, g, filters)) {
      _parquetScanCounters.rowGroupsSkipped++;
      continue;
    }
    groups.push(g);
  }
  if (groups.length === 0) return;

  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw cannotRead(file, messageOf(e), e);
  }
  const reader = new FileRangeReader(fh, pf.size, file);
  const small = pf.size <= WHOLE_FILE_READ_LIMIT;
  let whole: Promise<Uint8Array> | null = null;
  const fetchGroup = async (g: number): Promise<GroupBytes> => {
    const rg = metadata.row_groups[g]!;
    const chunks = new Map<number, Uint8Array>();
    if (small) {
      whole ??= reader.read(0, pf.size);
      const all = await whole;
      for (const l of leafIds) {
        const m = rg.columns[l]!.meta_data!;
        const start = Number(m.dictionary_page_offset || m.data_page_offset);
        chunks.set(l, all.subarray(start, start + Number(m.total_compressed_size)));
      }
    } else {
      await Promise.all(leafIds.map(async (l) => {
        const m = rg.columns[l]!.meta_data!;
        const start = Number(m.dictionary_page_offset || m.data_page_offset);
        chunks.set(l, await reader.read(start, start + Number(m.total_compressed_size)));
      }));
    }
    return { g, chunks };
  };
  try {
    let pending: Promise<GroupBytes> | null = fetchGroup(groups[0]!);
    pending.catch(() => {});
    for (let i = 0; i < groups.length; i++) {
      let cur: GroupBytes;
      try {
        cur = await pending!;
      } catch (e) {
        throw cannotRead(file, messageOf(e), e);
      }
      pending = i + 1 < groups.length ? fetchGroup(groups[i + 1]!) : null;
      pending?.catch(() => {});
      _parquetScanCounters.rowGroupsRead++;
      const batch = decodeGroup(pf, cur, outSchema, plans, verify);
      const rows = batch.numRows;
      if (rows <= batchSize) yield batch;
      else for (let s = 0; s < rows; s += batchSize) yield batch.slice(s, Math.min(rows, s + batchSize));
    }
  } finally {
    await fh.close();
  }
}

function decodeGroup(pf: ParquetFile, cur: GroupBytes, outSchema: arrow.Schema, plans: (ColumnPlan | undefined)[], verify: boolean): arrow.RecordBatch {
  const rg = pf.metadata.row_groups[cur.g]!;
  const rows = Number(rg.num_rows);
  const data: LeafData[] = [];
  for (const [l, bytes] of cur.chunks) {
    const meta = rg.columns[l]!.meta_data!;
    try {
      data[l] = decodeChunk(bytes, pf.leaves[l]!, meta, verify);
    } catch (e) {
      throw cannotRead(pf.file, `corrupt data in column ${meta.path_in_schema.join('.')} of row group ${cur.g}: ${messageOf(e)}`, e);
    }
  }
  const children = outSchema.fields.map((f, k) => {
    const plan = plans[k];
    if (!plan) return nullData(f.type, rows);
    let d: AnyData;
    try {
      d = buildNode(plan.node, plan.field.type, pf.leaves, data);
    } catch (e) {
      throw cannotRead(pf.file, `corrupt data in column ${f.name} of row group ${cur.g}: ${messageOf(e)}`, e);
    }
    if (d.length !== rows) throw cannotRead(pf.file, `corrupt data in column ${f.name} of row group ${cur.g}: ${d.length} values for ${rows} rows`);
    if (!sameType(d.type, f.type)) d = isWidening(d.type, f.type) ? widen(d, f.type) : d;
    return d;
  });
  const struct = mk({ type: new arrow.Struct(outSchema.fields), length: rows, nullCount: 0, children });
  return new arrow.RecordBatch(outSchema, struct as arrow.Data<arrow.Struct>);
}
