/**
 * Aggregate functions as mergeable per-group states (docs/ARCHITECTURE.md, "The one idea"):
 * `zeroState` / `addState` (fold one partition's rows by group code) / `mergeState` /
 * `finishAggregate`, the hash route's partials (hash-agg.ts); the dense route (dense-agg.ts)
 * folds native count/sum/min/max tables instead and takes only the specs from here. Semantics
 * follow Spark (docs/formats/SPARK_DEFINITIONS.md): nulls are skipped; count(*) counts rows;
 * sum of integers is bigint, of floating columns double; avg/stddev/variance are double;
 * stddev/variance of one row is null (sample) or 0 (population); min/max order NaN above every
 * number; an empty input gives one row for a global aggregate (count 0, others null).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { groupAggAdd, groupAggZero, GROUP_SLOT } from '../kernels/group-agg.js';
import { validityOf } from './keys.js';
import { bitmapFrom, emptyBatch, fromValues, isValidAt, makePrimitive, makeBatch, valueAt, isFixedWidth, type AnyData } from './batch.js';
import { exprName, type AggName, type Expr } from './column.js';
import { typeOf, valueGetter, numericValues } from './eval.js';
import { plainToData, type PlainData } from './portable.js';
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
  | { kind: 'sum'; sum: Float64Array; n: Float64Array }
  | { kind: 'moments'; n: Float64Array; mean: Float64Array; m2: Float64Array }
  | { kind: 'minmax'; values: unknown[]; numeric: Float64Array | null; has: Uint8Array }
  | { kind: 'pick'; values: unknown[]; has: Uint8Array }
  | { kind: 'list'; values: unknown[][] }
  | { kind: 'set'; values: unknown[][] };

/** One partition's groups (or several partitions' merged): the key columns, one state per aggregate. */
export interface PartialAgg {
  specs: AggSpec[];
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


/** Group codes of one partition's rows: code per row, and the first row of each group (to gather the keys). */
export interface Grouping {
  numGroups: number;
  codes: Int32Array;
  firstRow: Int32Array;
}

/** The key a value groups by: -0.0 with 0.0, NaN as one key, dates and nested values by content. */
export function normaliseKey(v: unknown): unknown {
  if (typeof v === 'number') return v === 0 ? 0 : v; // -0.0 groups with 0.0; Map keys treat NaN as one key
  if (v instanceof Date) return v.getTime();
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}


// ---------------------------------------------------------------------------------------------
// States

/** The state each aggregate folds into. */
const STATE_KIND: Record<AggName, AggState['kind']> = {
  count: 'count', sum: 'sum', avg: 'sum',
  stddev_samp: 'moments', stddev_pop: 'moments', var_samp: 'moments', var_pop: 'moments',
  min: 'minmax', max: 'minmax', first: 'pick', last: 'pick',
  collect_list: 'list', countDistinct: 'set', collect_set: 'set',
};

/** An empty state of `kind` over g groups (`numeric`: min/max of numbers kept as doubles). */
function emptyState(kind: AggState['kind'], g: number, numeric: boolean): AggState {
  switch (kind) {
    case 'count': return { kind, n: new Float64Array(g) };
    case 'sum': return { kind, sum: new Float64Array(g), n: new Float64Array(g) };
    case 'moments': return { kind, n: new Float64Array(g), mean: new Float64Array(g), m2: new Float64Array(g) };
    case 'minmax': return { kind, values: numeric ? [] : new Array(g).fill(null), numeric: numeric ? new Float64Array(g) : null, has: new Uint8Array(g) };
    case 'pick': return { kind, values: new Array(g).fill(null), has: new Uint8Array(g) };
    case 'list': return { kind, values: Array.from({ length: g }, () => []) };
    case 'set': return { kind, values: Array.from({ length: g }, () => []) };
  }
}

export function zeroState(spec: AggSpec, inputType: arrow.DataType | null, g: number): AggState {
  const numeric = inputType !== null && (arrow.DataType.isFloat(inputType) || (arrow.DataType.isInt(inputType) && inputType.bitWidth <= 32));
  return emptyState(STATE_KIND[spec.fn], g, numeric);
}

/** An empty state of the same kind and shape as `st` (merging partials of one aggregate). */
export function zeroStateLike(st: AggState, g: number): AggState {
  return emptyState(st.kind, g, st.kind === 'minmax' && st.numeric !== null);
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
export type NativeAcc = (input: AnyData) => Float64Array | null;

export function nativeAccCache(grouping: Grouping, n: number): NativeAcc {
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

export function addState(spec: AggSpec, st: AggState, grouping: Grouping, input: AnyData | null, n: number, accOf: NativeAcc, rowCounter: AnyData | null): void {
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

export function mergeState(spec: AggSpec, into: AggState, from: AggState, codes: Int32Array, offset: number, count: number): void {
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
  if (!global && g === 0) return emptyBatch(schema);
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

