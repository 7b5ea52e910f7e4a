/**
 * The shapes the Parquet reader passes between its stages: a file's footer as a plan (ParquetFile:
 * metadata, top-level columns, leaf columns), how a leaf's physical values become Arrow values
 * (PrimConv), the Dremel tree of a column (PNode), and a decoded column chunk (levels + values).
 * Follows docs/formats/PARQUET_ARROW_NODE.md ("What Spark needs from a Parquet library").
 */
import type * as arrow from 'apache-arrow';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import type { ValueSink } from './value-sink.js';

export interface ParquetFile {
  file: string;
  size: number;
  metadata: FileMetaData;
  /** Top-level columns of this file, by name. */
  columns: Map<string, ColumnPlan>;
  /** Leaf column descriptors in file order (index = column chunk index). */
  leaves: LeafInfo[];
}

export type Phys = 'i32' | 'i64' | 'i96' | 'f32' | 'f64' | 'bool' | 'bytes' | 'flba';

/** How one leaf's physical values become an Arrow array. */
export interface PrimConv {
  phys: Phys;
  type: arrow.DataType;
  /** Physical → Arrow value conversion. */
  conv: 'none' | 'i8' | 'i16' | 'u8' | 'u16' | 'u32' | 'decimal' | 'u64' | 'tsMillis' | 'tsNanos' | 'f16';
  scale: number;
  typeLength: number;
}

export interface LeafInfo {
  path: string[];
  element: SchemaElement;
  maxDef: number;
  maxRep: number;
  prim: PrimConv;
}

/** The logical tree of one column: how Dremel levels map to Arrow arrays. */
export type PNode =
  | { kind: 'prim'; leaf: number; R: number; dexist: number; def: number }
  | { kind: 'struct'; leaf: number; R: number; dexist: number; def: number; children: PNode[] }
  | { kind: 'list'; leaf: number; R: number; dexist: number; def: number; repR: number; repDef: number; child: PNode }
  | { kind: 'map'; leaf: number; R: number; dexist: number; def: number; repR: number; repDef: number; key: PNode; value: PNode };

export interface ColumnPlan {
  field: arrow.Field;
  node: PNode;
  leafStart: number;
  leafEnd: number;
}

export type FixedArray = Int32Array | BigInt64Array | Float32Array | Float64Array;

export interface Levels {
  n: number;
  defs: Uint8Array | null;
  reps: Uint8Array | null;
  /** Every definition level is the maximum (no null anywhere on the path). */
  allMax: boolean;
}

export interface LeafData {
  levels: Levels;
  values: ValueSink;
}
