/**
 * String and array<string> columns for the text stages: the schema checks (Spark's
 * SchemaUtils.checkColumnType / checkColumnTypes), reading a partition's documents or token
 * lists as JS strings, and building an array<string> column from token lists in one pass (UTF-8
 * bytes, string offsets and list offsets, Arrow's List<Utf8> layout).
 *
 * A null document or token list is an error naming the row over the whole DataFrame: Spark's
 * text stages are UDFs over non-null values and fail on a null (docs/formats/SPARK_DEFINITIONS.md).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { isValidAt, valueAt, type AnyData } from '../../../src/dataframe/batch.js';
import { sparkTypeName, Types } from '../../../src/dataframe/types.js';
import type { TaskContext } from '../../../src/exec/task.js';
import { columnField } from '../../data/schema-checks.js';
import { badRowError } from '../../data/predictions.js';
import { failRow } from '../../data/checked-summary.js';

/** True for a string column (Utf8, or dictionary-encoded strings). */
function isStringType(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || (arrow.DataType.isDictionary(t) && arrow.DataType.isUtf8(t.dictionary));
}

/** True for array<string>. */
export function isStringArrayType(t: arrow.DataType): t is arrow.List<arrow.Utf8> {
  return arrow.DataType.isList(t) && isStringType(t.children[0]!.type);
}

/** A string column (Spark: StringType). */
export function checkStringCol(api: string, schema: arrow.Schema, param: string, name: string): number {
  const { index, field } = columnField(api, schema, name);
  if (!isStringType(field.type)) throw Errors.schema(`${api}: column ${name} (${param}) must be of type string, but is ${sparkTypeName(field.type)}`);
  return index;
}

/** An array<string> column (Spark: ArrayType(StringType, _)). */
export function checkStringArrayCol(api: string, schema: arrow.Schema, param: string, name: string): number {
  const { index, field } = columnField(api, schema, name);
  if (!isStringArrayType(field.type)) throw Errors.schema(`${api}: column ${name} (${param}) must be of type array<string>, but is ${sparkTypeName(field.type)}`);
  return index;
}

