/**
 * Column types: Spark's type names over Arrow types (ARCHITECTURE.md, "Data").
 *
 *   boolean   Bool                 int        Int32          bigint   Int64
 *   float     Float32              double     Float64        string   Utf8 (or Dictionary<Utf8>)
 *   date      DateDay              timestamp  Timestamp[µs, UTC]     binary Binary
 *   array<T>  List<T>              struct<…>  Struct         vector   FixedSizeList<Float64>[d] (dense)
 *   tinyint / smallint  Int8 / Int16 (read from Spark files)
 *
 * Sparse vectors use the struct Spark writes for its VectorUDT
 * (type: int8, size: int32, indices: array<int>, values: array<double>); `isVectorType` accepts
 * both forms and `sparkTypeName` names both `vector`.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';

export type SparkTypeName =
  | 'boolean' | 'tinyint' | 'smallint' | 'int' | 'bigint' | 'float' | 'double' | 'string'
  | 'date' | 'timestamp' | 'binary' | 'vector' | 'null' | string;

export const Types = {
  boolean: () => new arrow.Bool(),
  tinyint: () => new arrow.Int8(),
  smallint: () => new arrow.Int16(),
  int: () => new arrow.Int32(),
  bigint: () => new arrow.Int64(),
  float: () => new arrow.Float32(),
  double: () => new arrow.Float64(),
  string: () => new arrow.Utf8(),
  date: () => new arrow.DateDay(),
  timestamp: () => new arrow.TimestampMicrosecond('UTC'),
  binary: () => new arrow.Binary(),
  null: () => new arrow.Null(),
  array: (element: arrow.DataType, containsNull = true) => new arrow.List(new arrow.Field('element', element, containsNull)),
  /** A dense vector column of dimension d. */
  vector: (d: number) => new arrow.FixedSizeList(d, new arrow.Field('element', new arrow.Float64(), false)),
  /** Spark's VectorUDT struct (sparse or dense rows). */
  vectorStruct: () =>
    new arrow.Struct([
      new arrow.Field('type', new arrow.Int8(), false),
      new arrow.Field('size', new arrow.Int32(), true),
      new arrow.Field('indices', new arrow.List(new arrow.Field('element', new arrow.Int32(), false)), true),
      new arrow.Field('values', new arrow.List(new arrow.Field('element', new arrow.Float64(), false)), true),
    ]),
} as const;

/** True for a dense vector column (FixedSizeList<Float64>) or Spark's VectorUDT struct. */
export function isVectorType(t: arrow.DataType): boolean {
  if (arrow.DataType.isFixedSizeList(t)) return arrow.DataType.isFloat(t.children[0]!.type) && (t.children[0]!.type as arrow.Float).precision === arrow.Precision.DOUBLE;
  if (arrow.DataType.isStruct(t)) {
    const names = t.children.map((f) => f.name).join(',');
    return names === 'type,size,indices,values';
  }
  return false;
}

/** True for Spark's MatrixUDT struct (type, numRows, numCols, colPtrs, rowIndices, values, isTransposed). */
export function isMatrixType(t: arrow.DataType): boolean {
  return arrow.DataType.isStruct(t) && t.children.map((f) => f.name).join(',') === 'type,numRows,numCols,colPtrs,rowIndices,values,isTransposed';
}

export function isNumericType(t: arrow.DataType): boolean {
  return arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || arrow.DataType.isDecimal(t);
}

export function isStringType(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || (arrow.DataType.isDictionary(t) && (arrow.DataType.isUtf8(t.dictionary) || arrow.DataType.isLargeUtf8(t.dictionary)));
}

