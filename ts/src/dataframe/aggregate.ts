/**
 * Hash aggregation as a partition summary (ARCHITECTURE.md): each partition is reduced to its
 * distinct group keys plus one mergeable state per aggregate (`partialAggregate`), the driver
 * merges the partials (`mergePartials`) and finishes each aggregate (`finishAggregate`).
 *
 * Group ids per partition:
 *   - one integer key whose values span a small range: the key itself (minus its minimum) is
 *     the group code — no hash table; count/sum/min/max then run in the native group-by kernel;
 *   - one dictionary-encoded string key: the dictionary code;
 *   - otherwise a hash map over the (normalised) key tuple.
 * Aggregate semantics follow Spark: nulls are skipped; count(*) counts rows; sum of integers is
 * bigint, of floating columns double; avg/stddev/variance are double; stddev/variance of one
 * row is null (sample) or 0 (population); an empty input gives one row for a global aggregate
 * (count 0, others null) and no rows for a grouped one.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { groupAggAdd, groupAggZero, GROUP_SLOT } from '../kernels/group-agg.js';
import { moments } from '../kernels/moments.js';
import { hashGroup, hashGroupRows } from '../kernels/hash-group.js';
import { keyColumn, validityOf } from './keys.js';
import {
  bitmapFrom, concatData, fromValues, takeData, isValidAt, makePrimitive, makeBatch, valueAt, isFixedWidth, type AnyData,
} from './batch.js';
import { exprName, type AggName, type Expr } from './column.js';
import { evaluate, typeOf, valueGetter, numericValues, type EvalContext } from './eval.js';
import { dataToPlain, plainToData, type PlainData } from './portable.js';
import { isNumericType, sparkTypeName, Types } from './types.js';

export interface AggSpec {
  fn: AggName;
  /** Input expression (null for count(*)). */
  input: Expr | null;
  ignoreNulls: boolean;
}

/** Per-aggregate mergeable state over `numGroups` groups. */
export type AggState =
  | { kind: 'count'; n: Float64Array }
  | { kind: 'sum'; sum: Float64Array; n: Float64Array; big: boolean }
  | { kind: 'moments'; n: Float64Array; mean: Float64Array; m2: Float64Array }
  | { kind: 'minmax'; values: unknown[]; numeric: Float64Array | null; has: Uint8Array }
  | { kind: 'pick'; values: unknown[]; has: Uint8Array }
  | { kind: 'list'; values: unknown[][] }
  | { kind: 'set'; values: unknown[][] };

export interface PartialAgg {
  numGroups: number;
  keys: PlainData[];
  states: AggState[];
}

export function aggSpecs(aggs: readonly Expr[]): AggSpec[] {
  return aggs.map((a) => {
    const e = a.k === 'alias' ? a.child : a;
    if (e.k !== 'agg') throw Errors.schema(`agg: expected an aggregate function (count, sum, avg, …) for ${exprName(a)}`);
    return { fn: e.fn, input: e.child, ignoreNulls: e.ignoreNulls ?? false };
  });
}

