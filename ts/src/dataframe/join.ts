/**
 * Hash joins (inner, left, right, full, left_semi, left_anti, cross) with Spark's semantics:
 * null keys never match; a USING join (on column names) outputs each key column once — for a
 * full join the coalesce of both sides; an expression join keeps every column of both sides.
 * Output order: left rows in order, each followed by its matches in right-row order; for right
 * and full joins the unmatched right rows follow.
 *
 * An expression condition is split into equi-conjuncts (`left col = right col`), which drive the
 * hash table, and a residual, evaluated on the candidate pairs.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { isValidAt, makeBatch, takeData, type AnyData } from './batch.js';
import { exprName, referencedColumns, type Expr } from './column.js';
import { coerceColumn, evaluate, resolveIndex, valueGetter } from './eval.js';
import type { JoinType } from './plan.js';
import { isNumericType, sparkTypeName } from './types.js';
import { keyColumn } from './keys.js';
import { GroupTable } from '../kernels/hash-group.js';
import { hashJoin as nativeHashJoin } from '../kernels/join.js';

interface Pairs {
  left: Int32Array;
  right: Int32Array;
}

function keyOf(v: unknown): unknown {
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  return v;
}

function keyGetters(cols: AnyData[], widen: Array<arrow.DataType | null>): Array<(i: number) => unknown> {
  return cols.map((c, j) => valueGetter(widen[j] ? coerceColumn('join', c, widen[j]!) : c));
}

/** Composite key of row i, or null when any key is null (null never matches). */
function rowKey(getters: Array<(i: number) => unknown>, i: number): unknown {
  if (getters.length === 1) {
    const v = getters[0]!(i);
    return v === null ? null : keyOf(v);
  }
  let s = '';
  for (const g of getters) {
    const v = g(i);
    if (v === null) return null;
    const k = keyOf(v);
    s += `${typeof k}:${String(k)}\u0001`;
  }
  return s;
}

/**
 * Matching (left, right) row pairs for equi-keys through the native hash join (build on the
 * right, probe with the left: probe order, then build order). Numeric keys of different types
 * compare as doubles; several keys become packed rows of per-column codes (a shared GroupTable
 * per column, so equal keys get equal codes on both sides). Null keys never match.
 */
function nativePairs(lk: AnyData[], rk: AnyData[]): Pairs | null {
  const widen = lk.map((l, j) => isNumericType(l.type) && isNumericType(rk[j]!.type) && sparkTypeName(l.type) !== sparkTypeName(rk[j]!.type));
  const lc = lk.map((d, j) => keyColumn(d, widen[j]));
  const rc = rk.map((d, j) => keyColumn(d, widen[j]));
  if (lc.some((c) => c === null) || rc.some((c) => c === null)) return null;
  if (lc.some((c, j) => c!.kind !== rc[j]!.kind)) return null;
  if (lc.length === 1) {
    const r = nativeHashJoin(lc[0]!, rc[0]!, { mode: 'inner' });
    return { left: r.left, right: r.right };
  }
  const m = lc.length;
  const nl = lk[0]!.length;
  const nr = rk[0]!.length;
  const lw = new Uint32Array(nl * m);
  const rw = new Uint32Array(nr * m);
  for (let j = 0; j < m; j++) {
    const table = new GroupTable(rc[j]!.kind);
    try {
      const built = table.add(rc[j]!).codes;
      const rd = rk[j]!;
      for (let i = 0; i < nr; i++) rw[i * m + j] = isValidAt(rd, i) ? built[i]! : 0xfffffffe; // a null build key matches nothing
      const probed = table.lookup(lc[j]!); // -1 (0xffffffff) for null or unknown keys
      for (let i = 0; i < nl; i++) lw[i * m + j] = probed[i]!;
    } finally {
      table.dispose();
    }
  }
  const r = nativeHashJoin({ kind: 'rows32', words: lw, width: m }, { kind: 'rows32', words: rw, width: m }, { mode: 'inner' });
  return { left: r.left, right: r.right };
}