/** Spark's simpleString of an Arrow type: 'int', 'double', 'array<string>', 'struct<a:int>', 'vector'. */
export function sparkTypeName(t: arrow.DataType): SparkTypeName {
  if (isVectorType(t)) return 'vector';
  if (arrow.DataType.isDictionary(t)) return sparkTypeName(t.dictionary);
  if (arrow.DataType.isBool(t)) return 'boolean';
  if (arrow.DataType.isInt(t)) {
    const bits = t.bitWidth;
    return bits === 8 ? 'tinyint' : bits === 16 ? 'smallint' : bits === 32 ? 'int' : 'bigint';
  }
  if (arrow.DataType.isFloat(t)) return t.precision === arrow.Precision.DOUBLE ? 'double' : t.precision === arrow.Precision.SINGLE ? 'float' : 'float';
  if (arrow.DataType.isDecimal(t)) return `decimal(${t.precision},${t.scale})`;
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return 'string';
  if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t)) return 'binary';
  if (arrow.DataType.isDate(t)) return 'date';
  if (arrow.DataType.isTimestamp(t)) return 'timestamp';
  if (arrow.DataType.isNull(t)) return 'void';
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t)) return `array<${sparkTypeName(t.children[0]!.type)}>`;
  if (arrow.DataType.isStruct(t)) return `struct<${t.children.map((f) => `${f.name}:${sparkTypeName(f.type)}`).join(',')}>`;
  if (arrow.DataType.isMap(t)) {
    const entry = t.children[0]!.type as arrow.Struct;
    return `map<${sparkTypeName(entry.children[0]!.type)},${sparkTypeName(entry.children[1]!.type)}>`;
  }
  return String(t).toLowerCase();
}

/** Parses a Spark type name ('int', 'double', 'array<string>', 'vector', …) into an Arrow type. */
export function parseTypeName(api: string, name: string): arrow.DataType {
  const s = typeof name === 'string' ? name.trim().toLowerCase() : '';
  const simple: Record<string, () => arrow.DataType> = {
    boolean: Types.boolean, bool: Types.boolean, tinyint: Types.tinyint, byte: Types.tinyint, smallint: Types.smallint, short: Types.smallint,
    int: Types.int, integer: Types.int, bigint: Types.bigint, long: Types.bigint, float: Types.float, real: Types.float,
    double: Types.double, string: Types.string, date: Types.date, timestamp: Types.timestamp, binary: Types.binary, vector: Types.vectorStruct,
  };
  const f = simple[s];
  if (f) return f();
  const arr = /^array<(.+)>$/.exec(s);
  if (arr) return Types.array(parseTypeName(api, arr[1]!));
  throw Errors.invalidArg(api, 'type', 'a Spark type name (boolean, int, bigint, float, double, string, date, timestamp, binary, array<T>, vector)', name);
}

/** Spark's DataType.typeName, which printSchema shows (integer, long, short, byte where dtypes says int, bigint, …). */
export function sparkTypeNameLong(t: arrow.DataType): string {
  const s = sparkTypeName(t);
  const long: Record<string, string> = { int: 'integer', bigint: 'long', smallint: 'short', tinyint: 'byte', void: 'void' };
  return long[s] ?? s;
}

/** Spark's printSchema tree (treeString), with Spark's type names. */
export function schemaTreeString(schema: arrow.Schema): string {
  const lines = ['root'];
  const walk = (fields: readonly arrow.Field[], depth: number) => {
    for (const f of fields) {
      const t = f.type;
      const pad = ' |   '.repeat(depth);
      const isStruct = arrow.DataType.isStruct(t) && !isVectorType(t);
      const isList = arrow.DataType.isList(t);
      const label = isStruct ? 'struct' : isList ? 'array' : sparkTypeNameLong(t);
      lines.push(`${pad} |-- ${f.name}: ${label} (nullable = ${f.nullable})`);
      if (isStruct) walk(t.children, depth + 1);
      if (isList) {
        const el = t.children[0]!;
        const elStruct = arrow.DataType.isStruct(el.type) && !isVectorType(el.type);
        lines.push(`${' |   '.repeat(depth + 1)} |-- element: ${elStruct ? 'struct' : arrow.DataType.isList(el.type) ? 'array' : sparkTypeNameLong(el.type)} (containsNull = ${el.nullable})`);
        if (elStruct) walk(el.type.children, depth + 2);
      }
    }
  };
  walk(schema.fields, 0);
  return lines.join('\n') + '\n';
}
