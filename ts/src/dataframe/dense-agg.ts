/**
 * The dense route of group-by ("perfect hash"): one integer key column whose values span a
 * range no larger than the row count (ids, codes, years …), aggregates count / sum / avg / min /
 * max of double columns. The key minus the range's base is the group code, so no hash table is
 * built: `denseAggSummary` folds each partition into one count/sum/min/max table per input
 * column with the native group-by kernel (kernels/group-agg.ts) on the executors, the tables
 * merge by adding them slot by slot, and `finishDense` drops the empty groups. `planDense` is
 * the one place that decides for this route; everything else takes the hash route
 * (hash-agg.ts). Results equal the hash route's (same kernel, same merge order).
 */
import * as arrow from 'apache-arrow';
import { groupAggAdd, groupAggMerge, groupAggZero, GROUP_SLOT } from '../kernels/group-agg.js';
import { defineSummary } from '../exec/task.js';
import { moments } from '../kernels/moments.js';
import { emptyBatch, makeBatch, makePrimitive, type AnyData } from './batch.js';
import { setInt64, type AggSpec } from './agg-states.js';
import type { Expr } from './column.js';
import { resolveIndex } from './eval.js';
import { validityOf } from './keys.js';
import type { NarrowOp } from './plan.js';
import { sparkTypeName } from './types.js';

/** What the executors need: the key column, its range, and the double input columns. */
export interface DenseAggBroadcast {
  key: string;
  base: number;
  range: number;
  inputs: string[];
}

/** count/sum/min/max per group code ([c * GROUP_SLOT …]), one table per input; null before the first partition. */
export interface DenseTables {
  tables: Float64Array[] | null;
}

export interface DensePlan {
  key: string;
  inputs: string[];
  /** Per aggregate: which input (-1: count(*) from input 0's counts). */
  inputOf: number[];
  base: number;
  range: number;
}

/** Key ranges of immutable (cached or in-memory) columns, computed once per Data object. */
const ranges = new WeakMap<object, { min: number; max: number }>();

function keyRange(k: AnyData, n: number): { min: number; max: number } {
  let r = ranges.get(k);
  if (!r) {
    const m = moments((k.values as Int32Array).subarray(0, n));
    r = { min: m.min, max: m.max };
    ranges.set(k, r);
  }
  return r;
}

/** Decides whether the dense path applies (before any task runs) and finds the key range. */
export function planDense(keys: readonly Expr[], specs: readonly AggSpec[], ops: readonly NarrowOp[], parts: readonly arrow.RecordBatch[]): DensePlan | null {
  if (keys.length !== 1 || keys[0]!.k !== 'col' || ops.some((o) => o.op !== 'filter') || parts.length === 0) return null;
  const schema = parts[0]!.schema;
  let keyIdx: number;
  try {
    keyIdx = resolveIndex('groupBy', keys[0]!.name, schema);
  } catch {
    return null;
  }
  const keyName = sparkTypeName(schema.fields[keyIdx]!.type);
  if (keyName !== 'int' && keyName !== 'date') return null;
  const inputs: string[] = [];
  const inputOf: number[] = [];
  for (const s of specs) {
    if (!['count', 'sum', 'avg', 'min', 'max'].includes(s.fn)) return null;
    if (s.input === null) {
      if (s.fn !== 'count') return null;
      inputOf.push(-1);
      continue;
    }
    if (s.input.k !== 'col') return null;
    let j: number;
    try {
      j = resolveIndex('agg', s.input.name, schema);
    } catch {
      return null;
    }
    if (sparkTypeName(schema.fields[j]!.type) !== 'double') return null;
    const name = schema.fields[j]!.name;
    let at = inputs.indexOf(name);
    if (at < 0) at = inputs.push(name) - 1;
    inputOf.push(at);
  }
  if (inputs.length === 0) return null;
  // input 0's counts are the row counts (count(*), and which groups exist): it must have no nulls
  const first = resolveIndex('agg', inputs[0]!, schema);
  if (parts.some((p) => p.data.children[first]!.nullCount > 0)) return null;
  let lo = Infinity;
  let hi = -Infinity;
  let rows = 0;
  for (const p of parts) {
    const k = p.data.children[keyIdx]! as AnyData;
    if (k.nullCount > 0) return null;
    rows += p.numRows;
    if (p.numRows === 0) continue;
    const m = keyRange(k, p.numRows);
    lo = Math.min(lo, m.min);
    hi = Math.max(hi, m.max);
  }
  if (rows === 0) return null;
  const range = hi - lo + 1;
  if (range > Math.max(1 << 16, rows) || range > 1 << 26) return null;
  return { key: schema.fields[keyIdx]!.name, inputs, inputOf, base: lo, range };
}

