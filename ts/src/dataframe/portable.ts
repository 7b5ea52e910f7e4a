/**
 * Partitions as plain data, for executor tasks: an Arrow RecordBatch becomes a tree of type
 * descriptors, lengths and views of its buffers (no copy; structured-cloneable, so a pool shares
 * SharedArrayBuffer-backed arrays and copies the others — exec/pool-backend.ts compacts partial
 * views first), and back. Machines will use Arrow IPC streams instead.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import type { AnyData } from './batch.js';

export type TypeDesc =
  | { id: 'null' | 'bool' | 'utf8' | 'binary' | 'dateDay' | 'dateMs' }
  | { id: 'int'; bits: 8 | 16 | 32 | 64; signed: boolean }
  | { id: 'float'; precision: 16 | 32 | 64 }
  | { id: 'timestamp'; unit: number; tz: string | null }
  | { id: 'list' | 'fsl'; size?: number; child: FieldDesc }
  | { id: 'struct'; fields: FieldDesc[] }
  | { id: 'map'; child: FieldDesc; sorted: boolean }
  | { id: 'dict'; value: TypeDesc; index: TypeDesc; dictId: number };

export interface FieldDesc {
  name: string;
  nullable: boolean;
  type: TypeDesc;
  /** The field's metadata entries (Spark's column metadata: dataframe/field-metadata.ts), when it has any. */
  metadata?: Array<[string, string]>;
}

export interface PlainData {
  type: TypeDesc;
  offset: number;
  length: number;
  nullCount: number;
  valueOffsets?: ArrayBufferView;
  values?: ArrayBufferView;
  nullBitmap?: Uint8Array;
  children: PlainData[];
  dictionary?: PlainData;
}

export interface PlainBatch {
  fields: FieldDesc[];
  numRows: number;
  columns: PlainData[];
}

export function typeToDesc(t: arrow.DataType): TypeDesc {
  switch (t.typeId) {
    case arrow.Type.Null: return { id: 'null' };
    case arrow.Type.Bool: return { id: 'bool' };
    case arrow.Type.Utf8: return { id: 'utf8' };
    case arrow.Type.Binary: return { id: 'binary' };
    case arrow.Type.Int: { const i = t as arrow.Int; return { id: 'int', bits: i.bitWidth as 8 | 16 | 32 | 64, signed: i.isSigned }; }
    case arrow.Type.Float: { const p = (t as arrow.Float).precision; return { id: 'float', precision: p === arrow.Precision.DOUBLE ? 64 : p === arrow.Precision.SINGLE ? 32 : 16 }; }
    case arrow.Type.Date: return { id: (t as arrow.Date_).unit === arrow.DateUnit.DAY ? 'dateDay' : 'dateMs' };
    case arrow.Type.Timestamp: { const ts = t as arrow.Timestamp; return { id: 'timestamp', unit: ts.unit, tz: ts.timezone ?? null }; }
    case arrow.Type.List: return { id: 'list', child: fieldToDesc(t.children[0]!) };
    case arrow.Type.FixedSizeList: return { id: 'fsl', size: (t as arrow.FixedSizeList).listSize, child: fieldToDesc(t.children[0]!) };
    case arrow.Type.Struct: return { id: 'struct', fields: t.children.map(fieldToDesc) };
    case arrow.Type.Map: return { id: 'map', child: fieldToDesc(t.children[0]!), sorted: (t as arrow.Map_).keysSorted };
    case arrow.Type.Dictionary: { const d = t as arrow.Dictionary; return { id: 'dict', value: typeToDesc(d.dictionary), index: typeToDesc(d.indices), dictId: d.id }; }
    default: throw Errors.schema(`portable: unsupported Arrow type ${String(t)}`);
  }
}

export function descToType(d: TypeDesc): arrow.DataType {
  switch (d.id) {
    case 'null': return new arrow.Null();
    case 'bool': return new arrow.Bool();
    case 'utf8': return new arrow.Utf8();
    case 'binary': return new arrow.Binary();
    case 'dateDay': return new arrow.DateDay();
    case 'dateMs': return new arrow.DateMillisecond();
    case 'int': return new arrow.Int(d.signed, d.bits);
    case 'float': return new arrow.Float(d.precision === 64 ? arrow.Precision.DOUBLE : d.precision === 32 ? arrow.Precision.SINGLE : arrow.Precision.HALF);
    case 'timestamp': return new arrow.Timestamp(d.unit, d.tz);
    case 'list': return new arrow.List(descToField(d.child));
    case 'fsl': return new arrow.FixedSizeList(d.size!, descToField(d.child));
    case 'struct': return new arrow.Struct(d.fields.map(descToField));
    case 'map': return new arrow.Map_(descToField(d.child) as arrow.Field<arrow.Struct>, d.sorted);
    case 'dict': return new arrow.Dictionary(descToType(d.value), descToType(d.index) as never, d.dictId);
  }
}

export function fieldToDesc(f: arrow.Field): FieldDesc {
  const d: FieldDesc = { name: f.name, nullable: f.nullable, type: typeToDesc(f.type) };
  if (f.metadata.size > 0) d.metadata = [...f.metadata];
  return d;
}

export function descToField(f: FieldDesc): arrow.Field {
  return new arrow.Field(f.name, descToType(f.type), f.nullable, f.metadata ? new Map(f.metadata) : undefined);
}

export function schemaToDesc(s: arrow.Schema): FieldDesc[] {
  return s.fields.map(fieldToDesc);
}

export function descToSchema(fields: FieldDesc[]): arrow.Schema {
  return new arrow.Schema(fields.map(descToField));
}

export function dataToPlain(d: AnyData): PlainData {
  const p: PlainData = { type: typeToDesc(d.type), offset: d.offset, length: d.length, nullCount: d.nullCount, children: d.children.map((c) => dataToPlain(c as AnyData)) };
  if (d.valueOffsets) p.valueOffsets = d.valueOffsets as ArrayBufferView;
  if (d.values) p.values = d.values as unknown as ArrayBufferView;
  if (d.nullBitmap && d.nullBitmap.length > 0) p.nullBitmap = d.nullBitmap;
  if (d.dictionary) {
    const dict = d.dictionary.data;
    if (dict.length !== 1) throw Errors.schema('portable: a dictionary must be one chunk');
    p.dictionary = dataToPlain(dict[0] as AnyData);
  }
  return p;
}

export function plainToData(p: PlainData): AnyData {
  const type = descToType(p.type);
  const children = p.children.map(plainToData);
  const dictionary = p.dictionary ? arrow.makeVector(plainToData(p.dictionary)) : undefined;
  return new arrow.Data(type, p.offset, p.length, p.nullCount, [p.valueOffsets, p.values, p.nullBitmap] as never, children, dictionary as never);
}

export function batchToPlain(b: arrow.RecordBatch): PlainBatch {
  return { fields: schemaToDesc(b.schema), numRows: b.numRows, columns: b.data.children.map((c) => dataToPlain(c as AnyData)) };
}

export function plainToBatch(p: PlainBatch): arrow.RecordBatch {
  const schema = descToSchema(p.fields);
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: p.numRows, children: p.columns.map(plainToData), nullCount: 0 });
  return new arrow.RecordBatch(schema, data);
}