/** Matching row pairs for equi-keys; `-1` marks the missing side of outer rows. */
function equiPairs(lk: AnyData[], rk: AnyData[], nl: number, nr: number): { pairs: Pairs } {
  const native = nativePairs(lk, rk);
  if (native) return { pairs: native };
  const widen = lk.map((l, j) => {
    const r = rk[j]!;
    if (isNumericType(l.type) && isNumericType(r.type) && sparkTypeName(l.type) !== sparkTypeName(r.type)) return new arrow.Float64();
    return null;
  });
  const lg = keyGetters(lk, widen);
  const rg = keyGetters(rk, widen);
  const table = new Map<unknown, number[] | number>();
  for (let j = 0; j < nr; j++) {
    const k = rowKey(rg, j);
    if (k === null) continue;
    const have = table.get(k);
    if (have === undefined) table.set(k, j);
    else if (typeof have === 'number') table.set(k, [have, j]);
    else have.push(j);
  }
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < nl; i++) {
    const k = rowKey(lg, i);
    if (k === null) continue;
    const m = table.get(k);
    if (m === undefined) continue;
    if (typeof m === 'number') {
      left.push(i);
      right.push(m);
    } else for (const j of m) {
      left.push(i);
      right.push(j);
    }
  }
  return { pairs: { left: Int32Array.from(left), right: Int32Array.from(right) } };
}

function splitCondition(cond: Expr, ls: arrow.Schema, rs: arrow.Schema): { lk: Expr[]; rk: Expr[]; residual: Expr | null } {
  const conj: Expr[] = [];
  const walk = (e: Expr): void => {
    if (e.k === 'bin' && e.op === 'and') {
      walk(e.l);
      walk(e.r);
    } else conj.push(e);
  };
  walk(cond);
  const side = (e: Expr): 'l' | 'r' | 'both' | 'none' => {
    const refs = [...referencedColumns(e)];
    if (refs.length === 0) return 'none';
    const inL = refs.every((c) => ls.fields.some((f) => f.name.toLowerCase() === c.toLowerCase()));
    const inR = refs.every((c) => rs.fields.some((f) => f.name.toLowerCase() === c.toLowerCase()));
    if (inL && inR) return 'both';
    return inL ? 'l' : inR ? 'r' : 'both';
  };
  const lk: Expr[] = [];
  const rk: Expr[] = [];
  const rest: Expr[] = [];
  for (const c of conj) {
    if (c.k === 'bin' && c.op === '=') {
      const a = side(c.l);
      const b = side(c.r);
      if (a === 'l' && b === 'r') { lk.push(c.l); rk.push(c.r); continue; }
      if (a === 'r' && b === 'l') { lk.push(c.r); rk.push(c.l); continue; }
    }
    rest.push(c);
  }
  const residual = rest.length === 0 ? null : rest.reduce((a, b) => ({ k: 'bin', op: 'and', l: a, r: b }) as Expr);
  return { lk, rk, residual };
}

function crossPairs(nl: number, nr: number): Pairs {
  const total = nl * nr;
  if (total > 50_000_000) throw Errors.schema(`join: a cross join of ${nl} x ${nr} rows would produce ${total} rows; add an equality condition`);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  for (let i = 0, o = 0; i < nl; i++) for (let j = 0; j < nr; j++, o++) {
    left[o] = i;
    right[o] = j;
  }
  return { left, right };
}

