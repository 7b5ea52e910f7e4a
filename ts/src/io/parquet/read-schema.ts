/**
 * Parquet schema → Arrow schema, as Spark reads it, and the Dremel plan of each column:
 *   BOOLEAN → Bool; INT32 → Int32 (INT_8 → Int8, INT_16 → Int16, UINT_8 → Int16, UINT_16 → Int32,
 *   UINT_32 → Int64, DATE → DateDay); INT64 → Int64 (TIMESTAMP_MILLIS/MICROS/NANOS → timestamp µs
 *   UTC); INT96 → timestamp µs; FLOAT → Float32; DOUBLE → Float64; BYTE_ARRAY UTF8/STRING/ENUM/JSON
 *   → Utf8, other BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY → Binary; DECIMAL (any physical type) and
 *   UINT_64 → Float64 (a documented approximation: kindling has no decimal type); LIST (3-level
 *   and the legacy 2-level forms) and bare repeated fields → List; groups → Struct; MAP → Map.
 *   REQUIRED fields are non-nullable.
 * Also checks that every column chunk lies inside the file's data region.
 * Follows docs/formats/PARQUET_ARROW_NODE.md ("What Spark needs from a Parquet library").
 */
import * as arrow from 'apache-arrow';
import { parquetSchema } from 'hyparquet';
import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import { KindlingError } from '../../errors.js';
import { Types } from '../../dataframe/types.js';
import { cannotRead, messageOf, unsupported } from './read-errors.js';
import { withSparkMetadata } from '../../dataframe/field-metadata.js';
import { SPARK_ROW_METADATA } from './spark-schema.js';
import type { ColumnPlan, LeafInfo, ParquetFile, Phys, PNode, PrimConv } from './types.js';

