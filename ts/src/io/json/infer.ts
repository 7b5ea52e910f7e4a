/**
 * JSON schema inference as Spark 3.5's JsonInferSchema does it: integers → bigint, fractions →
 * double, true/false → boolean, strings → string ("" counts as null), objects → struct with
 * fields sorted by name, arrays → array<merged>, conflicting types → string (compatibleType),
 * all-null → string (or dropped with dropFieldIfAllNull), empty structs dropped; a top-level
 * array holds one record per element; unparsable lines add the corrupt-record column in
 * PERMISSIVE mode (compatibleRootType); primitivesAsString.
 * Follows shared/ARCHITECTURE.md (Interoperability: Spark's read options and modes).
 */
import * as arrow from 'apache-arrow';
import { Types } from '../../dataframe/types.js';
import { malformedError, sampler } from '../text-common/reading.js';
import { LineReader } from './line-reader.js';
import type { JsonConfig } from './options.js';
import { JsonText } from './parser.js';
import { JNum, JsonSyntaxError, fitsLong, type JV } from './values.js';

/** An inferred type (Spark's lattice for JSON). */
type JT =
  | { k: 'null' } | { k: 'bool' } | { k: 'long' } | { k: 'double' } | { k: 'string' }
  | { k: 'array'; e: JT } | { k: 'struct'; f: [string, JT][] };
const J_NULL: JT = { k: 'null' };
const J_BOOL: JT = { k: 'bool' };
const J_LONG: JT = { k: 'long' };
const J_DOUBLE: JT = { k: 'double' };
const J_STRING: JT = { k: 'string' };
const EMPTY_STRUCT: JT = { k: 'struct', f: [] };

