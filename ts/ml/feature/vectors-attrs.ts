/**
 * A minimal reader of Spark's ML attribute metadata, as far as the vector transformers need it:
 * the Arrow field metadata key `ml_attr` holding Spark's JSON (a vector column's attribute group
 * `{"attrs":{"numeric":[{"idx":0,"name":"a"}],"nominal":[{"idx":1,"vals":["x","y"]}],…},"num_attrs":N}`,
 * a scalar column's attribute `{"type":"nominal","vals":[…]}` or `{"type":"nominal","num_vals":3}`).
 * VectorSlicer reads feature names and the group size, Interaction the nominal sizes.
 * Integration note: ts/ml/attribute/ (another branch of issue 14) is the full model; this file
 * reads the same JSON and can be replaced by it.
 */
import type * as arrow from 'apache-arrow';

export const ML_ATTR_KEY = 'ml_attr';

interface AttrJson {
  idx?: number;
  name?: string;
  type?: string;
  vals?: string[];
  num_vals?: number;
}

function attrJsonOf(field: arrow.Field): Record<string, unknown> | null {
  const text = field.metadata.get(ML_ATTR_KEY);
  if (text === undefined) return null;
  try {
    const o = JSON.parse(text) as unknown;
    return o !== null && typeof o === 'object' ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function nominalSize(a: AttrJson): number {
  if (Array.isArray(a.vals)) return a.vals.length;
  return typeof a.num_vals === 'number' ? a.num_vals : -1;
}

/** A vector column's attribute group: its size (num_attrs, or -1) and, per index, the name and the nominal size of nominal attributes. */
export interface AttrGroup {
  size: number;
  names: Map<string, number>;
  nominal: Map<number, number>;
}

export function attrGroupOf(field: arrow.Field): AttrGroup | null {
  const o = attrJsonOf(field);
  if (!o) return null;
  const names = new Map<string, number>();
  const nominal = new Map<number, number>();
  let maxIdx = -1;
  const attrs = (o.attrs ?? {}) as Record<string, AttrJson[]>;
  for (const [kind, list] of Object.entries(attrs)) {
    if (!Array.isArray(list)) continue;
    for (const a of list) {
      if (typeof a?.idx !== 'number') continue;
      maxIdx = Math.max(maxIdx, a.idx);
      if (typeof a.name === 'string') names.set(a.name, a.idx);
      if (kind === 'nominal') nominal.set(a.idx, nominalSize(a));
    }
  }
  const size = typeof o.num_attrs === 'number' ? o.num_attrs : maxIdx >= 0 ? maxIdx + 1 : -1;
  return { size, names, nominal };
}

/** The number of values of a nominal scalar column, -1 for numeric, binary (Spark's Interaction takes those as values) or no metadata. */
export function nominalSizeOf(field: arrow.Field): number {
  const o = attrJsonOf(field) as AttrJson | null;
  if (!o) return -1;
  if (o.type === 'nominal') return nominalSize(o);
  return -1;
}

/**
 * The attribute group of a slice of `field`'s vector (Spark's VectorSlicer output metadata): the
 * attributes at `indices`, in that order, re-indexed from 0 with their kinds and values kept;
 * null when the field has no attributes.
 */
export function slicedAttrJson(field: arrow.Field, indices: readonly number[]): string | null {
  const o = attrJsonOf(field);
  if (!o) return null;
  const pos = new Map(indices.map((i, j) => [i, j]));
  const attrs: Record<string, AttrJson[]> = {};
  for (const [kind, list] of Object.entries((o.attrs ?? {}) as Record<string, AttrJson[]>)) {
    if (!Array.isArray(list)) continue;
    const kept = list.filter((a) => typeof a?.idx === 'number' && pos.has(a.idx)).map((a) => ({ ...a, idx: pos.get(a.idx!)! }));
    if (kept.length > 0) attrs[kind] = kept.sort((a, b) => a.idx! - b.idx!);
  }
  return JSON.stringify({ attrs, num_attrs: indices.length });
}
