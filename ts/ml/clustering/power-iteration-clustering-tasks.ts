/**
 * PowerIterationClustering's executor tasks (docs/ARCHITECTURE.md, "Summaries beside their
 * algorithms"): the edges stay on the executors, as the edge partitions of Spark's GraphX graph.
 *   - `picPackEdges` (a keep task over the DataFrame's partitions): reads src, dst and the weight
 *     once, checks them (Spark's checkNonNegativeWeight texts; a null id is named), drops
 *     self-loops and keeps one `EdgeBlock`: each edge's endpoints as codes of the block's own
 *     vertices (a native hash group over the ids), so a block's partial products are as long as
 *     the vertices it touches;
 *   - `picVertexIds`: the sorted distinct vertex ids (merged by a native sort of the union);
 *   - `picIndexVertices`: each block's vertices numbered by their place among those ids;
 *   - `picMultiply`: the partial A·1 (degrees, `v` null) or W·v for the block's vertices, merged
 *     by adding (one dense pass per merge group: `mergeAll`); each edge adds to both ends, in edge
 *     order, so one block sums exactly as a CSR row walk does;
 *   - `picNormalize`: W = D⁻¹A in place, w = a / max(d, ε) for each end (Spark's normalize).
 * Merge order: docs/formats/SPARK_DEFINITIONS.md §14.
 */