let scratchCodes = new Int32Array(0);

/**
 * Folds one (filtered) partition into fresh tables, allocated by the addon (32-byte aligned,
 * huge pages for large tables: at a million groups first-touch page faults would cost more
 * than the aggregation); on a pool they come back moved, not copied.
 */
function foldDense(batch: arrow.RecordBatch, b: DenseAggBroadcast): Float64Array[] {
  const n = batch.numRows;
  const keyData = batch.data.children[resolveIndex('groupBy', b.key, batch.schema)]! as AnyData;
  const keys = (keyData.values as Int32Array).subarray(0, n);
  let codes = keys;
  if (b.base !== 0) {
    if (scratchCodes.length < n) scratchCodes = new Int32Array(n);
    codes = scratchCodes.subarray(0, n);
    const base = b.base;
    for (let i = 0; i < n; i++) codes[i] = keys[i]! - base;
  }
  return b.inputs.map((name) => {
    const state = groupAggZero(b.range);
    const d = batch.data.children[resolveIndex('agg', name, batch.schema)]! as AnyData;
    groupAggAdd(state, codes, (d.values as Float64Array).subarray(0, n), validityOf(d));
    return state.acc;
  });
}

function mergeTables(a: DenseTables, b: DenseTables): DenseTables {
  if (!a.tables) return b;
  if (!b.tables) return a;
  a.tables.forEach((t, j) => groupAggMerge({ numGroups: t.length / GROUP_SLOT, acc: t }, { numGroups: t.length / GROUP_SLOT, acc: b.tables![j]! }));
  return a;
}

/** The dense route as a partition summary. */
export const denseAggSummary = defineSummary<DenseTables, arrow.RecordBatch, DenseAggBroadcast>('dataframe.denseAgg', {
  zero: () => ({ tables: null }),
  add: (s, batch, b) => mergeTables(s, { tables: foldDense(batch, b) }),
  merge: mergeTables,
});

/** Driver side: the merged tables as the output batch (the groups that occur, in key order). */
export function finishDense(schema: arrow.Schema, plan: DensePlan, specs: readonly AggSpec[], merged: DenseTables): arrow.RecordBatch {
  if (!merged.tables) return emptyBatch(schema);
  const tables = merged.tables;
  // the groups that occur: input 0 has no nulls, so its counts are the row counts
  const range = plan.range;
  const rowsAcc = tables[0]!;
  let g = 0;
  for (let c = 0; c < range; c++) if (rowsAcc[c * GROUP_SLOT]! > 0) g++;
  const idx = new Int32Array(g);
  const keys = new Int32Array(g);
  for (let c = 0, i = 0; c < range; c++) {
    if (rowsAcc[c * GROUP_SLOT]! > 0) {
      idx[i] = c * GROUP_SLOT;
      keys[i++] = c + plan.base;
    }
  }
  const cols: AnyData[] = [makePrimitive(schema.fields[0]!.type, keys, null)];
  specs.forEach((s, a) => {
    const acc = tables[Math.max(0, plan.inputOf[a]!)]!;
    const outType = schema.fields[1 + a]!.type;
    if (s.fn === 'count') {
      const count = new BigInt64Array(g);
      const w = new Int32Array(count.buffer);
      for (let i = 0; i < g; i++) setInt64(w, i, acc[idx[i]!]!);
      cols.push(makePrimitive(outType, count, null));
      return;
    }
    const out = new Float64Array(g);
    let bitmap: Uint8Array | null = null;
    let nulls = 0;
    const slot = s.fn === 'min' ? 2 : s.fn === 'max' ? 3 : 1;
    for (let i = 0; i < g; i++) {
      const o = idx[i]!;
      const n = acc[o]!;
      if (n > 0) out[i] = s.fn === 'avg' ? acc[o + 1]! / n : acc[o + slot]!;
      else {
        if (!bitmap) bitmap = new Uint8Array((g + 7) >> 3).fill(0xff);
        bitmap[i >> 3]! &= ~(1 << (i & 7));
        nulls++;
      }
    }
    cols.push(makePrimitive(outType, out, bitmap, nulls));
  });
  return makeBatch(schema, cols, g);
}
