/**
 * Row-group pruning: a row group is skipped when its column-chunk statistics prove a pushed
 * filter cannot match (min/max, null counts; byte arrays only by the correctly ordered
 * min_value/max_value; never '>' on floats, as Spark orders NaN above every number). Statistics
 * that cannot be interpreted never prune.
 * Follows the PushedFilter contract in io/source.ts and docs/formats/PARQUET_ARROW_NODE.md.
 */
import * as arrow from 'apache-arrow';
import type { ColumnMetaData, SchemaElement, Statistics } from 'hyparquet';
import type { PushedFilter } from '../source.js';
import type { ColumnPlan, LeafInfo, ParquetFile } from './types.js';

function cmpCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const ca = a.codePointAt(i)!;
  const cb = b.codePointAt(i)!;
  return ca - cb;
}

/** The filter value in the column's statistics domain, or undefined when not comparable. */
function statValue(type: arrow.DataType, el: SchemaElement, v: unknown): number | bigint | string | boolean | undefined {
  if (v === null || v === undefined) return undefined;
  if (arrow.DataType.isTimestamp(type)) {
    // Only absolute instants are unambiguous here (a number could be ms or µs).
    return v instanceof Date && !Number.isNaN(v.getTime()) ? BigInt(v.getTime()) * 1000n : undefined;
  }
  if (arrow.DataType.isDate(type)) {
    if (v instanceof Date && !Number.isNaN(v.getTime())) return Math.floor(v.getTime() / 86_400_000);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      const ms = Date.parse(`${v}T00:00:00Z`);
      return Number.isNaN(ms) ? undefined : ms / 86_400_000;
    }
    return undefined;
  }
  if (arrow.DataType.isUtf8(type)) return typeof v === 'string' ? v : undefined;
  if (arrow.DataType.isBool(type)) return typeof v === 'boolean' ? v : undefined;
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) {
    if (el.type === 'INT96') return undefined;
    if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
    if (typeof v === 'bigint') return v;
    return undefined;
  }
  return undefined;
}

function cmp(a: number | bigint | string | boolean, b: number | bigint | string | boolean): number | undefined {
  if (typeof a === 'string' || typeof b === 'string') return typeof a === 'string' && typeof b === 'string' ? cmpCodePoints(a, b) : undefined;
  if (typeof a === 'boolean' || typeof b === 'boolean') return typeof a === 'boolean' && typeof b === 'boolean' ? Number(a) - Number(b) : undefined;
  if (typeof a === 'number' && Number.isNaN(a)) return undefined;
  if (typeof b === 'number' && Number.isNaN(b)) return undefined;
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  // number vs bigint
  if (typeof a === 'number' && !Number.isInteger(a)) return Number(b) > a ? -1 : Number(b) < a ? 1 : 0;
  if (typeof b === 'number' && !Number.isInteger(b)) return Number(a) < b ? -1 : Number(a) > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when the column-chunk statistics prove no row of the group can satisfy the filter. */
function chunkExcludes(f: PushedFilter, plan: ColumnPlan, leaf: LeafInfo, meta: ColumnMetaData): boolean {
  const st: Statistics | undefined = meta.statistics;
  if (!st) return false;
  const rows = meta.num_values;
  const nulls = st.null_count;
  const allNull = nulls !== undefined && nulls === rows;
  if (f.op === 'isNull') return nulls !== undefined && nulls === 0n;
  if (f.op === 'isNotNull') return allNull;
  if (allNull) return true; // a comparison is never true on null
  const type = plan.field.type;
  if (leaf.prim.conv === 'decimal' || leaf.prim.conv === 'u64' || leaf.prim.conv === 'f16') return false; // statistics in another domain
  const isFloat = arrow.DataType.isFloat(type);
  const binary = leaf.element.type === 'BYTE_ARRAY' || leaf.element.type === 'FIXED_LEN_BYTE_ARRAY';
  // For byte arrays only the new min_value/max_value are ordered correctly (old min/max used signed bytes).
  const rawMin = st.min_value ?? (binary ? undefined : st.min);
  const rawMax = st.max_value ?? (binary ? undefined : st.max);
  const norm = (x: unknown): number | bigint | string | boolean | undefined => {
    if (x === undefined || x === null) return undefined;
    if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'string' || typeof x === 'boolean') return x;
    return undefined;
  };
  const min = norm(rawMin);
  const max = norm(rawMax);
  if (min === undefined || max === undefined) return false;
  const vals = f.op === 'in' ? (Array.isArray(f.value) ? f.value : undefined) : [f.value];
  if (!vals) return false;
  const conv = vals.map((v) => statValue(type, leaf.element, v));
  if (conv.some((v) => v === undefined)) return false;
  const values = conv as (number | bigint | string | boolean)[];
  const below = (v: number | bigint | string | boolean) => cmp(v, min); // <0: v < min
  const above = (v: number | bigint | string | boolean) => cmp(v, max); // >0: v > max
  switch (f.op) {
    case '=':
    case 'in':
      if (f.op === 'in' && values.length === 0) return true;
      return values.every((v) => {
        const a = below(v);
        const b = above(v);
        return a !== undefined && b !== undefined && (a < 0 || b > 0);
      });
    case '<': {
      const c = below(values[0]!);
      return c !== undefined && c <= 0; // every row >= min >= v
    }
    case '<=': {
      const c = below(values[0]!);
      return c !== undefined && c < 0;
    }
    // Spark orders NaN above every number, and statistics leave NaN out: never prune '>' on floats.
    case '>': {
      if (isFloat) return false;
      const c = above(values[0]!);
      return c !== undefined && c >= 0;
    }
    case '>=': {
      if (isFloat) return false;
      const c = above(values[0]!);
      return c !== undefined && c > 0;
    }
    default:
      return false;
  }
}

export function rowGroupExcluded(pf: ParquetFile, g: number, filters: readonly PushedFilter[]): boolean {
  const rg = pf.metadata.row_groups[g]!;
  for (const f of filters) {
    const plan = pf.columns.get(f.column);
    if (!plan || plan.node.kind !== 'prim' || plan.leafEnd - plan.leafStart !== 1) continue;
    const meta = rg.columns[plan.leafStart]!.meta_data!;
    try {
      if (chunkExcludes(f, plan, pf.leaves[plan.leafStart]!, meta)) return true;
    } catch {
      // statistics we cannot interpret never prune
    }
  }
  return false;
}
