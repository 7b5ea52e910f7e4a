/**
 * The "perfect hash" aggregation path: one integer key column whose values span a range no
 * larger than the row count (ids, codes, years …), aggregates count / sum / avg / min / max of
 * double columns. The key minus the range's base is the group code, so no hash table is built:
 * each partition folds its rows into its own count/sum/min/max table with the native group-by
 * kernel, the driver adds the tables, and only then are empty groups dropped.
 *
 * The per-partition tables live in SharedArrayBuffers that the driver allocates once per
 * session and reuses across queries: on this kind of VM first-touch page faults cost more than
 * the aggregation itself at a million groups (a fresh 32 MB table takes ~100 ms to fault in).
 * Results equal the general path's (same kernel, same merge order by partition).
 */
import * as arrow from 'apache-arrow';
import { groupAggAdd, GROUP_SLOT } from '../kernels/group-agg.js';
import { moments } from '../kernels/moments.js';
import { makeBatch, makePrimitive, type AnyData } from './batch.js';
import { setInt64, type AggSpec } from './aggregate.js';
import type { Expr } from './column.js';
import { resolveIndex } from './eval.js';
import { validityOf } from './keys.js';
import type { NarrowOp } from './plan.js';
import { sparkTypeName } from './types.js';

export interface DenseAggTask {
  key: string;
  base: number;
  range: number;
  /** Double input columns, each with one shared table per task. */
  inputs: string[];
  tables: Float64Array[];
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

/** Shared tables kept per session: (partition, input) → table, regrown when too small. */
export class DenseTables {
  private tables: Float64Array[] = [];

  get(count: number, range: number): Float64Array[] {
    const len = range * GROUP_SLOT;
    for (let i = 0; i < count; i++) {
      const t = this.tables[i];
      if (!t || t.length < len) this.tables[i] = new Float64Array(new SharedArrayBuffer(len * 8));
    }
    return this.tables.slice(0, count).map((t) => t.subarray(0, len));
  }

  clear(): void {
    this.tables = [];
  }
}

let scratchCodes = new Int32Array(0);

/** Worker side: folds one (filtered) partition into its tables. */
export function runDense(batch: arrow.RecordBatch, task: DenseAggTask): void {
  const n = batch.numRows;
  const keyData = batch.data.children[resolveIndex('groupBy', task.key, batch.schema)]! as AnyData;
  const keys = (keyData.values as Int32Array).subarray(0, n);
  let codes = keys;
  if (task.base !== 0) {
    if (scratchCodes.length < n) scratchCodes = new Int32Array(n);
    codes = scratchCodes.subarray(0, n);
    const b = task.base;
    for (let i = 0; i < n; i++) codes[i] = keys[i]! - b;
  }
  task.inputs.forEach((name, j) => {
    const table = task.tables[j]!;
    for (let o = 0; o < table.length; o += GROUP_SLOT) {
      table[o] = 0;
      table[o + 1] = 0;
      table[o + 2] = NaN;
      table[o + 3] = -Infinity;
    }
    const d = batch.data.children[resolveIndex('agg', name, batch.schema)]! as AnyData;
    groupAggAdd({ numGroups: task.range, acc: table }, codes, (d.values as Float64Array).subarray(0, n), validityOf(d));
  });
}

/** Driver side: adds the partition tables (in partition order) and builds the output batch. */
export function finishDense(schema: arrow.Schema, plan: DensePlan, specs: readonly AggSpec[], tablesByPart: Float64Array[][]): arrow.RecordBatch {
  // merged in place into partition 0's tables (reused buffers: no fresh pages to fault in)
  const merged = plan.inputs.map((_, j) => {
    const acc = tablesByPart[0]![j]!;
    for (let p = 1; p < tablesByPart.length; p++) {
      const t = tablesByPart[p]![j]!;
      for (let o = 0; o < acc.length; o += GROUP_SLOT) {
        const c = t[o]!;
        if (c === 0) continue;
        acc[o] += c;
        acc[o + 1] += t[o + 1]!;
        const amin = acc[o + 2]!;
        const bmin = t[o + 2]!;
        acc[o + 2] = amin !== amin ? bmin : bmin !== bmin ? amin : Math.min(amin, bmin);
        const amax = acc[o + 3]!;
        const bmax = t[o + 3]!;
        acc[o + 3] = amax !== amax || bmax !== bmax ? NaN : Math.max(amax, bmax);
      }
    }
    return acc;
  });
  // the groups that occur: input 0 has no nulls, so its counts are the row counts
  const range = plan.range;
  const rowsAcc = merged[0]!;
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
    const acc = merged[Math.max(0, plan.inputOf[a]!)]!;
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