/** The output type of an aggregate over its input type. */
export function aggType(api: string, spec: AggSpec, schema: arrow.Schema): arrow.DataType {
  if (spec.input === null) return Types.bigint();
  const t = typeOf(api, spec.input, schema);
  const numeric = () => {
    if (!isNumericType(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: ${spec.fn}(${exprName(spec.input!)}) needs a numeric column, got ${sparkTypeName(t)}`);
  };
  switch (spec.fn) {
    case 'count': case 'countDistinct': return Types.bigint();
    case 'sum': numeric(); return arrow.DataType.isInt(t) ? Types.bigint() : Types.double();
    case 'avg': case 'stddev_samp': case 'stddev_pop': case 'var_samp': case 'var_pop': numeric(); return Types.double();
    case 'min': case 'max': case 'first': case 'last': return arrow.DataType.isDictionary(t) ? t.dictionary : t;
    case 'collect_list': case 'collect_set': return Types.array(arrow.DataType.isDictionary(t) ? t.dictionary : t, false);
  }
}

// ---------------------------------------------------------------------------------------------
// Group ids

export interface Grouping {
  numGroups: number;
  /** Group code per row. */
  codes: Int32Array;
  /** One row index per group (its first row), to gather the key values. */
  firstRow: Int32Array;
  /** Set when codes are `key - base` over a dense integer range (groups may be empty). */
  dense?: { base: number; keyIndex: number };
}

const DENSE_LIMIT = 1 << 16;

function normaliseKey(v: unknown): unknown {
  if (typeof v === 'number') return v === 0 ? 0 : v; // -0.0 groups with 0.0; Map keys treat NaN as one key
  if (v instanceof Date) return v.getTime();
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** Dense group codes for the key columns of one partition. */
export function groupIds(keys: readonly AnyData[], n: number): Grouping {
  if (keys.length === 0) return { numGroups: n > 0 ? 1 : 0, codes: new Int32Array(n), firstRow: n > 0 ? new Int32Array([0]) : new Int32Array(0) };
  if (keys.length === 1) {
    const k = keys[0]!;
    const name = sparkTypeName(k.type);
    if ((name === 'int' || name === 'date') && k.nullCount === 0 && n > 0) {
      const kv = (k.values as Int32Array).subarray(0, n);
      const m = moments(kv);
      const range = m.max - m.min + 1;
      if (range <= Math.max(DENSE_LIMIT, n)) {
        const base = m.min;
        const codes = base === 0 ? kv : kv.map((x) => x - base);
        return { numGroups: range, codes, firstRow: new Int32Array(0), dense: { base, keyIndex: 0 } };
      }
    }
    if (arrow.DataType.isDictionary(k.type)) {
      const dict = k.dictionary!;
      const codes = new Int32Array(n);
      const src = k.values as Int32Array;
      const remap = new Int32Array(dict.length + 1).fill(-1);
      const first: number[] = [];
      for (let i = 0; i < n; i++) {
        const c = isValidAt(k, i) ? src[i]! : dict.length;
        let g = remap[c]!;
        if (g < 0) {
          g = remap[c] = first.length;
          first.push(i);
        }
        codes[i] = g;
      }
      return { numGroups: first.length, codes, firstRow: Int32Array.from(first) };
    }
  }
  const native = nativeGroupIds(keys, n);
  if (native) return native;
  const getters = keys.map((k) => valueGetter(k));
  const map = new Map<unknown, number>();
  const codes = new Int32Array(n);
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    let key: unknown;
    if (getters.length === 1) key = normaliseKey(getters[0]!(i));
    else {
      let s = '';
      for (const get of getters) {
        const v = normaliseKey(get(i));
        s += v === null ? '\u0000N' : `${typeof v}:${String(v)}\u0001`;
      }
      key = s;
    }
    let g = map.get(key);
    if (g === undefined) {
      g = first.length;
      map.set(key, g);
      first.push(i);
    }
    codes[i] = g;
  }
  return { numGroups: first.length, codes, firstRow: Int32Array.from(first) };
}

/** Group ids by the native hash-group kernel: one key column, or composite rows of per-column codes. */
function nativeGroupIds(keys: readonly AnyData[], n: number): Grouping | null {
  const cols = keys.map((k) =>
    arrow.DataType.isDictionary(k.type)
      ? { kind: 'i32' as const, values: (k.values as Int32Array).subarray(0, n), validity: validityOf(k) }
      : keyColumn(k),
  );
  if (cols.some((c) => c === null)) return null;
  if (cols.length === 1) {
    const g = hashGroup(cols[0]!);
    return { numGroups: g.firstRow.length, codes: g.codes, firstRow: g.firstRow };
  }
  const m = cols.length;
  const words = new Uint32Array(n * m);
  cols.forEach((c, j) => {
    const codes = hashGroup(c!).codes;
    for (let i = 0; i < n; i++) words[i * m + j] = codes[i]!;
  });
  const g = hashGroupRows(words, m);
  return { numGroups: g.firstRow.length, codes: g.codes, firstRow: g.firstRow };
}

// ---------------------------------------------------------------------------------------------
// States

function zeroState(spec: AggSpec, inputType: arrow.DataType | null, g: number): AggState {
  switch (spec.fn) {
    case 'count': return { kind: 'count', n: new Float64Array(g) };
    case 'sum': case 'avg': return { kind: 'sum', sum: new Float64Array(g), n: new Float64Array(g), big: false };
    case 'stddev_samp': case 'stddev_pop': case 'var_samp': case 'var_pop': return { kind: 'moments', n: new Float64Array(g), mean: new Float64Array(g), m2: new Float64Array(g) };
    case 'min': case 'max': {
      const numeric = inputType !== null && (arrow.DataType.isFloat(inputType) || (arrow.DataType.isInt(inputType) && inputType.bitWidth <= 32));
      return { kind: 'minmax', values: numeric ? [] : new Array(g).fill(null), numeric: numeric ? new Float64Array(g) : null, has: new Uint8Array(g) };
    }
    case 'first': case 'last': return { kind: 'pick', values: new Array(g).fill(null), has: new Uint8Array(g) };
    case 'collect_list': return { kind: 'list', values: Array.from({ length: g }, () => []) };
    case 'countDistinct': case 'collect_set': return { kind: 'set', values: Array.from({ length: g }, () => []) };
  }
}

/** Spark's ordering for min/max: NaN above every number. Returns a < b. */
function less(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== a) return false;
    if (b !== b) return true;
    return a < b;
  }
  return (a as never) < (b as never);
}

/**
 * The native count/sum/min/max table of one double input column over the partition's group
 * codes, computed once and shared by every aggregate of that column (and by count(*) when a
 * column without nulls exists).
 */
type NativeAcc = (input: AnyData) => Float64Array | null;

function nativeAccCache(grouping: Grouping, n: number): NativeAcc {
  const cache = new Map<AnyData, Float64Array | null>();
  return (input) => {
    let acc = cache.get(input);
    if (acc === undefined) {
      acc = null;
      if (input.values instanceof Float64Array && grouping.numGroups <= 1 << 26 && !arrow.DataType.isDictionary(input.type)) {
        const state = groupAggZero(grouping.numGroups);
        groupAggAdd(state, grouping.codes, input.values.subarray(0, n), validityOf(input));
        acc = state.acc;
      }
      cache.set(input, acc);
    }
    return acc;
  };
}

function addState(spec: AggSpec, st: AggState, grouping: Grouping, input: AnyData | null, n: number, accOf: NativeAcc, rowCounter: AnyData | null): void {
  const codes = grouping.codes;
  if (st.kind === 'count') {
    const src = input ?? rowCounter;
    const acc = src && (input !== null || src.nullCount === 0) ? accOf(src) : null;
    if (acc) for (let g = 0, o = 0; g < grouping.numGroups; g++, o += GROUP_SLOT) st.n[g]! += acc[o]!;
    else if (input === null) for (let i = 0; i < n; i++) st.n[codes[i]!]! += 1;
    else for (let i = 0; i < n; i++) if (isValidAt(input, i)) st.n[codes[i]!]! += 1;
    return;
  }
  if (input === null || arrow.DataType.isNull(input.type)) return;
  const valid = input.nullCount > 0;
  switch (st.kind) {
    case 'sum': {
      const a = accOf(input);
      if (a) {
        for (let gi = 0, o = 0; gi < grouping.numGroups; gi++, o += GROUP_SLOT) {
          st.n[gi]! += a[o]!;
          st.sum[gi]! += a[o + 1]!;
        }
        return;
      }
      const x = numericValues(input);
      for (let i = 0; i < n; i++) {
        if (valid && !isValidAt(input, i)) continue;
        const g = codes[i]!;
        st.sum[g]! += x[i]!;
        st.n[g]! += 1;
      }
      return;
    }
    case 'moments': {
      const x = numericValues(input);
      for (let i = 0; i < n; i++) {
        if (valid && !isValidAt(input, i)) continue;
        const g = codes[i]!;
        const c = ++st.n[g]!;
        const d = x[i]! - st.mean[g]!;
        st.mean[g]! += d / c;
        st.m2[g]! += d * (x[i]! - st.mean[g]!);
      }
      return;
    }
    case 'minmax': {
      const isMin = spec.fn === 'min';
      const a = st.numeric ? accOf(input) : null;
      if (a && st.numeric) {
        // the kernel's min skips NaN unless all values are NaN, max is NaN once one is seen: Spark's ordering
        for (let g = 0, o = 0; g < grouping.numGroups; g++, o += GROUP_SLOT) {
          if (a[o]! > 0) {
            st.has[g] = 1;
            st.numeric[g] = a[o + (isMin ? 2 : 3)]!;
          }
        }
        return;
      }
      if (st.numeric) {
        const x = numericValues(input);
        const v = st.numeric;
        for (let i = 0; i < n; i++) {
          if (valid && !isValidAt(input, i)) continue;
          const g = codes[i]!;
          const xi = x[i]!;
          if (!st.has[g]) {
            st.has[g] = 1;
            v[g] = xi;
          } else if (isMin ? less(xi, v[g]!) : less(v[g]!, xi)) v[g] = xi;
        }
        return;
      }
      const get = valueGetter(input);
      for (let i = 0; i < n; i++) {
        const xi = get(i);
        if (xi === null) continue;
        const g = codes[i]!;
        if (!st.has[g]) {
          st.has[g] = 1;
          st.values[g] = xi;
        } else if (isMin ? less(xi, st.values[g]) : less(st.values[g], xi)) st.values[g] = xi;
      }
      return;
    }
    case 'pick': {
      const get = valueGetter(input);
      const last = spec.fn === 'last';
      for (let i = 0; i < n; i++) {
        const g = codes[i]!;
        if (!last && st.has[g]) continue;
        const xi = get(i);
        if (spec.ignoreNulls && xi === null) continue;
        st.has[g] = 1;
        st.values[g] = xi;
      }
      return;
    }
    case 'list': {
      const get = aggValueGetter(input);
      for (let i = 0; i < n; i++) {
        const xi = get(i);
        if (xi !== null) st.values[codes[i]!]!.push(xi);
      }
      return;
    }
    case 'set': {
      const get = aggValueGetter(input);
      const seen = Array.from({ length: grouping.numGroups }, (_, g) => new Set(st.values[g]!.map(normaliseKey)));
      for (let i = 0; i < n; i++) {
        const xi = get(i);
        if (xi === null) continue;
        const g = codes[i]!;
        const key = normaliseKey(xi);
        if (!seen[g]!.has(key)) {
          seen[g]!.add(key);
          st.values[g]!.push(xi);
        }
      }
    }
  }
}

/** Values as collect() would return them (strings decoded, vectors as arrays), for list/set states. */
function aggValueGetter(d: AnyData): (i: number) => unknown {
  if (isFixedWidth(d.type) && !(d.values instanceof BigInt64Array)) return valueGetter(d);
  return (i) => {
    const v = valueAt(d, i);
    return v instanceof Date ? (sparkTypeName(d.type) === 'date' ? Math.round(v.getTime() / 86_400_000) : BigInt(v.getTime()) * 1000n) : v;
  };
}

export interface AggregateTask {
  keys: Expr[];
  aggs: AggSpec[];
}

/** Folds one partition (after its narrow operators) into a partial aggregate. */
export function partialAggregate(api: string, batch: arrow.RecordBatch, task: AggregateTask, ctx: EvalContext): PartialAgg {
  const n = batch.numRows;
  const keyCols = task.keys.map((k) => evaluate(api, k, batch, ctx));
  const grouping = groupIds(keyCols, n);
  const inputs = task.aggs.map((a) => (a.input === null ? null : evaluate(api, a.input, batch, ctx)));
  const states = task.aggs.map((a, j) => zeroState(a, inputs[j]?.type ?? null, grouping.numGroups));
  const accOf = nativeAccCache(grouping, n);
  // count(*) can reuse the native table of a double input without nulls
  const rowCounter = inputs.find((d) => d !== null && d.values instanceof Float64Array && d.nullCount === 0) ?? null;
  task.aggs.forEach((a, j) => addState(a, states[j]!, grouping, inputs[j]!, n, accOf, rowCounter));
  if (grouping.dense) {
    // compact the dense range to the groups that occur (row count > 0)
    const rows = new Float64Array(grouping.numGroups);
    const codes = grouping.codes;
    const countState = states.find((s, j) => s.kind === 'count' && task.aggs[j]!.input === null) as { n: Float64Array } | undefined;
    if (countState) rows.set(countState.n);
    else for (let i = 0; i < n; i++) rows[codes[i]!]! += 1;
    const all = new Int32Array(grouping.numGroups);
    let used = 0;
    for (let g = 0; g < grouping.numGroups; g++) if (rows[g]! > 0) all[used++] = g;
    const idx = all.subarray(0, used);
    const base = grouping.dense.base;
    const keyType = keyCols[0]!.type;
    const keyValues = new Int32Array(used);
    for (let i = 0; i < used; i++) keyValues[i] = idx[i]! + base;
    return { numGroups: used, keys: [dataToPlain(makePrimitive(keyType, keyValues, null))], states: states.map((s) => selectGroups(s, idx)) };
  }
  const keys = keyCols.map((k) => dataToPlain(takeRows(k, grouping.firstRow)));
  return { numGroups: grouping.numGroups, keys, states };
}

function takeRows(d: AnyData, rows: Int32Array): AnyData {
  // dictionary keys are decoded to plain strings so partials from different dictionaries merge
  if (arrow.DataType.isDictionary(d.type)) return fromValues(d.type.dictionary, Array.from(rows, (r) => valueAt(d, r)));
  return takeData(d, rows);
}

function selectGroups(s: AggState, idx: Int32Array): AggState {
  // explicit loops: TypedArray.from with a map function is slow in V8
  const pickF = (a: Float64Array) => {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]!]!;
    return out;
  };
  const pickU8 = (a: Uint8Array) => {
    const out = new Uint8Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]!]!;
    return out;
  };
  const pickA = <T>(a: T[]) => {
    const out = new Array<T>(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]!]!;
    return out;
  };
  switch (s.kind) {
    case 'count': return { kind: 'count', n: pickF(s.n) };
    case 'sum': return { kind: 'sum', sum: pickF(s.sum), n: pickF(s.n), big: s.big };
    case 'moments': return { kind: 'moments', n: pickF(s.n), mean: pickF(s.mean), m2: pickF(s.m2) };
    case 'minmax': return { kind: 'minmax', values: s.numeric ? [] : pickA(s.values), numeric: s.numeric ? pickF(s.numeric) : null, has: pickU8(s.has) };
    case 'pick': return { kind: 'pick', values: pickA(s.values), has: pickU8(s.has) };
    case 'list': return { kind: 'list', values: pickA(s.values) };
    case 'set': return { kind: 'set', values: pickA(s.values) };
  }
}

/** Merges partials (in partition order) into one: keys regrouped, states combined per group. */
export function mergePartials(specs: readonly AggSpec[], partials: readonly PartialAgg[], keyTypes: readonly arrow.DataType[], inputTypes: ReadonlyArray<arrow.DataType | null>): PartialAgg {
  if (partials.length === 1) return partials[0]!;
  const keyCols = keyTypes.map((t, j) => concatData(t, partials.filter((p) => p.numGroups > 0).map((p) => plainToData(p.keys[j]!))));
  const total = partials.reduce((s, p) => s + p.numGroups, 0);
  const grouping = groupIds(keyCols, total);
  let firstRow = grouping.firstRow;
  let numGroups = grouping.numGroups;
  let codes = grouping.codes;
  if (grouping.dense) {
    // compact the dense codes to first-appearance order
    const remap = new Int32Array(grouping.numGroups).fill(-1);
    const first = new Int32Array(total);
    let g = 0;
    const dense = grouping.codes;
    codes = new Int32Array(total);
    for (let i = 0; i < total; i++) {
      const c = dense[i]!;
      let r = remap[c]!;
      if (r < 0) {
        r = remap[c] = g;
        first[g++] = i;
      }
      codes[i] = r;
    }
    firstRow = first.subarray(0, g);
    numGroups = g;
  }
  const states = specs.map((s, j) => zeroState(s, inputTypes[j] ?? null, numGroups));
  let offset = 0;
  for (const p of partials) {
    for (let j = 0; j < specs.length; j++) mergeState(specs[j]!, states[j]!, p.states[j]!, codes, offset, p.numGroups);
    offset += p.numGroups;
  }
  const keys = keyCols.map((k) => dataToPlain(takeRows(k, firstRow)));
  return { numGroups, keys, states };
}


function rawColumn(t: arrow.DataType, vals: unknown[]): AnyData {
  if (isFixedWidth(t)) {
    const name = sparkTypeName(t);
    const Ctor = name === 'double' ? Float64Array : name === 'float' ? Float32Array : name === 'bigint' || name === 'timestamp' ? BigInt64Array : name === 'smallint' ? Int16Array : name === 'tinyint' ? Int8Array : Int32Array;
    const out = new (Ctor as unknown as new (n: number) => { [i: number]: unknown })(vals.length);
    vals.forEach((v, i) => { if (v !== null) out[i] = v; });
    const { bitmap, nulls } = bitmapFrom((i) => vals[i] !== null, vals.length);
    return makePrimitive(t, out as never, nulls > 0 ? bitmap : null, nulls);
  }
  return fromValues(t, vals);
}

function mergeState(spec: AggSpec, into: AggState, from: AggState, codes: Int32Array, offset: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const g = codes[offset + i]!;
    switch (into.kind) {
      case 'count': into.n[g]! += (from as typeof into).n[i]!; break;
      case 'sum': { const f = from as typeof into; into.sum[g]! += f.sum[i]!; into.n[g]! += f.n[i]!; break; }
      case 'moments': {
        const f = from as typeof into;
        const nb = f.n[i]!;
        if (nb === 0) break;
        const na = into.n[g]!;
        const n = na + nb;
        const delta = f.mean[i]! - into.mean[g]!;
        into.mean[g]! += (delta * nb) / n;
        into.m2[g]! += f.m2[i]! + (delta * delta * na * nb) / n;
        into.n[g] = n;
        break;
      }
      case 'minmax': {
        const f = from as typeof into;
        if (!f.has[i]) break;
        const isMin = spec.fn === 'min';
        if (into.numeric) {
          const x = f.numeric![i]!;
          if (!into.has[g] || (isMin ? less(x, into.numeric[g]!) : less(into.numeric[g]!, x))) into.numeric[g] = x;
        } else {
          const x = f.values[i];
          if (!into.has[g] || (isMin ? less(x, into.values[g]) : less(into.values[g], x))) into.values[g] = x;
        }
        into.has[g] = 1;
        break;
      }
      case 'pick': {
        const f = from as typeof into;
        if (!f.has[i]) break;
        if (spec.fn === 'first' && into.has[g]) break;
        into.values[g] = f.values[i];
        into.has[g] = 1;
        break;
      }
      case 'list': into.values[g]!.push(...(from as typeof into).values[i]!); break;
      case 'set': {
        const have = new Set(into.values[g]!.map(normaliseKey));
        for (const v of (from as typeof into).values[i]!) {
          const k = normaliseKey(v);
          if (!have.has(k)) {
            have.add(k);
            into.values[g]!.push(v);
          }
        }
      }
    }
  }
}

/** Integral doubles (|x| < 2^53) to int64 without per-value BigInt conversions. */
export function int64FromNumbers(x: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(x.length);
  const w = new Int32Array(out.buffer);
  for (let i = 0; i < x.length; i++) setInt64(w, i, x[i]!);
  return out;
}

/** Writes the integral double v (|v| < 2^53, rounded) as element i of an int64 array seen as int32 words (little-endian). */
export function setInt64(words: Int32Array, i: number, v: number): void {
  const r = Math.round(v);
  const hi = Math.floor(r / 4294967296);
  words[2 * i] = (r - hi * 4294967296) | 0;
  words[2 * i + 1] = hi | 0;
}

/** The final column of one aggregate. */
export function finishAggregate(spec: AggSpec, st: AggState, outType: arrow.DataType, g: number): AnyData {
  switch (st.kind) {
    case 'count':
      return makePrimitive(outType, int64FromNumbers(st.n), null);
    case 'sum': {
      const { bitmap, nulls } = bitmapFrom((i) => st.n[i]! > 0, g);
      if (spec.fn === 'avg') {
        const out = new Float64Array(g);
        for (let i = 0; i < g; i++) if (st.n[i]! > 0) out[i] = st.sum[i]! / st.n[i]!;
        return makePrimitive(outType, out, nulls > 0 ? bitmap : null, nulls);
      }
      if (sparkTypeName(outType) === 'bigint') return makePrimitive(outType, int64FromNumbers(st.sum), nulls > 0 ? bitmap : null, nulls);
      return makePrimitive(outType, Float64Array.from(st.sum), nulls > 0 ? bitmap : null, nulls);
    }
    case 'moments': {
      const samp = spec.fn === 'stddev_samp' || spec.fn === 'var_samp';
      const std = spec.fn === 'stddev_samp' || spec.fn === 'stddev_pop';
      const out = new Float64Array(g);
      // Spark: n = 0 → null; sample with n = 1 → NaN (legacy default spark.sql.legacy.statisticalAggregate=false gives null)
      const { bitmap, nulls } = bitmapFrom((i) => st.n[i]! > (samp ? 1 : 0), g);
      for (let i = 0; i < g; i++) {
        const n = st.n[i]!;
        if (n === 0 || (samp && n === 1)) continue;
        const v = st.m2[i]! / (samp ? n - 1 : n);
        out[i] = std ? Math.sqrt(v) : v;
      }
      return makePrimitive(outType, out, nulls > 0 ? bitmap : null, nulls);
    }
    case 'minmax': {
      const vals: unknown[] = new Array(g);
      for (let i = 0; i < g; i++) vals[i] = st.has[i] ? (st.numeric ? st.numeric[i]! : st.values[i]) : null;
      return rawColumn(outType, vals);
    }
    case 'pick': {
      const vals: unknown[] = new Array(g);
      for (let i = 0; i < g; i++) vals[i] = st.has[i] ? st.values[i] : null;
      return isFixedWidth(outType) ? rawColumn(outType, vals.map((v) => (v instanceof Date ? null : v))) : fromValues(outType, vals);
    }
    case 'list': return fromValues(outType, st.values.map((l) => l.map((v) => (typeof v === 'bigint' && isFixedWidth(outType.children[0]!.type) ? v : v))));
    case 'set':
      if (spec.fn === 'countDistinct') return makePrimitive(outType, BigInt64Array.from(st.values, (l) => BigInt(l.length)), null);
      return fromValues(outType, st.values);
  }
}

/** Finishes a merged partial into the output batch: key columns, then one column per aggregate. */
export function finishAll(schema: arrow.Schema, specs: readonly AggSpec[], merged: PartialAgg, global: boolean): arrow.RecordBatch {
  const g = merged.numGroups;
  const keyCount = schema.fields.length - specs.length;
  if (global && g === 0) {
    // a global aggregate over no rows: one row (count 0, others null)
    const cols = specs.map((s, j) => {
      const t = schema.fields[keyCount + j]!.type;
      return s.fn === 'count' || s.fn === 'countDistinct' ? makePrimitive(t, new BigInt64Array(1), null) : fromValues(t, [null]);
    });
    return makeBatch(schema, cols, 1);
  }
  const cols: AnyData[] = merged.keys.map(plainToData);
  specs.forEach((s, j) => cols.push(finishAggregate(s, merged.states[j]!, schema.fields[keyCount + j]!.type, g)));
  return makeBatch(schema, cols, g);
}

