/**
 * Arrow schema → the schemas Spark writes into a Parquet file: Spark SQL's schema JSON (the
 * `org.apache.spark.sql.parquet.row.metadata` value, with VectorUDT / MatrixUDT for vector and
 * matrix columns so Spark restores them as vectors) and the physical Parquet schema parquet-mr
 * writes under Spark (root `spark_schema`, 3-level lists `list`/`element`, REQUIRED for
 * non-nullable fields, INT_8/INT_16 for byte/short, DATE, TIMESTAMP_MICROS, UTF8).
 * Each top-level field carries its Spark metadata (ML attributes: dataframe/field-metadata.ts).
 * Follows docs/formats/SPARK_MODEL_FORMAT.md §3 (Parquet data files, VectorUDT, MatrixUDT).
 */
import * as arrow from 'apache-arrow';
import type { SchemaElement } from 'hyparquet';
import { KindlingTypeError } from '../../errors.js';
import { isMatrixType, isVectorType, Types } from '../../dataframe/types.js';
import { sparkMetadataOf } from '../../dataframe/field-metadata.js';

/** The key-value metadata key holding Spark's schema JSON. */
export const SPARK_ROW_METADATA = 'org.apache.spark.sql.parquet.row.metadata';
const VECTOR_UDT = { class: 'org.apache.spark.ml.linalg.VectorUDT', pyClass: 'pyspark.ml.linalg.VectorUDT' };
const MATRIX_UDT = { class: 'org.apache.spark.ml.linalg.MatrixUDT', pyClass: 'pyspark.ml.linalg.MatrixUDT' };

type SparkJsonType = string | Record<string, unknown>;

function sparkField(name: string, type: SparkJsonType, nullable: boolean, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type, nullable, metadata };
}

const VECTOR_SQL_TYPE = {
  type: 'struct',
  fields: [
    sparkField('type', 'byte', false),
    sparkField('size', 'integer', true),
    sparkField('indices', { type: 'array', elementType: 'integer', containsNull: false }, true),
    sparkField('values', { type: 'array', elementType: 'double', containsNull: false }, true),
  ],
};

const MATRIX_SQL_TYPE = {
  type: 'struct',
  fields: [
    sparkField('type', 'byte', false),
    sparkField('numRows', 'integer', false),
    sparkField('numCols', 'integer', false),
    sparkField('colPtrs', { type: 'array', elementType: 'integer', containsNull: false }, true),
    sparkField('rowIndices', { type: 'array', elementType: 'integer', containsNull: false }, true),
    sparkField('values', { type: 'array', elementType: 'double', containsNull: false }, true),
    sparkField('isTransposed', 'boolean', false),
  ],
};

export function unsupportedWrite(name: string, t: arrow.DataType): KindlingTypeError {
  return new KindlingTypeError(`writeParquetPart: column ${JSON.stringify(name)} has type ${String(t)}, which Parquet output does not support (cast it first)`, 'ERR_KINDLING_SCHEMA');
}

function sparkJsonType(name: string, t: arrow.DataType): SparkJsonType {
  if (arrow.DataType.isDictionary(t)) return sparkJsonType(name, t.dictionary);
  if (isVectorType(t)) return { type: 'udt', class: VECTOR_UDT.class, pyClass: VECTOR_UDT.pyClass, sqlType: VECTOR_SQL_TYPE };
  if (isMatrixType(t)) return { type: 'udt', class: MATRIX_UDT.class, pyClass: MATRIX_UDT.pyClass, sqlType: MATRIX_SQL_TYPE };
  if (arrow.DataType.isBool(t)) return 'boolean';
  if (arrow.DataType.isInt(t)) {
    if (t.isSigned) return t.bitWidth === 8 ? 'byte' : t.bitWidth === 16 ? 'short' : t.bitWidth === 32 ? 'integer' : 'long';
    if (t.bitWidth === 8) return 'short';
    if (t.bitWidth === 16) return 'integer';
    if (t.bitWidth === 32) return 'long';
    throw unsupportedWrite(name, t);
  }
  if (arrow.DataType.isFloat(t)) {
    if (t.precision === arrow.Precision.HALF) throw unsupportedWrite(name, t);
    return t.precision === arrow.Precision.DOUBLE ? 'double' : 'float';
  }
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return 'string';
  if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t) || arrow.DataType.isFixedSizeBinary(t)) return 'binary';
  if (arrow.DataType.isDate(t)) return 'date';
  if (arrow.DataType.isTimestamp(t)) return 'timestamp';
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t) || t.typeId === arrow.Type.LargeList) {
    const el = t.children[0]!;
    return { type: 'array', elementType: sparkJsonType(name, el.type), containsNull: el.nullable };
  }
  if (arrow.DataType.isStruct(t)) return { type: 'struct', fields: t.children.map((f) => sparkField(f.name, sparkJsonType(f.name, f.type), f.nullable)) };
  if (arrow.DataType.isMap(t)) {
    const entry = t.children[0]!.type as arrow.Struct;
    const v = entry.children[1]!;
    return { type: 'map', keyType: sparkJsonType(name, entry.children[0]!.type), valueType: sparkJsonType(name, v.type), valueContainsNull: v.nullable };
  }
  throw unsupportedWrite(name, t);
}

