/**
 * Spark's column rules for ML stages (its SchemaUtils): a column's field (resolved as the
 * DataFrame resolves names), numeric / vector / numeric-array columns, and Spark's weightCol
 * (set and non-empty means used). Each failure names the stage, the column and the param.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { isNumericType, isVectorType, sparkTypeName } from '../../src/dataframe/types.js';

/** The field of a column (Spark's schema(name); case-insensitive as the DataFrame resolves names). */
export function columnField(api: string, schema: arrow.Schema, name: string): { index: number; field: arrow.Field } {
  const index = resolveIndex(api, name, schema);
  return { index, field: schema.fields[index]! };
}

/** Spark's SchemaUtils.checkNumericType. */
export function checkNumeric(api: string, schema: arrow.Schema, param: string, name: string): number {
  const { index, field } = columnField(api, schema, name);
  if (!isNumericType(field.type)) {
    throw Errors.schema(`${api}: column ${name} (${param}) must be of a numeric type, but is ${sparkTypeName(field.type)}`);
  }
  return index;
}

/** A vector column (dense FixedSizeList or VectorUDT struct). */
export function checkVector(api: string, schema: arrow.Schema, param: string, name: string): number {
  const { index, field } = columnField(api, schema, name);
  if (!isVectorType(field.type)) throw Errors.schema(`${api}: column ${name} (${param}) must be a vector column, but is ${sparkTypeName(field.type)}`);
  return index;
}

/** An array of numbers (Spark asks for array<double>; integral JS arrays infer array<bigint>, accepted and read as doubles). */
export function checkNumericArray(api: string, schema: arrow.Schema, param: string, name: string): number {
  const { index, field } = columnField(api, schema, name);
  const t = field.type;
  if (!(arrow.DataType.isList(t) && isNumericType(t.children[0]!.type))) {
    throw Errors.schema(`${api}: column ${name} (${param}) must be an array of numbers (array<double>), but is ${sparkTypeName(t)}`);
  }
  return index;
}

/** True when the weightCol param is set to a non-empty name (Spark: isDefined && nonEmpty). */
export function weightColumnOf(weightCol: string | undefined): string | null {
  return weightCol !== undefined && weightCol.length > 0 ? weightCol : null;
}

/** Spark's weightCol of an evaluator: null when unset or empty, else a numeric column. */
export function checkWeightCol(api: string, schema: arrow.Schema, weightCol: string | undefined): string | null {
  const name = weightColumnOf(weightCol);
  if (name !== null) checkNumeric(api, schema, 'weightCol', name);
  return name;
}