export function joinBatches(left: arrow.RecordBatch, right: arrow.RecordBatch, how: JoinType, on: string[] | Expr, outSchema: arrow.Schema): arrow.RecordBatch {
  const ls = left.schema;
  const rs = right.schema;
  const nl = left.numRows;
  const nr = right.numRows;
  let pairs: Pairs;
  let usingCols: { l: number[]; r: number[] } | null = null;
  if (Array.isArray(on)) {
    const l = on.map((c) => resolveIndex('join (left side)', c, ls));
    const r = on.map((c) => resolveIndex('join (right side)', c, rs));
    usingCols = { l, r };
    l.forEach((li, j) => {
      const a = ls.fields[li]!.type;
      const b = rs.fields[r[j]!]!.type;
      const ok = sparkTypeName(a) === sparkTypeName(b) || (isNumericType(a) && isNumericType(b));
      if (!ok) throw Errors.schema(`join: key ${on[j]} has type ${sparkTypeName(a)} on the left and ${sparkTypeName(b)} on the right`);
    });
    pairs = how === 'cross' ? crossPairs(nl, nr) : equiPairs(l.map((i) => left.data.children[i]! as AnyData), r.map((i) => right.data.children[i]! as AnyData), nl, nr).pairs;
  } else {
    const { lk, rk, residual } = splitCondition(on, ls, rs);
    pairs = lk.length > 0 ? equiPairs(lk.map((e) => evaluate('join', e, left)), rk.map((e) => evaluate('join', e, right)), nl, nr).pairs : crossPairs(nl, nr);
    if (residual) {
      const both = new arrow.Schema([...ls.fields, ...rs.fields]);
      const cand = makeBatch(both, [...left.data.children.map((c) => takeData(c as AnyData, pairs.left)), ...right.data.children.map((c) => takeData(c as AnyData, pairs.right))], pairs.left.length);
      const mask = evaluate('join', residual, cand);
      const keep: number[] = [];
      for (let i = 0; i < pairs.left.length; i++) if (isValidAt(mask, i) && ((mask.values as Uint8Array)[(mask.offset + i) >> 3]! >> ((mask.offset + i) & 7)) & 1) keep.push(i);
      const left2 = new Int32Array(keep.length);
      const right2 = new Int32Array(keep.length);
      for (let i = 0; i < keep.length; i++) {
        left2[i] = pairs.left[keep[i]!]!;
        right2[i] = pairs.right[keep[i]!]!;
      }
      pairs = { left: left2, right: right2 };
    }
  }
  if (how === 'left_semi' || how === 'left_anti') {
    const matched = new Uint8Array(nl);
    for (const i of pairs.left) matched[i] = 1;
    const want = how === 'left_semi' ? 1 : 0;
    const rows: number[] = [];
    for (let i = 0; i < nl; i++) if (matched[i] === want) rows.push(i);
    const idx = Int32Array.from(rows);
    return makeBatch(outSchema, left.data.children.map((c) => takeData(c as AnyData, idx)), idx.length);
  }
  let li = pairs.left;
  let ri = pairs.right;
  if (how === 'left' || how === 'full') {
    const matched = new Uint8Array(nl);
    for (const i of li) matched[i] = 1;
    const L: number[] = [];
    const R: number[] = [];
    let p = 0;
    for (let i = 0; i < nl; i++) {
      if (!matched[i]) {
        L.push(i);
        R.push(-1);
        continue;
      }
      while (p < li.length && li[p]! === i) {
        L.push(i);
        R.push(ri[p]!);
        p++;
      }
    }
    li = Int32Array.from(L);
    ri = Int32Array.from(R);
  }
  if (how === 'right' || how === 'full') {
    const matched = new Uint8Array(nr);
    for (const j of ri) if (j >= 0) matched[j] = 1;
    const extra: number[] = [];
    for (let j = 0; j < nr; j++) if (!matched[j]) extra.push(j);
    const L = new Int32Array(li.length + extra.length);
    const R = new Int32Array(li.length + extra.length);
    L.set(li);
    R.set(ri);
    extra.forEach((j, k) => {
      L[li.length + k] = -1;
      R[li.length + k] = j;
    });
    li = L;
    ri = R;
  }
  const lcols = left.data.children.map((c) => takeData(c as AnyData, li));
  const rcols = right.data.children.map((c) => takeData(c as AnyData, ri));
  if (!usingCols) return makeBatch(outSchema, [...lcols, ...rcols], li.length);
  // USING: keys once (coalesce(left, right) so right/full rows keep their key), then the rest
  const keys = usingCols.l.map((lj, j) => {
    const rj = usingCols!.r[j]!;
    if (how === 'inner' || how === 'left' || how === 'cross') return lcols[lj]!;
    const lt = ls.fields[lj]!.type;
    const rcol = sparkTypeName(rs.fields[rj]!.type) === sparkTypeName(lt) ? rcols[rj]! : coerceColumn('join', rcols[rj]!, lt);
    const tmp = makeBatch(new arrow.Schema([new arrow.Field('l', lt), new arrow.Field('r', rcol.type)]), [lcols[lj]!, rcol], li.length);
    return evaluate('join', { k: 'fn', name: 'coalesce', args: [{ k: 'col', name: 'l' }, { k: 'col', name: 'r' }] }, tmp);
  });
  const lset = new Set(usingCols.l);
  const rset = new Set(usingCols.r);
  const cols = [...keys, ...lcols.filter((_, j) => !lset.has(j)), ...rcols.filter((_, j) => !rset.has(j))];
  return makeBatch(outSchema, cols, li.length);
}

export function describeJoinCondition(on: string[] | Expr): string {
  return Array.isArray(on) ? on.join(', ') : exprName(on);
}