/** Refuses an output column that already exists (Spark: "Output column … already exists."). */
export function checkNewColumn(api: string, schema: arrow.Schema, outputCol: string): void {
  if (schema.fields.some((f) => f.name.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: Output column ${outputCol} already exists.`);
}

/** The schema with `field` appended. */
export function withField(schema: arrow.Schema, name: string, type: arrow.DataType, nullable = true): arrow.Schema {
  return new arrow.Schema([...schema.fields, new arrow.Field(name, type, nullable)]);
}

/** Spark's array<string> (Tokenizer, RegexTokenizer: nullable elements; NGram: not). */
export const stringArrayType = (containsNull = true): arrow.List<arrow.Utf8> => Types.array(Types.string(), containsNull) as arrow.List<arrow.Utf8>;

/** Where a row's values come from, for the error on a null row. */
export interface RowSite {
  api: string;
  column: string;
  ctx: TaskContext;
}

/** Throws for a null input row (a map task's site names it over the DataFrame; a column name: a summary's RowError). */
export function nullRow(site: RowSite | string, i: number): never {
  if (typeof site === 'string') failRow(i, `column ${site}`, 'is null (Spark fails on a null input of this stage)');
  throw badRowError(site.api, { row: i, what: `column ${site.column}`, why: 'is null (Spark fails on a null input of this stage)' }, site.ctx.partition, site.ctx.rowBase);
}

/** A Utf8 column's string offsets and its bytes as a Buffer (string i = buf[offs[i], offs[i + 1])). */
export function utf8Of(d: AnyData): { offs: Int32Array; buf: Buffer } {
  const bytes = d.values as Uint8Array;
  return { offs: d.valueOffsets as Int32Array, buf: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** The documents of a string column (a null row throws, named over the whole DataFrame). */
export function documentsOf(col: AnyData, site: RowSite): string[] {
  const n = col.length;
  const out = new Array<string>(n);
  if (arrow.DataType.isUtf8(col.type)) {
    const { offs, buf } = utf8Of(col);
    for (let i = 0; i < n; i++) {
      if (!isValidAt(col, i)) nullRow(site, i);
      out[i] = buf.toString('utf8', offs[i]!, offs[i + 1]!);
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = valueAt(col, i);
    if (v === null) nullRow(site, i);
    out[i] = v as string;
  }
  return out;
}

/**
 * The token lists of an array<string> column (a null element is kept as null). A null list
 * throws: named over the DataFrame by `site` in a map task, or (given the column's name, in a
 * summary's reader) as a RowError for `batchSummary`.
 */
export function tokenListsOf(col: AnyData, site: RowSite | string): Array<Array<string | null>> {
  const n = col.length;
  const out = new Array<Array<string | null>>(n);
  const child = col.children[0]! as AnyData;
  const loffs = col.valueOffsets as Int32Array;
  if (arrow.DataType.isUtf8(child.type)) {
    const { offs, buf } = utf8Of(child);
    for (let i = 0; i < n; i++) {
      if (!isValidAt(col, i)) nullRow(site, i);
      const s = loffs[i]!;
      const e = loffs[i + 1]!;
      const row = new Array<string | null>(e - s);
      for (let k = s; k < e; k++) row[k - s] = isValidAt(child, k) ? buf.toString('utf8', offs[k]!, offs[k + 1]!) : null;
      out[i] = row;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = valueAt(col, i);
    if (v === null) nullRow(site, i);
    out[i] = v as Array<string | null>;
  }
  return out;
}

/** An array<string> column from token lists (null elements allowed), built in one pass. */
export function stringListColumn(lists: ReadonlyArray<ReadonlyArray<string | null>>, containsNull = true): AnyData {
  const n = lists.length;
  let count = 0;
  let bytesLen = 0;
  for (let i = 0; i < n; i++) {
    const l = lists[i]!;
    count += l.length;
    for (let k = 0; k < l.length; k++) {
      const s = l[k];
      if (s !== null && s !== undefined) bytesLen += Buffer.byteLength(s, 'utf8');
    }
  }
  if (bytesLen > 0x7fffffff) throw Errors.outOfRange('stringListColumn', 'tokens', 'at most 2 GiB of UTF-8 per partition', bytesLen);
  const listOffsets = new Int32Array(n + 1);
  const offsets = new Int32Array(count + 1);
  const buf = Buffer.allocUnsafe(bytesLen);
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  let k = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const l = lists[i]!;
    for (let j = 0; j < l.length; j++, k++) {
      const s = l[j];
      if (s === null || s === undefined) {
        if (!bitmap) bitmap = new Uint8Array((count + 7) >> 3).fill(0xff);
        bitmap[k >> 3]! &= ~(1 << (k & 7));
        nulls++;
      } else pos += buf.write(s, pos, 'utf8');
      offsets[k + 1] = pos;
    }
    listOffsets[i + 1] = k;
  }
  const type = stringArrayType(containsNull);
  const data = new Uint8Array(buf.buffer, buf.byteOffset, bytesLen);
  const child = arrow.makeData({ type: new arrow.Utf8(), length: count, valueOffsets: offsets, data, nullBitmap: nulls > 0 ? bitmap : undefined, nullCount: nulls });
  return arrow.makeData({ type, length: n, valueOffsets: listOffsets, child, nullCount: 0 } as never) as AnyData;
}

/** Spark's VectorUDT struct column of sparse vectors of one size from sparse rows (no copy of indices / values). */
export function sparseRowsColumn(size: number, rows: { rowOffsets: Int32Array; indices: Int32Array; values: Float64Array }): AnyData {
  const n = rows.rowOffsets.length - 1;
  const st = Types.vectorStruct();
  const [fType, fSize, fIdx, fVal] = st.children as [arrow.Field, arrow.Field, arrow.Field<arrow.List>, arrow.Field<arrow.List>];
  const nnz = rows.indices.length;
  const children = [
    arrow.makeData({ type: fType.type as arrow.Int8, length: n, data: new Int8Array(n), nullCount: 0 }),
    arrow.makeData({ type: fSize.type as arrow.Int32, length: n, data: new Int32Array(n).fill(size), nullCount: 0 }),
    arrow.makeData({ type: fIdx.type, length: n, valueOffsets: rows.rowOffsets, child: arrow.makeData({ type: new arrow.Int32(), length: nnz, data: rows.indices, nullCount: 0 }), nullCount: 0 } as never),
    arrow.makeData({ type: fVal.type, length: n, valueOffsets: rows.rowOffsets, child: arrow.makeData({ type: new arrow.Float64(), length: nnz, data: rows.values, nullCount: 0 }), nullCount: 0 } as never),
  ];
  return arrow.makeData({ type: st, length: n, children, nullCount: 0 } as never) as AnyData;
}

/** The first null row of a column, or -1. */
export function firstNull(col: AnyData): number {
  if (col.nullCount === 0) return -1;
  for (let i = 0; i < col.length; i++) if (!isValidAt(col, i)) return i;
  return -1;
}

/** Fails on the first null row of a column (named over the whole DataFrame). */
export function refuseNulls(col: AnyData, site: RowSite | string): void {
  const i = firstNull(col);
  if (i >= 0) nullRow(site, i);
}

/** Growable UTF-8 bytes and string offsets: an array<string> column written token by token. */
export class TokenWriter {
  bytes: Uint8Array;
  offsets: Int32Array;
  /** Tokens written. */
  k = 0;
  /** Bytes written. */
  pos = 0;

  constructor(bytesHint: number, tokensHint: number) {
    this.bytes = new Uint8Array(Math.max(64, bytesHint));
    this.offsets = new Int32Array(Math.max(16, tokensHint + 1));
  }

  ensureBytes(extra: number): void {
    if (this.pos + extra <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + extra));
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
  }

  /** Ends the current token at the current byte position. */
  endToken(): void {
    if (this.k + 2 > this.offsets.length) {
      const next = new Int32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.offsets[++this.k] = this.pos;
  }

  /** Appends a whole JS string as one token. */
  pushString(s: string): void {
    this.ensureBytes(s.length * 3);
    this.pos += Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).write(s, this.pos, 'utf8');
    this.endToken();
  }

  /** The array<string> column of n rows, row i holding tokens listOffsets[i] .. listOffsets[i + 1]. */
  column(listOffsets: Int32Array, containsNull = true): AnyData {
    const child = arrow.makeData({ type: new arrow.Utf8(), length: this.k, valueOffsets: this.offsets.subarray(0, this.k + 1), data: this.bytes.subarray(0, this.pos), nullCount: 0 });
    return arrow.makeData({ type: stringArrayType(containsNull), length: listOffsets.length - 1, valueOffsets: listOffsets, child, nullCount: 0 } as never) as AnyData;
  }
}