import type * as arrow from 'apache-arrow';
import { isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { defineSummary, defineTask, type Kept } from '../../src/exec/task.js';
import { hashGroupI64 } from '../../src/kernels/hash-group.js';
import { argsortI64 } from '../../src/kernels/sort.js';
import { readWeights, type BadRow } from '../data/features.js';

/** Spark's MLUtils.EPSILON (the double machine epsilon). */
export const PIC_EPSILON = 2.220446049250313e-16;

export interface EdgeSpec {
  srcCol: string;
  dstCol: string;
  /** The similarity column, or null for 1.0. */
  weightCol: string | null;
}

/** One partition's edges (self-loops dropped), kept on its executor. */
export interface EdgeBlock {
  /** Edges. */
  m: number;
  /** Each edge's ends, as codes of the block's vertices. */
  from: Int32Array;
  to: Int32Array;
  /** Each edge's similarity a. */
  a: Float64Array;
  /** The block's vertices' ids (by code). */
  ids: BigInt64Array;
  /** The block's vertices' global indices, in increasing id order (filled by `picIndexVertices`). */
  verts: Int32Array;
  /** a / max(d_from, ε) and a / max(d_to, ε) (filled by `picNormalize`). */
  wFrom: Float64Array;
  wTo: Float64Array;
}

/** What a partition reports: its rows (self-loops included), its edges, or its first bad row. */
export interface EdgeMeta {
  rows: number;
  edges: number;
  bad: BadRow | null;
}

const NULL_ID = 'is null; every edge needs a source and a destination vertex id';

/** A column of int or bigint vertex ids as bigints. */
function idsOf(batch: arrow.RecordBatch, name: string): { data: AnyData; at: (r: number) => bigint } {
  const data = batch.data.children[resolveIndex('PowerIterationClustering', name, batch.schema)]! as AnyData;
  const values = data.values as Int32Array | BigInt64Array;
  return { data, at: values instanceof BigInt64Array ? (r) => values[r]! : (r) => BigInt(values[r]!) };
}

export const picPackEdges = defineTask<arrow.RecordBatch, EdgeSpec, Kept<EdgeMeta>>('pic.packEdges', (batch, spec, ctx) => {
  const rows = batch.numRows;
  const none = (bad: BadRow | null): Kept<EdgeMeta> => ({ kept: [], meta: { rows, edges: 0, bad } });
  if (rows === 0) return none(null);
  let w: Float64Array | null = null;
  if (spec.weightCol !== null) {
    const r = readWeights(batch, spec.weightCol);
    if ('bad' in r) return none(r.bad);
    w = r.w;
  }
  const src = idsOf(batch, spec.srcCol);
  const dst = idsOf(batch, spec.dstCol);
  const ends = new BigInt64Array(2 * rows);
  const sim = new Float64Array(rows);
  let m = 0;
  for (let r = 0; r < rows; r++) {
    if (!isValidAt(src.data, r)) return none({ row: r, what: `column ${spec.srcCol}`, why: NULL_ID });
    if (!isValidAt(dst.data, r)) return none({ row: r, what: `column ${spec.dstCol}`, why: NULL_ID });
    const s = src.at(r);
    const d = dst.at(r);
    if (s === d) continue; // self-loops are ignored (s_ii = 0)
    ends[m] = s;
    ends[rows + m] = d;
    sim[m++] = w === null ? 1 : w[r]!;
  }
  if (m === 0) return none(null);
  const keys = new BigInt64Array(2 * m);
  keys.set(ends.subarray(0, m));
  keys.set(ends.subarray(rows, rows + m), m);
  const g = hashGroupI64(keys);
  const vertices = g.firstRow.length;
  const block: EdgeBlock = {
    m,
    from: ctx.alloc(Int32Array, m),
    to: ctx.alloc(Int32Array, m),
    a: ctx.alloc(Float64Array, m),
    ids: ctx.alloc(BigInt64Array, vertices),
    verts: ctx.alloc(Int32Array, vertices),
    wFrom: ctx.alloc(Float64Array, m),
    wTo: ctx.alloc(Float64Array, m),
  };
  block.from.set(g.codes.subarray(0, m));
  block.to.set(g.codes.subarray(m));
  block.a.set(sim.subarray(0, m));
  for (let c = 0; c < vertices; c++) block.ids[c] = keys[g.firstRow[c]!]!;
  return { kept: [block], meta: { rows, edges: m, bad: null } };
});

/** The sorted distinct values of several id lists (a native sort of their concatenation). */
function sortedUnion(parts: readonly BigInt64Array[]): BigInt64Array {
  const all = new BigInt64Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  const perm = argsortI64(all);
  const out: bigint[] = [];
  for (let k = 0; k < perm.length; k++) {
    const v = all[perm[k]!]!;
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  }
  return BigInt64Array.from(out);
}

export const picVertexIds = defineSummary<BigInt64Array, EdgeBlock, null>('pic.vertexIds', {
  zero: () => new BigInt64Array(0),
  add: (s, e) => sortedUnion([s, e.ids]),
  merge: (a, b) => sortedUnion([a, b]),
  mergeAll: (values) => sortedUnion(values),
});

/** The index of `id` in the sorted `ids` (present by construction). */
function indexOf(ids: BigInt64Array, id: bigint): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const picIndexVertices = defineTask<EdgeBlock, { ids: BigInt64Array }, null>('pic.indexVertices', (e, b) => {
  for (let c = 0; c < e.ids.length; c++) e.verts[c] = indexOf(b.ids, e.ids[c]!);
  return null;
});

export const picNormalize = defineTask<EdgeBlock, { degrees: Float64Array }, null>('pic.normalize', (e, b) => {
  const deg = b.degrees;
  for (let k = 0; k < e.m; k++) {
    e.wFrom[k] = e.a[k]! / Math.max(deg[e.verts[e.from[k]!]!]!, PIC_EPSILON);
    e.wTo[k] = e.a[k]! / Math.max(deg[e.verts[e.to[k]!]!]!, PIC_EPSILON);
  }
  return null;
});

/** A partial product over n vertices: values at `verts` (null: all n, dense). */
export interface PicProduct {
  n: number;
  verts: Int32Array | null;
  vals: Float64Array;
}

export interface MultiplyBroadcast {
  n: number;
  /** The vertex vector (W·v), or null for the degrees (A·1). */
  v: Float64Array | null;
}

function addInto(dense: Float64Array, p: PicProduct): void {
  if (p.verts === null) for (let i = 0; i < dense.length; i++) dense[i] += p.vals[i]!;
  else for (let c = 0; c < p.verts.length; c++) dense[p.verts[c]!] += p.vals[c]!;
}

/** The product as a dense vector of length n. */
export function densify(p: PicProduct): Float64Array {
  if (p.verts === null) return p.vals;
  const out = new Float64Array(p.n);
  addInto(out, p);
  return out;
}

const isEmpty = (p: PicProduct) => p.verts !== null && p.verts.length === 0;

/** a + b (a's values reused when dense; a block's partial is never written). */
function mergeProducts(a: PicProduct, b: PicProduct): PicProduct {
  if (isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  const out: PicProduct = { n: a.n, verts: null, vals: densify(a) };
  addInto(out.vals, b);
  return out;
}

export const picMultiply = defineSummary<PicProduct, EdgeBlock, MultiplyBroadcast>('pic.multiply', {
  zero: (b) => ({ n: b.n, verts: new Int32Array(0), vals: new Float64Array(0) }),
  add(s, e, b) {
    const vals = new Float64Array(e.verts.length);
    const { from, to } = e;
    if (b.v === null) {
      for (let k = 0; k < e.m; k++) {
        vals[from[k]!] += e.a[k]!;
        vals[to[k]!] += e.a[k]!;
      }
    } else {
      const v = b.v;
      const g = e.verts;
      for (let k = 0; k < e.m; k++) {
        vals[from[k]!] += e.wFrom[k]! * v[g[to[k]!]!]!;
        vals[to[k]!] += e.wTo[k]! * v[g[from[k]!]!]!;
      }
    }
    return mergeProducts(s, { n: b.n, verts: e.verts, vals });
  },
  merge: mergeProducts,
  mergeAll(values) {
    const out = new Float64Array(values[0]!.n);
    for (const p of values) addInto(out, p);
    return { n: out.length, verts: null, vals: out };
  },
});