const byName = (a: [string, JT], b: [string, JT]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** JsonInferSchema.inferField on one parsed value. */
function inferValue(v: JV, cfg: JsonConfig): JT {
  if (v === null) return J_NULL;
  if (typeof v === 'boolean') return cfg.primitivesAsString ? J_STRING : J_BOOL;
  if (typeof v === 'string') return v === '' ? J_NULL : J_STRING;
  if (v instanceof JNum) {
    if (cfg.primitivesAsString) return J_STRING;
    return v.kind === 0 && fitsLong(v.raw) ? J_LONG : J_DOUBLE;
  }
  if (Array.isArray(v)) {
    let e: JT = J_NULL;
    for (const x of v) e = compatible(e, inferValue(x, cfg));
    return { k: 'array', e };
  }
  const seen = new Map<string, JT>();
  for (let i = 0; i < v.keys.length; i++) {
    const t = inferValue(v.vals[i]!, cfg);
    const prev = seen.get(v.keys[i]!);
    seen.set(v.keys[i]!, prev === undefined ? t : compatible(prev, t));
  }
  return { k: 'struct', f: [...seen.entries()].sort(byName) };
}

/** JsonInferSchema.compatibleType. */
function compatible(a: JT, b: JT): JT {
  if (a === b || (a.k === b.k && a.k !== 'array' && a.k !== 'struct')) return a;
  if (a.k === 'null') return b;
  if (b.k === 'null') return a;
  if ((a.k === 'long' && b.k === 'double') || (a.k === 'double' && b.k === 'long')) return J_DOUBLE;
  if (a.k === 'struct' && b.k === 'struct') {
    if (a.f.length === b.f.length) {
      // the common case: same fields; keep `a` when nothing widens
      let same = true;
      for (let i = 0; i < a.f.length && same; i++) same = a.f[i]![0] === b.f[i]![0] && compatible(a.f[i]![1], b.f[i]![1]) === a.f[i]![1];
      if (same) return a;
    }
    const out: [string, JT][] = [];
    let i = 0;
    let j = 0;
    while (i < a.f.length && j < b.f.length) {
      const c = byName(a.f[i]!, b.f[j]!);
      if (c === 0) {
        out.push([a.f[i]![0], compatible(a.f[i]![1], b.f[j]![1])]);
        i++;
        j++;
      } else if (c < 0) out.push(a.f[i++]!);
      else out.push(b.f[j++]!);
    }
    while (i < a.f.length) out.push(a.f[i++]!);
    while (j < b.f.length) out.push(b.f[j++]!);
    return { k: 'struct', f: out };
  }
  if (a.k === 'array' && b.k === 'array') {
    const e = compatible(a.e, b.e);
    return e === a.e ? a : { k: 'array', e };
  }
  return J_STRING;
}

/** JsonInferSchema.compatibleRootType. */
function compatibleRoot(a: JT, b: JT, cfg: JsonConfig, where: () => string): JT {
  if (a.k === 'array') return compatibleRoot(a.e, b, cfg, where);
  if (b.k === 'array') return compatibleRoot(a, b.e, cfg, where);
  if (a.k === 'struct' && b.k === 'null') return a;
  if (a.k === 'null' && b.k === 'struct') return b;
  if (a.k === 'struct' && b.k !== 'struct') return withCorrupt(a, b, cfg, where);
  if (b.k === 'struct' && a.k !== 'struct') return withCorrupt(b, a, cfg, where);
  return compatible(a, b);
}

function withCorrupt(s: Extract<JT, { k: 'struct' }>, other: JT, cfg: JsonConfig, where: () => string): JT {
  if (cfg.mode === 'FAILFAST') throw malformedError('json', ...whereParts(where()), `a top-level ${other.k} value is not a record`, 'FAILFAST');
  if (cfg.mode === 'DROPMALFORMED' || s.f.some(([n]) => n === cfg.corruptName)) return s;
  return { k: 'struct', f: [...s.f, [cfg.corruptName, J_STRING] as [string, JT]].sort(byName) };
}

function whereParts(w: string): [string, number] {
  const k = w.lastIndexOf('\u0000');
  return [w.slice(0, k), Number(w.slice(k + 1))];
}

/** canonicalizeType: null → string (or dropped), empty structs dropped. */
function canonical(t: JT, cfg: JsonConfig): JT | null {
  if (t.k === 'array') {
    const e = canonical(t.e, cfg);
    return e === null ? null : { k: 'array', e };
  }
  if (t.k === 'struct') {
    const f: [string, JT][] = [];
    for (const [n, ft] of t.f) {
      if (n === '') continue;
      const c = canonical(ft, cfg);
      if (c !== null) f.push([n, c]);
    }
    return f.length === 0 ? null : { k: 'struct', f };
  }
  if (t.k === 'null') return cfg.dropFieldIfAllNull ? null : J_STRING;
  return t;
}

function arrowType(t: JT): arrow.DataType {
  switch (t.k) {
    case 'bool': return Types.boolean();
    case 'long': return Types.bigint();
    case 'double': return Types.double();
    case 'array': return Types.array(arrowType(t.e));
    case 'struct': return new arrow.Struct(t.f.map(([n, ft]) => new arrow.Field(n, arrowType(ft), true)));
    default: return Types.string();
  }
}

/** The schema of JSON files, inferred from every (sampled) record as Spark does. */
export async function inferJsonSchema(files: readonly string[], cfg: JsonConfig): Promise<arrow.Schema> {
  const parser = new JsonText(cfg.singleQuotes, cfg.nonNumeric);
  const take = sampler(cfg.samplingRatio);
  let root: JT = EMPTY_STRUCT;
  for (const file of files) {
    const rd = new LineReader(file, cfg);
    await rd.open();
    try {
      while (await rd.next()) {
        const where = () => `${file}\u0000${rd.line}`;
        let t: JT;
        try {
          if (rd.bad !== null) throw new JsonSyntaxError(rd.bad);
          const v = parser.parse(rd.text);
          if (v === undefined) continue;
          if (!take()) continue;
          t = inferValue(v, cfg);
        } catch (e) {
          if (!(e instanceof JsonSyntaxError)) throw e;
          if (!take()) continue;
          if (cfg.mode === 'FAILFAST') throw malformedError('json', file, rd.line, e.message, 'FAILFAST');
          if (cfg.mode === 'DROPMALFORMED') continue;
          t = { k: 'struct', f: [[cfg.corruptName, J_STRING]] };
        }
        root = compatibleRoot(root, t, cfg, where);
      }
    } finally {
      await rd.close();
    }
  }
  const c = canonical(root, cfg);
  if (c === null || c.k !== 'struct') return new arrow.Schema([]);
  return new arrow.Schema(c.f.map(([n, ft]) => new arrow.Field(n, arrowType(ft), true)));
}
