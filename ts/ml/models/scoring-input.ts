/**
 * MLflow's scoring input formats (mlflow.pyfunc.scoring_server): a JSON object with exactly one of
 * `dataframe_split` (`{columns, data, index?}`), `dataframe_records` (a list of row objects),
 * `instances` or `inputs` (a list of row objects, a list of values for a one-column signature, or
 * — `inputs` only — an object of column lists), turned into one table form (`columns` and row
 * arrays) and checked against the model's signature: every required column present, no column
 * the signature lacks, every value of its column's type. Format errors are
 * ERR_KINDLING_INVALID_ARG (HTTP 400 BAD_REQUEST); schema errors are ERR_KINDLING_SCHEMA (HTTP 400
 * INVALID_PARAMETER_VALUE), and both name the column and row.
 */
import { Errors, describeValue } from '../../src/errors.js';
import { isVector } from '../linalg/vectors.js';
import type { ColSpec, ModelSignature } from './signature.js';

export interface TableInput {
  columns: string[];
  data: unknown[][];
}

export const INPUT_FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
const API = 'scoring';
const bad = (what: string, value: unknown) => Errors.invalidArg(API, 'the request', what, value);

function fromRecords(key: string, rows: unknown[], sig: ModelSignature | null): TableInput {
  if (rows.length > 0 && rows.every((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    // values of a one-column signature (instances: [v, v, …])
    const only = sig?.inputs.length === 1 ? sig.inputs[0]!.name : undefined;
    if (only === undefined) throw bad(`${key} as a list of objects (a list of values needs a signature with one input column)`, rows[0]);
    return { columns: [only], data: rows.map((v) => [v]) };
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw bad(`${key}[${i}] as an object of column values`, r);
    for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), columns.push(k));
  });
  return { columns, data: rows.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])) };
}

/** The table a parsed request body holds (format errors name the key at fault). */
export function parseScoringInput(body: unknown, sig: ModelSignature | null): TableInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad(`a JSON object with one of ${INPUT_FORMATS.join(', ')}`, body);
  const keys = Object.keys(body).filter((k) => k !== 'params');
  const fmt = keys.filter((k) => (INPUT_FORMATS as readonly string[]).includes(k));
  if (fmt.length !== 1 || keys.length !== 1) throw bad(`exactly one of ${INPUT_FORMATS.join(', ')} (got keys ${keys.join(', ') || 'none'})`, body);
  const key = fmt[0]!;
  const v = (body as Record<string, unknown>)[key];
  if (key === 'dataframe_split') {
    const s = v as { columns?: unknown; data?: unknown };
    if (s === null || typeof s !== 'object' || !Array.isArray(s.data)) throw bad('dataframe_split as {"columns": [...], "data": [[...], ...]}', v);
    const columns = s.columns ?? sig?.inputs.map((c) => c.name);
    if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw bad('dataframe_split.columns as a list of column names', s.columns);
    s.data.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== columns.length) throw bad(`dataframe_split.data[${i}] as a list of ${columns.length} values`, row);
    });
    return { columns: columns as string[], data: s.data as unknown[][] };
  }
  if (key === 'inputs' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const cols = Object.entries(v as Record<string, unknown>);
    const n = Array.isArray(cols[0]?.[1]) ? (cols[0]![1] as unknown[]).length : 0;
    for (const [c, vals] of cols) if (!Array.isArray(vals) || vals.length !== n) throw bad(`inputs.${c} as a list of ${n} values`, vals);
    return { columns: cols.map(([c]) => c), data: Array.from({ length: n }, (_, i) => cols.map(([, vals]) => (vals as unknown[])[i])) };
  }
  if (!Array.isArray(v)) throw bad(`${key} as a list`, v);
  return fromRecords(key, v, sig);
}

function typeError(spec: ColSpec, name: string, row: number, value: unknown): Error {
  const want = spec.type === 'array' ? `array<${spec.items?.type ?? 'double'}>` : spec.type;
  return Errors.schema(`${API}: row ${row} of column ${name} must be ${want}, got ${describeValue(value)}`);
}

function valueOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'double': case 'float': return typeof v === 'number';
    case 'long': case 'integer': return Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'string': case 'datetime': case 'binary': return typeof v === 'string';
    default: return true;
  }
}

/** The table with its columns in the signature's order, every value checked (no signature: as given). */
export function enforceSignature(t: TableInput, sig: ModelSignature | null): TableInput {
  if (!sig || sig.inputs.length === 0 || sig.inputs.some((c) => c.name === undefined || (c.type as string) === 'tensor')) return t;
  if (t.data.length === 0 && t.columns.length === 0) return { columns: sig.inputs.map((c) => c.name!), data: [] }; // no rows, so no columns to check
  const at = new Map(t.columns.map((c, j) => [c, j]));
  const missing = sig.inputs.filter((c) => c.required !== false && !at.has(c.name!)).map((c) => c.name!);
  if (missing.length > 0) throw Errors.schema(`${API}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} required by the model's signature (${sig.inputs.map((c) => c.name).join(', ')})`);
  const known = new Set(sig.inputs.map((c) => c.name!));
  const extra = t.columns.filter((c) => !known.has(c));
  if (extra.length > 0) throw Errors.schema(`${API}: column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not in the model's signature (${sig.inputs.map((c) => c.name).join(', ')})`);
  const order = sig.inputs.map((c) => at.get(c.name!));
  const data = t.data.map((row, r) => sig.inputs.map((spec, j) => {
    const idx = order[j];
    const v = idx === undefined ? null : row[idx];
    if (v === null || v === undefined) {
      if (spec.required !== false) throw Errors.schema(`${API}: row ${r} of column ${spec.name} is null, but the signature requires a value`);
      return null;
    }
    if (spec.type === 'sparkml_vector' && isVector(v)) return v; // predict(rows) given kindling vectors
    if (spec.type === 'array' || spec.type === 'sparkml_vector') {
      const item = spec.type === 'array' ? spec.items?.type ?? 'double' : 'double';
      if (!Array.isArray(v) || !v.every((x) => valueOk(item, x))) throw typeError(spec, spec.name!, r, v);
    } else if (!valueOk(spec.type, v)) throw typeError(spec, spec.name!, r, v);
    return v;
  }));
  return { columns: sig.inputs.map((c) => c.name!), data };
}