function primConv(file: string, path: string[], el: SchemaElement): PrimConv {
  const ct = el.converted_type;
  const lt = el.logical_type;
  const typeLength = el.type_length ?? 0;
  const scale = el.scale ?? (lt?.type === 'DECIMAL' ? lt.scale : 0) ?? 0;
  const isDecimal = ct === 'DECIMAL' || lt?.type === 'DECIMAL';
  const c = (phys: Phys, type: arrow.DataType, conv: PrimConv['conv'] = 'none'): PrimConv => ({ phys, type, conv, scale, typeLength });
  switch (el.type) {
    case 'BOOLEAN':
      return c('bool', Types.boolean());
    case 'INT32': {
      if (isDecimal) return c('i32', Types.double(), 'decimal');
      if (ct === 'DATE' || lt?.type === 'DATE') return c('i32', Types.date());
      const bits = lt?.type === 'INTEGER' ? lt.bitWidth : ct === 'INT_8' || ct === 'UINT_8' ? 8 : ct === 'INT_16' || ct === 'UINT_16' ? 16 : 32;
      const unsigned = (lt?.type === 'INTEGER' && !lt.isSigned) || (ct !== undefined && ct.startsWith('UINT_'));
      if (unsigned) return bits === 8 ? c('i32', Types.smallint(), 'u8') : bits === 16 ? c('i32', Types.int(), 'u16') : c('i32', Types.bigint(), 'u32');
      return bits === 8 ? c('i32', Types.tinyint(), 'i8') : bits === 16 ? c('i32', Types.smallint(), 'i16') : c('i32', Types.int());
    }
    case 'INT64': {
      if (isDecimal) return c('i64', Types.double(), 'decimal');
      if (ct === 'TIMESTAMP_MICROS') return c('i64', Types.timestamp());
      if (ct === 'TIMESTAMP_MILLIS') return c('i64', Types.timestamp(), 'tsMillis');
      if (lt?.type === 'TIMESTAMP') return c('i64', Types.timestamp(), lt.unit === 'MILLIS' ? 'tsMillis' : lt.unit === 'NANOS' ? 'tsNanos' : 'none');
      if (ct === 'UINT_64' || (lt?.type === 'INTEGER' && !lt.isSigned)) return c('i64', Types.double(), 'u64');
      return c('i64', Types.bigint());
    }
    case 'INT96':
      return c('i96', Types.timestamp());
    case 'FLOAT':
      return c('f32', Types.float());
    case 'DOUBLE':
      return c('f64', Types.double());
    case 'BYTE_ARRAY':
      if (isDecimal) return c('bytes', Types.double(), 'decimal');
      if (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' || lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'JSON') return c('bytes', Types.string());
      return c('bytes', Types.binary());
    case 'FIXED_LEN_BYTE_ARRAY':
      if (!(typeLength > 0)) throw unsupported(file, path, 'FIXED_LEN_BYTE_ARRAY without a length');
      if (isDecimal) return c('flba', Types.double(), 'decimal');
      if (lt?.type === 'FLOAT16' && typeLength === 2) return c('flba', Types.float(), 'f16');
      return c('flba', Types.binary());
    default:
      throw unsupported(file, path, String(el.type));
  }
}

function isListAnnotated(el: SchemaElement): boolean {
  return el.converted_type === 'LIST' || el.logical_type?.type === 'LIST';
}

function isMapAnnotated(el: SchemaElement): boolean {
  return el.converted_type === 'MAP' || el.converted_type === 'MAP_KEY_VALUE' || el.logical_type?.type === 'MAP';
}

interface Walk {
  file: string;
  leaves: LeafInfo[];
}

/** Converts one schema node (a field of a struct or of the message). */
function convertField(w: Walk, tree: SchemaTree, parentDef: number, parentRep: number, dexist: number, name = tree.element.name): { field: arrow.Field; node: PNode } {
  if (tree.element.repetition_type === 'REPEATED') {
    // A bare repeated field: a non-null list of non-null elements.
    const repDef = parentDef + 1;
    const repR = parentRep + 1;
    const el = convertNode(w, tree, false, repDef, repR, repDef, 'element');
    const node: PNode = { kind: 'list', leaf: el.node.leaf, R: parentRep, dexist, def: parentDef, repR, repDef, child: el.node };
    return { field: new arrow.Field(name, new arrow.List(el.field), false), node };
  }
  return convertNode(w, tree, tree.element.repetition_type === 'OPTIONAL', parentDef, parentRep, dexist, name);
}

function convertNode(w: Walk, tree: SchemaTree, optional: boolean, parentDef: number, parentRep: number, dexist: number, name: string): { field: arrow.Field; node: PNode } {
  const el = tree.element;
  const def = parentDef + (optional ? 1 : 0);
  if (tree.children.length === 0) {
    const leaf = w.leaves.length;
    const path = tree.path;
    const prim = primConv(w.file, path, el);
    let maxDef = def;
    let maxRep = parentRep;
    if (el.repetition_type === 'REPEATED') {
      // (a repeated leaf used as an element: its levels already count in parentDef/parentRep)
      maxDef = parentDef;
      maxRep = parentRep;
    }
    w.leaves.push({ path, element: el, maxDef, maxRep, prim });
    return { field: new arrow.Field(name, prim.type, optional), node: { kind: 'prim', leaf, R: parentRep, dexist, def } };
  }
  const only = tree.children.length === 1 ? tree.children[0]! : undefined;
  if (isListAnnotated(el) && only && only.element.repetition_type === 'REPEATED') {
    const repDef = def + 1;
    const repR = parentRep + 1;
    let el2: { field: arrow.Field; node: PNode };
    if (only.children.length === 0) {
      el2 = convertNode(w, only, false, repDef, repR, repDef, 'element'); // 2-level: repeated primitive
    } else if (only.children.length > 1 || only.element.name === 'array' || only.element.name === `${el.name}_tuple`) {
      el2 = convertNode(w, only, false, repDef, repR, repDef, 'element'); // 2-level: repeated group is the element
    } else {
      el2 = convertField(w, only.children[0]!, repDef, repR, repDef, 'element'); // 3-level list/element
    }
    const node: PNode = { kind: 'list', leaf: el2.node.leaf, R: parentRep, dexist, def, repR, repDef, child: el2.node };
    return { field: new arrow.Field(name, new arrow.List(el2.field), optional), node };
  }
  if (isMapAnnotated(el) && only && only.element.repetition_type === 'REPEATED' && only.children.length === 2) {
    const repDef = def + 1;
    const repR = parentRep + 1;
    const k = convertField(w, only.children[0]!, repDef, repR, repDef, 'key');
    const v = convertField(w, only.children[1]!, repDef, repR, repDef, 'value');
    const entries = new arrow.Field('entries', new arrow.Struct([new arrow.Field('key', k.field.type, false), v.field]), false);
    const node: PNode = { kind: 'map', leaf: k.node.leaf, R: parentRep, dexist, def, repR, repDef, key: k.node, value: v.node };
    return { field: new arrow.Field(name, new arrow.Map_(entries, false), optional), node };
  }
  const kids = tree.children.map((c) => convertField(w, c, def, parentRep, dexist));
  const first = kids[0]!.node.leaf;
  const node: PNode = { kind: 'struct', leaf: first, R: parentRep, dexist, def, children: kids.map((k) => k.node) };
  return { field: new arrow.Field(name, new arrow.Struct(kids.map((k) => k.field)), optional), node };
}

/**
 * Puts each top-level column's Spark metadata (ML attributes, from the schema JSON Spark writes
 * under SPARK_ROW_METADATA) on its Arrow field (dataframe/field-metadata.ts). The JSON is a
 * hint: when it does not parse, or names no such column, the columns keep no metadata.
 */
function restoreSparkMetadata(metadata: FileMetaData, columns: Map<string, ColumnPlan>): void {
  const json = metadata.key_value_metadata?.find((kv) => kv.key === SPARK_ROW_METADATA)?.value;
  if (!json) return;
  let fields: unknown;
  try {
    fields = (JSON.parse(json) as { fields?: unknown }).fields;
  } catch {
    return;
  }
  if (!Array.isArray(fields)) return;
  for (const f of fields as Array<{ name?: unknown; metadata?: unknown }>) {
    const plan = typeof f?.name === 'string' ? columns.get(f.name) : undefined;
    const md = f?.metadata;
    if (!plan || md === null || typeof md !== 'object' || Array.isArray(md) || Object.keys(md).length === 0) continue;
    plan.field = withSparkMetadata(plan.field, md as Record<string, unknown>);
  }
}

export function describeFile(file: string, size: number, metaLen: number, metadata: FileMetaData): ParquetFile {
  let root: SchemaTree;
  const w: Walk = { file, leaves: [] };
  const columns = new Map<string, ColumnPlan>();
  try {
    root = parquetSchema(metadata);
    for (const child of root.children) {
      const leafStart = w.leaves.length;
      const { field, node } = convertField(w, child, 0, 0, 0);
      columns.set(field.name, { field, node, leafStart, leafEnd: w.leaves.length });
    }
  } catch (e) {
    if (e instanceof KindlingError) throw e;
    throw cannotRead(file, `file is corrupt (bad schema in the footer: ${messageOf(e)})`, e);
  }
  restoreSparkMetadata(metadata, columns);
  // Every column chunk must lie inside the data region of the file, and a column that does not
  // repeat holds one value (or null) per row: a damaged count would otherwise size the buffers.
  const dataEnd = size - metaLen - 8;
  metadata.row_groups.forEach((rg, g) => {
    if (rg.columns.length !== w.leaves.length) throw cannotRead(file, `file is corrupt (row group ${g} has ${rg.columns.length} column chunks, the schema ${w.leaves.length})`);
    const rows = Number(rg.num_rows);
    if (!(rows >= 0 && rows < 2 ** 31)) throw cannotRead(file, `file is corrupt (row group ${g} declares ${rg.num_rows} rows)`);
    rg.columns.forEach((chunk, c) => {
      const m = chunk.meta_data;
      if (chunk.file_path) throw cannotRead(file, 'column chunks in external files are not supported');
      if (!m) throw cannotRead(file, `file is corrupt (row group ${g} column ${c} has no metadata)`);
      const start = Number(m.dictionary_page_offset || m.data_page_offset);
      const end = start + Number(m.total_compressed_size);
      if (!(start >= 4 && end <= dataEnd && end >= start)) {
        throw cannotRead(file, `file is truncated or corrupt (column ${m.path_in_schema.join('.')} of row group ${g} lies outside the data: bytes ${start}..${end} of ${dataEnd})`);
      }
      if (w.leaves[c]!.maxRep === 0 && Number(m.num_values) !== rows) {
        throw cannotRead(file, `file is corrupt (column ${m.path_in_schema.join('.')} of row group ${g} declares ${m.num_values} values for ${rows} rows)`);
      }
    });
  });
  return { file, size, metadata, columns, leaves: w.leaves };
}