/**
 * Spark SQL's schema JSON for an Arrow schema (the `org.apache.spark.sql.parquet.row.metadata`
 * value): Spark type names (integer, long, double, string, …), arrays, structs, maps, and
 * VectorUDT / MatrixUDT for vector and matrix columns.
 */
export function sparkSchemaJson(schema: arrow.Schema): string {
  return JSON.stringify({ type: 'struct', fields: schema.fields.map((f) => sparkField(f.name, sparkJsonType(f.name, f.type), f.nullable, sparkMetadataOf(f))) });
}

/** The physical Parquet schema parquet-mr writes for a Spark schema. */
export function parquetSchemaElements(schema: arrow.Schema): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'spark_schema', num_children: schema.fields.length }];
  const rep = (nullable: boolean) => (nullable ? 'OPTIONAL' : 'REQUIRED') as 'OPTIONAL' | 'REQUIRED';
  const listOf = (name: string, nullable: boolean, el: arrow.DataType, elNullable: boolean, top: string) => {
    out.push({ name, repetition_type: rep(nullable), num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } });
    out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
    emit('element', el, elNullable, top);
  };
  const group = (name: string, nullable: boolean, fields: [string, arrow.DataType, boolean][], top: string) => {
    out.push({ name, repetition_type: rep(nullable), num_children: fields.length });
    for (const [n, t, nl] of fields) emit(n, t, nl, top);
  };
  const emit = (name: string, t: arrow.DataType, nullable: boolean, top: string): void => {
    const r = rep(nullable);
    if (arrow.DataType.isDictionary(t)) return emit(name, t.dictionary, nullable, top);
    if (arrow.DataType.isFixedSizeList(t) && isVectorType(t)) {
      return group(name, nullable, [
        ['type', Types.tinyint(), false],
        ['size', Types.int(), true],
        ['indices', Types.array(Types.int(), false), true],
        ['values', Types.array(Types.double(), false), true],
      ], top);
    }
    if (arrow.DataType.isBool(t)) return void out.push({ name, type: 'BOOLEAN', repetition_type: r });
    if (arrow.DataType.isInt(t)) {
      const signed = t.isSigned;
      const bits = t.bitWidth;
      if (signed && bits === 8) return void out.push({ name, type: 'INT32', repetition_type: r, converted_type: 'INT_8', logical_type: { type: 'INTEGER', bitWidth: 8, isSigned: true } });
      if ((signed && bits === 16) || (!signed && bits === 8)) return void out.push({ name, type: 'INT32', repetition_type: r, converted_type: 'INT_16', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: true } });
      if ((signed && bits === 32) || (!signed && bits === 16)) return void out.push({ name, type: 'INT32', repetition_type: r });
      if ((signed && bits === 64) || (!signed && bits === 32)) return void out.push({ name, type: 'INT64', repetition_type: r });
      throw unsupportedWrite(top, t);
    }
    if (arrow.DataType.isFloat(t)) {
      if (t.precision === arrow.Precision.HALF) throw unsupportedWrite(top, t);
      return void out.push({ name, type: t.precision === arrow.Precision.DOUBLE ? 'DOUBLE' : 'FLOAT', repetition_type: r });
    }
    if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return void out.push({ name, type: 'BYTE_ARRAY', repetition_type: r, converted_type: 'UTF8', logical_type: { type: 'STRING' } });
    if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t) || arrow.DataType.isFixedSizeBinary(t)) return void out.push({ name, type: 'BYTE_ARRAY', repetition_type: r });
    if (arrow.DataType.isDate(t)) return void out.push({ name, type: 'INT32', repetition_type: r, converted_type: 'DATE', logical_type: { type: 'DATE' } });
    if (arrow.DataType.isTimestamp(t)) {
      return void out.push({ name, type: 'INT64', repetition_type: r, converted_type: 'TIMESTAMP_MICROS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } });
    }
    if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t) || t.typeId === arrow.Type.LargeList) {
      const el = t.children[0]!;
      return listOf(name, nullable, el.type, el.nullable, top);
    }
    if (arrow.DataType.isStruct(t)) {
      if (t.children.length === 0) throw unsupportedWrite(top, t);
      return group(name, nullable, t.children.map((f) => [f.name, f.type, f.nullable]), top);
    }
    if (arrow.DataType.isMap(t)) {
      const entry = t.children[0]!.type as arrow.Struct;
      out.push({ name, repetition_type: r, num_children: 1, converted_type: 'MAP', logical_type: { type: 'MAP' } });
      out.push({ name: 'key_value', repetition_type: 'REPEATED', num_children: 2 });
      emit('key', entry.children[0]!.type, false, top);
      emit('value', entry.children[1]!.type, entry.children[1]!.nullable, top);
      return;
    }
    throw unsupportedWrite(top, t);
  };
  for (const f of schema.fields) emit(f.name, f.type, f.nullable, f.name);
  return out;
}
