/**
 * Structural checks of a decoded Arrow RecordBatch against its buffers, run on every batch an
 * Arrow IPC file yields before any of it is read. apache-arrow's reader trusts the message
 * metadata: a damaged length or node count decodes into a batch that claims more rows than its
 * buffers hold, which then reads out of bounds (RangeError) or, with a length near 2^31, yields
 * 65,536-row slices for hours (the "hang" of issue 10). Here every column (and child) must have
 * `offset + length` values inside its value buffer, a validity bitmap covering them when it has
 * nulls, in-order offsets inside the child or data, and a null count <= its length.
 * Layouts follow the Arrow columnar format (docs/formats/PARQUET_ARROW_NODE.md, Arrow IPC).
 */
import * as arrow from 'apache-arrow';

/** Why `data` (a column at `path`) is inconsistent with its buffers, or null when it is sound. */
function checkData(d: arrow.Data, path: string): string | null {
  const t = d.type;
  const end = d.offset + d.length;
  if (!(d.length >= 0 && d.offset >= 0 && Number.isSafeInteger(end))) return `${path}: length ${d.length} at offset ${d.offset}`;
  if (d.length === 0) return null; // nothing is read from an empty column
  const nulls = d.nullCount;
  if (nulls > d.length) return `${path}: ${nulls} nulls in ${d.length} values`;
  if (nulls > 0 && d.nullBitmap && d.nullBitmap.length > 0 && d.nullBitmap.length * 8 < end) return `${path}: validity bitmap of ${d.nullBitmap.length} bytes for ${end} values`;
  const values = d.values as ArrayLike<unknown> | undefined;
  if (arrow.DataType.isNull(t)) return null;
  if (arrow.DataType.isBool(t)) return values && values.length * 8 >= end ? null : `${path}: ${values?.length ?? 0} bytes of booleans for ${end} values`;
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isLargeBinary(t)) {
    return checkOffsets(d.valueOffsets as ArrayLike<number | bigint>, end, d.offset, (values?.length ?? 0), path, 'bytes');
  }
  if (arrow.DataType.isList(t) || arrow.DataType.isMap(t) || t.typeId === arrow.Type.LargeList) {
    const child = d.children[0];
    if (!child) return `${path}: list without its child`;
    return checkOffsets(d.valueOffsets as ArrayLike<number | bigint>, end, d.offset, child.length, path, 'child values') ?? checkData(child, `${path}.element`);
  }
  if (arrow.DataType.isFixedSizeList(t)) {
    const child = d.children[0];
    if (!child) return `${path}: fixed-size list without its child`;
    if (child.length < end * t.listSize) return `${path}: ${child.length} child values for ${end} lists of ${t.listSize}`;
    return checkData(child, `${path}.element`);
  }
  if (arrow.DataType.isStruct(t)) {
    if (d.children.length !== t.children.length) return `${path}: ${d.children.length} children for ${t.children.length} fields`;
    for (let k = 0; k < d.children.length; k++) {
      const c = d.children[k]!;
      if (c.length < end) return `${path}.${t.children[k]!.name}: ${c.length} values for ${end} rows`;
      const bad = checkData(c, `${path}.${t.children[k]!.name}`);
      if (bad) return bad;
    }
    return null;
  }
  if (arrow.DataType.isDictionary(t)) {
    if (!values || values.length < end) return `${path}: ${values?.length ?? 0} dictionary indices for ${end} values`;
    const dict = d.dictionary;
    if (!dict) return `${path}: dictionary-encoded without a dictionary`;
    for (let i = d.offset; i < end; i++) {
      const k = Number(values[i]);
      if (!(k >= 0 && k < dict.length) && d.getValid(i - d.offset)) return `${path}: dictionary index ${k} at row ${i - d.offset} outside ${dict.length} entries`;
    }
    return null;
  }
  if (arrow.DataType.isFixedSizeBinary(t)) return values && values.length >= end * t.byteWidth ? null : `${path}: ${values?.length ?? 0} bytes for ${end} values of ${t.byteWidth}`;
  // fixed-width numbers, dates, times, timestamps, durations, intervals, decimals: `stride` slots per value
  if (values === undefined) return `${path}: no value buffer`;
  const stride = (d as unknown as { stride?: number }).stride ?? 1;
  return values.length >= end * stride ? null : `${path}: ${values.length} values in its buffer for ${end} rows`;
}

function checkOffsets(offsets: ArrayLike<number | bigint> | undefined, end: number, start: number, limit: number, path: string, what: string): string | null {
  if (end === 0) return null;
  if (!offsets || offsets.length < end + 1) return `${path}: ${offsets?.length ?? 0} offsets for ${end} values`;
  let prev = Number(offsets[start]);
  if (!(prev >= 0)) return `${path}: offset ${prev} at row 0`;
  for (let i = start + 1; i <= end; i++) {
    const o = Number(offsets[i]);
    if (!(o >= prev)) return `${path}: offsets decrease at row ${i - 1 - start}`;
    prev = o;
  }
  return prev <= limit ? null : `${path}: offsets reach ${prev} but only ${limit} ${what} exist`;
}

/** Why `batch` is inconsistent with its schema or buffers, or null when every column is sound. */
export function batchDefect(batch: arrow.RecordBatch, schema: arrow.Schema): string | null {
  const cols = batch.data.children;
  if (cols.length !== schema.fields.length) return `${cols.length} columns for a schema of ${schema.fields.length}`;
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k]!;
    const name = schema.fields[k]!.name;
    if (c.length !== batch.numRows) return `column ${name}: ${c.length} values for ${batch.numRows} rows`;
    if (c.type.typeId !== schema.fields[k]!.type.typeId) return `column ${name}: type ${c.type} but the schema says ${schema.fields[k]!.type}`;
    const bad = checkData(c, `column ${name}`);
    if (bad) return bad;
  }
  return null;
}
