/**
 * Model signatures as MLflow writes them (../shared/formats/MLFLOW.md §3, "Signature"): column
 * specs `{"type", "name", "required"}` with MLflow's type names, serialized as JSON strings inside
 * the MLmodel YAML. Inferred from an Arrow schema: double, float, long, integer, boolean, string,
 * binary, datetime; an `array<T>` column is MLflow's array type (`{"type": "array", "items":
 * {"type": T}}`) and a Spark ML vector column is MLflow's `sparkml_vector` (what mlflow.spark
 * infers for VectorUDT columns since MLflow 2.15). The arrow types of a signature's columns are
 * what scoring builds a DataFrame with.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isVectorType, Types } from '../../src/dataframe/types.js';

export type ColumnType = 'double' | 'float' | 'long' | 'integer' | 'boolean' | 'string' | 'binary' | 'datetime' | 'sparkml_vector' | 'array';

export interface ColSpec {
  type: ColumnType;
  name?: string;
  required?: boolean;
  /** The element spec of an `array` column. */
  items?: { type: ColumnType };
}

export interface ModelSignature {
  inputs: ColSpec[];
  outputs: ColSpec[];
  params?: unknown;
}

/** MLflow's type name of an Arrow type (throws naming the column when MLflow has none). */
export function mlflowType(api: string, field: arrow.Field): Pick<ColSpec, 'type' | 'items'> {
  const t = field.type;
  if (isVectorType(t)) return { type: 'sparkml_vector' };
  if (arrow.DataType.isList(t)) {
    const inner = mlflowType(api, t.children[0]!);
    if (inner.type === 'array' || inner.type === 'sparkml_vector') throw Errors.schema(`${api}: column ${field.name} is a nested array, which a kindling signature does not describe`);
    return { type: 'array', items: { type: inner.type } };
  }
  if (arrow.DataType.isFloat(t)) return { type: t.precision === arrow.Precision.DOUBLE ? 'double' : 'float' };
  if (arrow.DataType.isInt(t)) return { type: t.bitWidth === 64 ? 'long' : 'integer' };
  if (arrow.DataType.isBool(t)) return { type: 'boolean' };
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return { type: 'string' };
  if (arrow.DataType.isBinary(t)) return { type: 'binary' };
  if (arrow.DataType.isTimestamp(t) || arrow.DataType.isDate(t)) return { type: 'datetime' };
  throw Errors.schema(`${api}: column ${field.name} has type ${String(t)}, which has no MLflow signature type`);
}

/**
 * The column specs of `fields`, in MLflow's key order (type, name, required). A column in
 * `optional` is `required: false`, as MLflow infers for a column with missing values in the
 * input example (scoring then accepts rows without it).
 */
export function colSpecs(api: string, fields: readonly arrow.Field[], named = true, optional: ReadonlySet<string> = new Set()): ColSpec[] {
  return fields.map((f) => {
    const { type, items } = mlflowType(api, f);
    return { type, ...(items ? { items } : {}), ...(named ? { name: f.name } : {}), required: !optional.has(f.name) };
  });
}

/** The Arrow type a column of this spec is built with when scoring builds a DataFrame. */
export function arrowTypeOf(spec: ColSpec): arrow.DataType {
  switch (spec.type) {
    case 'double': return new arrow.Float64();
    case 'float': return new arrow.Float32();
    case 'long': return new arrow.Int64();
    case 'integer': return new arrow.Int32();
    case 'boolean': return new arrow.Bool();
    case 'string': return new arrow.Utf8();
    case 'binary': return new arrow.Binary();
    case 'datetime': return new arrow.TimestampMicrosecond();
    case 'sparkml_vector': return Types.vectorStruct();
    case 'array': return new arrow.List(new arrow.Field('element', arrowTypeOf({ type: spec.items?.type ?? 'double' }), true));
  }
}

/** JSON as Python's json.dumps writes it by default (`", "` and `": "` separators), as MLflow's files hold it. */
export function pythonJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/,\n\s*/g, ', ').replace(/\n\s*/g, '');
}

/** The MLmodel `signature` mapping: inputs and outputs as JSON strings, params null. */
export function signatureToYaml(sig: ModelSignature): Record<string, string | null> {
  return { inputs: pythonJson(sig.inputs), outputs: pythonJson(sig.outputs), params: sig.params === undefined || sig.params === null ? null : pythonJson(sig.params) };
}

const KNOWN = new Set<string>(['double', 'float', 'long', 'integer', 'boolean', 'string', 'binary', 'datetime', 'sparkml_vector', 'array']);

/** A signature read from an MLmodel file (`file` names it in errors); tensor-based signatures keep their specs as written. */
export function parseSignature(file: string, raw: unknown): ModelSignature | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object') throw Errors.load(`loadModel: ${file}: signature must be a mapping, got ${typeof raw}`);
  const r = raw as Record<string, unknown>;
  const specs = (key: string): ColSpec[] => {
    const v = r[key];
    if (v === undefined || v === null) return [];
    let parsed: unknown;
    try {
      parsed = typeof v === 'string' ? JSON.parse(v) : v;
    } catch (e) {
      throw Errors.load(`loadModel: ${file}: signature.${key} is not valid JSON: ${(e as Error).message}`, e);
    }
    if (!Array.isArray(parsed)) throw Errors.load(`loadModel: ${file}: signature.${key} must be a JSON list of column specs`);
    parsed.forEach((s, i) => {
      const type = (s as { type?: unknown })?.type;
      if (typeof type !== 'string' || (!KNOWN.has(type) && type !== 'tensor')) throw Errors.load(`loadModel: ${file}: signature.${key}[${i}] has type ${JSON.stringify(type)}, not an MLflow column type`);
    });
    return parsed as ColSpec[];
  };
  let params: unknown = r.params ?? null;
  if (typeof params === 'string') params = JSON.parse(params);
  return { inputs: specs('inputs'), outputs: specs('outputs'), params };
}
